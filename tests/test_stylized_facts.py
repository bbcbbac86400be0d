"""Stylized facts F1, F2, F3, F6, F7 (design/model-anchors.md §6) as seeded, paired tests.

The machinery (regime, metrics, statistics) is ``benchmarks/stylized_facts.py``; this file
runs it with the CI seed counts and asserts the anchors' pass rule: the stated sign,
p < 0.01 after Holm correction across the whole suite, and |Cliff's δ| ≥ 0.3 where a δ
applies. The fuller run (100 seeds per arm) is ``uv run python
benchmarks/stylized_facts.py`` and its table is docs/stylized-facts.md.

Regime of every engine check (details in each check's ``regime`` and the benchmark's
docstring): the real ``WargameModel`` on a synthetic scenario — one district of 100,000
residents in 10 neighbourhoods (2,000 synthetic citizens), one stage of 1-hour ticks, no
threat events, no partisans, no crowd formation, one Polsek unit on presence whose strength
is the police density, floor risk function, dropout 0.2/h and 24 h rest. F7 uses one
neighbourhood of 200 citizens with police and Epstein's rule switched off.

A fact the engine does not reproduce is marked ``xfail(strict=True)`` with the measured
numbers: it is reported, not tuned away.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import stylized_facts as sf

# Seeds per arm, with the power argument from the pilot (benchmarks/stylized_facts.py,
# 100 paired seeds per arm; docs/stylized-facts.md). The suite has 16 p-values, so Holm's
# strictest level is 0.01/16 = 6.3e-4.
# - F1, F2 (ordered sweeps): benchmark Cliff's δ between the end levels is ≥ 0.99 and
#   Spearman |ρ| ≥ 0.64 over 4–6 levels; with 12 seeds per level (48–72 runs) Spearman's p at
#   |ρ| = 0.6 is ~1e-8 and a one-sided Wilcoxon signed-rank with all 12 pairs in the stated
#   direction has exact p = 2^-12 = 2.4e-4 < 6.3e-4. So n = 12 has power ≈ 1 at these δ.
# - F6(a): benchmark δ = 0.60 [0.53, 0.68]; all 20 pilot pairs in the stated direction; at
#   n = 12 the exact Wilcoxon p is 2.4e-4 if all pairs agree, and stays < 6.3e-4 with up to
#   one pair against it (p ≈ 4.9e-4 for W⁻ = 1).
# - F3: a binomial test that most seeds (> ½) show all five punctuation criteria.
#   Benchmark share 0.74 (74/100, p = 8e-7). At n = 16 that share gives k ≈ 12 and a
#   binomial p ≈ 0.04 — a Holm-proof p needs n ≈ 60 (k = 44/60: p = 2.0e-4), i.e. 2 min of
#   CPU for F3 alone; so the test asserts the share (> ½; P(k > 8 | 0.74) ≈ 0.97) and the
#   p-value is the benchmark's.
# - F7: seeds per σ; each run is 200 citizens for 96 ticks (cheap), pilot flip share 0.28.
#   With 40 seeds, ~18 cascades at the bimodal σ; at the benchmark's flip share (14/46 =
#   0.30) the expected 5 flips vs a null of 5 % give p ≈ 0.002 (Holm-adjusted 0.006).
SEEDS = range(12)
F3_SEEDS = range(16)
F7_SEEDS = range(40)
JOBS = 2


@pytest.fixture(scope="module")
def suite() -> dict[tuple[str, str], sf.Check]:
    """Every check run once (≈ 1 minute on 2 cores), Holm-adjusted across the suite."""
    checks = sf.run_suite(SEEDS, JOBS, F7_SEEDS, f3_seeds=F3_SEEDS)
    print("\n" + sf.table(checks))
    return {(c.fact, c.claim): c for c in checks}


def _check(suite: dict[tuple[str, str], sf.Check], fact: str, claim_start: str) -> sf.Check:
    found = [c for (f, claim), c in suite.items() if f == fact and claim.startswith(claim_start)]
    assert len(found) == 1, f"no unique check {fact}: {claim_start}"
    return found[0]


# ---------------------------------------------------------------------------- statistics


def test_jonckheere_terpstra_hand_computed_case():
    """Groups (1, 2), (3, 4), (5, 6): every one of the 12 cross-group pairs is increasing,
    so J = 12; E[J] = (N² − Σn²)/4 = (36 − 12)/4 = 6 and, without ties,
    Var[J] = (N²(2N+3) − Σn²(2n+3))/72 = (36·15 − 3·4·7)/72 = 456/72 = 6.333."""
    j, p = sf.jonckheere_terpstra([[1, 2], [3, 4], [5, 6]], "increasing")
    assert j == 12
    assert p == pytest.approx(st.norm.sf((12 - 6) / np.sqrt(456 / 72)))
    _, p_dec = sf.jonckheere_terpstra([[1, 2], [3, 4], [5, 6]], "decreasing")
    assert p_dec == pytest.approx(1 - p)


def test_jonckheere_terpstra_two_groups_is_mann_whitney():
    """With two groups (and ties) JT is the Mann–Whitney U of the later group."""
    rng = np.random.default_rng(3)
    a, b = rng.integers(0, 6, 15), rng.integers(1, 7, 12)
    j, p = sf.jonckheere_terpstra([a, b], "increasing")
    mw = st.mannwhitneyu(b, a, alternative="greater", method="asymptotic",
                         use_continuity=False)
    assert j == pytest.approx(mw.statistic)
    assert p == pytest.approx(mw.pvalue)


def test_holm_cliff_bimodality_and_episodes():
    assert sf.holm([0.01, 0.04, 0.03]) == [0.03, 0.06, 0.06]
    assert sf.cliffs_delta([3, 4], [1, 2]) == 1.0
    assert sf.cliffs_delta([1, 2], [2, 1]) == 0.0
    two_modes = np.r_[np.zeros(50), np.ones(50)]
    assert sf.bimodality_coefficient(two_modes) > 5 / 9
    assert sf.bimodality_coefficient(np.random.default_rng(0).normal(size=500)) < 5 / 9
    assert sf.episodes(np.array([0, .1, .1, 0, .2, 0]), 0.05) == [(1, 3), (4, 5)]
    assert sf.auc([2, 3], [0, 1])[0] == 1.0


# ---------------------------------------------------------------------------- F1


@pytest.mark.parametrize("claim", ["ρ(L, Ā) < 0", "Ā decreases along L",
                                   "P(any outbreak) non-increasing",
                                   "time to first outbreak increases"])
def test_f1_lower_legitimacy_gives_more_activity(suite, claim):
    """F1 (Epstein 2002; Lemos et al. 2016). Regime: L ∈ {0.9, 0.8, 0.7, 0.6} for police and
    election alike, 12 officers per 100,000 residents on presence, 10 days of 1-hour ticks,
    12 paired seeds per level."""
    c = _check(suite, "F1", claim)
    assert c.passed, c


# ---------------------------------------------------------------------------- F2


def test_f2_more_police_less_activity(suite):
    """F2 (Epstein 2002; Fonoberova et al. 2012; Davies et al. 2013). Regime: L = 0.8,
    police 4 → 24 per 100,000 residents (factor 6), 12 paired seeds per level: Ā falls
    (Spearman and Jonckheere–Terpstra, δ between the end levels)."""
    c = _check(suite, "F2", "Ā decreases with police")
    assert c.passed, c


@pytest.mark.xfail(strict=True, reason=(
    "F2 P(outbreak) is not monotone at low police density: P(any outbreak in 10 days) = "
    "0.58, 0.58, 0.75, 0.67, 0.42, 0.17 at 4, 6, 8, 12, 16, 24 officers per 100k (n = 12; "
    "Spearman ρ = −0.26, Holm p = 0.03; 100 seeds: 0.74, 0.76, 0.77, 0.69, 0.48, 0.10). "
    "It falls only above ~8 per 100k; below, activity "
    "is continuous low-level churn across neighbourhoods that seldom lifts the regency-wide "
    "share over θ = 4.5 %, rather than synchronised bursts. See docs/stylized-facts.md."))
def test_f2_more_police_fewer_outbreaks(suite):
    c = _check(suite, "F2", "P(outbreak) decreases")
    assert c.passed, c


def test_f2_knee_ten_fold_drop_within_factor_three(suite):
    """F2's knee: Ā drops ≥ 10-fold across some factor-3 range of police density (pilot:
    ~16× between 8 and 24 per 100k; largest drop per officer between 12 and 16)."""
    c = _check(suite, "F2", "knee")
    assert c.passed, c


# ---------------------------------------------------------------------------- F3


def test_f3_punctuated_equilibrium_in_the_intermediate_regime(suite):
    """F3 (Epstein 2002 Figs 3–7). Regime: L = 0.8, 10 officers per 100k, floor, 45 days.
    Per seed: peak/mean ≥ 5, ≤ 20 % of ticks in outbreak, ≥ 2 outbreaks, waiting-time CV
    > 0.3, outburst sizes right-skewed. Asserted: most seeds show all five (the Holm-proof
    binomial p needs the benchmark's 100 seeds; see the power note at the top)."""
    c = _check(suite, "F3", "punctuated")
    assert c.criterion, c


@pytest.mark.parametrize("edge", ["high legitimacy", "high police"])
def test_f3_edges_are_near_zero(suite, edge):
    c = _check(suite, "F3", f"edge near zero: {edge}")
    assert c.passed, c


# ---------------------------------------------------------------------------- F6


def test_f6a_quiet_is_not_content(suite):
    """F6(a) (Epstein 2002 Figs 1–2). Regime: the F1 regime at L = 0.8, citizens with
    grievance in (0.12, 0.16) that are free and rested; the officers each neighbourhood sees
    are captured from the engine's own Poisson draw."""
    c = _check(suite, "F6a", "P(active | police in view)")
    assert c.passed, c


@pytest.mark.xfail(strict=True, reason=(
    "F6(b) not reproduced with the engine's tension (quiet citizens with G > T): benchmark "
    "(100 seeds) AUC = 0.39 (mean tension 0.489 before onsets vs 0.496 in quiet windows). "
    "With legitimacy fixed, tension is ≈ (share with G > T) − actives − jailed, and it counts "
    "dropped-out citizens who are resting as latent: the recharge before a burst (rested "
    "citizens returning) is invisible to it. See docs/stylized-facts.md."))
def test_f6b_tension_before_onsets_is_an_early_warning(suite):
    c = _check(suite, "F6b", "tension before onsets")
    assert c.passed, c


def test_f6b_tension_falls_after_outbreaks(suite):
    c = _check(suite, "F6b", "tension falls after outbreaks")
    assert c.passed, c


# ---------------------------------------------------------------------------- F7


@pytest.mark.parametrize("claim", ["final participation jumps", "bimodal across seeds",
                                   "removing the lowest-threshold instigator"])
def test_f7_threshold_dispersion_decides_cascades(suite, claim):
    """F7 at engine level (Granovetter 1978); the threshold module and the tutorial-level
    jump are tested in tests/test_granovetter.py. Regime: one neighbourhood of 200 citizens,
    thresholds ~ N(0.25, σ), σ from 0.08 to 0.18, 40 seeds per σ (common random numbers:
    a seed's thresholds are the same normal draws scaled by σ)."""
    c = _check(suite, "F7", claim)
    assert c.passed, c
