"""Stylized facts F1, F2, F3, F6, F7 (design/model-anchors.md §6) as seeded statistical checks.

    uv run python benchmarks/stylized_facts.py [--seeds 100] [--jobs 2] [--markdown]

Prints one row per check: fact, regime, statistic, p (raw and Holm-adjusted across the
suite), Cliff's δ with a bootstrap 95 % CI, and pass/fail under the anchors' rule (the stated
sign, Holm p < 0.01 and |δ| ≥ 0.3 where a δ applies). ``tests/test_stylized_facts.py`` runs
the same functions with fewer seeds; this script is the fuller version whose table is in
docs/stylized-facts.md.

Why a synthetic regime rather than a bundled scenario: the facts are claims about the
citizens' decision core (Epstein's rule with Granovetter thresholds, ODD §7), and a bundled
scenario mixes in threat events, doctrines, crowds and injects that the facts do not speak
about. The regime is still the real engine (``WargameModel``), fed a scenario built from
plain data: one district of 100,000 residents in 10 neighbourhoods, one long stage of
1-hour ticks with no threat events, no partisans, crowd formation off (a crowd changes its
members' deterrence and would mix in the crowd submodel), and one Polsek unit on presence
whose strength is the police density. Participants drop out at 0.2 per hour and rest 24 h
(Davies et al. 2013 as the engine has it; this plays the part of Epstein's jail term,
which the engine's arrest *rate* per officer cannot, see docs/stylized-facts.md).

Design of every check (the anchors' common protocol): common random numbers (seed *i* is
the same in every arm), a burn-in of 20 ticks, outbreaks = national active share A(t) above
θ = 4.5 % for at least one tick, one-sided tests in the stated direction, Holm correction
across all p-values of the suite.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as dt
import itertools
import math
import multiprocessing as mp
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats as st

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from wargame.model import WargameModel  # noqa: E402
from wargame.population import ACTIVE, JAILED  # noqa: E402
from wargame.scenario import Scenario, parse_scenario  # noqa: E402

THETA = 0.045  # Epstein's outburst: > 50 of ~1,100 agents (anchors §1.1)
BURN_IN = 20  # ticks discarded before measuring (anchors §6)
ALPHA = 0.01  # pass rule: Holm-adjusted p below this
MIN_DELTA = 0.3  # pass rule: |Cliff's δ| at least this

# The base regime (see the module docstring). L = 0.8 and 12 officers per 100,000
# residents on presence put ~5 officers in a citizen's view (μ = vision · visibility ·
# presence / residents = 150 · 150 · 12 / 1e5 = 2.7): Epstein-like (NetLogo: L 0.82, ~4.5
# cops in a vision-7 neighbourhood) and, with the floor risk function, the intermediate
# regime of F3.
BASE_L = 0.8
BASE_POLICE = 12
VILLAGES = 10
POPULATION = 100_000
SCALE = 50  # 2,000 synthetic citizens, 200 per neighbourhood

F1_LEGITIMACY = (0.9, 0.8, 0.7, 0.6)
F2_POLICE = (4, 6, 8, 12, 16, 24)  # factor 6 in density
F1_F2_DAYS = 10
F3_DAYS = 60
F3_POLICE = 10  # a little below the base: outbursts frequent enough for ≥ 2 per run
F3_EDGES = {"high legitimacy (L = 0.9)": {"legitimacy": 0.9},
            "high police (48 per 100k)": {"police": 48}}
F7_SIGMAS = (0.08, 0.10, 0.11, 0.12, 0.13, 0.14, 0.15, 0.16, 0.18)
F7_N = 200  # citizens in the one crowd (one neighbourhood)


# ----------------------------------------------------------------------------- the regime


def synthetic_scenario(legitimacy: float = BASE_L, police: int = BASE_POLICE,
                       days: int = F1_F2_DAYS, villages: int = VILLAGES,
                       population: int = POPULATION, scale: int = SCALE,
                       risk_function: str = "floor", dropout_per_hour: float = 0.2,
                       rest_hours: float = 24.0,
                       activation: dict[str, Any] | None = None) -> Scenario:
    """The facts' regime as a validated scenario: one district, one police presence unit,
    one stage of ``days`` days in 1-hour ticks, no threat events (see the module docstring
    for why each switch is set)."""
    start = dt.date(2024, 11, 1)
    stage = {"id": "regime", "name": "Rezim uji", "name_en": "Test regime",
             "start": start.isoformat(),
             "end": (start + dt.timedelta(days=days - 1)).isoformat(),
             "turns": days, "ticks_per_turn": 24}
    district = {"id": "d", "name": "Distrik", "area_km2": 100.0, "population": population,
                "voters": int(population * 0.7), "villages": villages,
                "tps": {"kurang_rawan": 1}, "lat": 0.0, "lon": 0.0}
    units = [{"id": "police", "kind": "polsek", "name": "Polsek", "strength": police,
              "home": "d", "task": "presence"}] if police > 0 else []
    data = {
        "meta": {"id": "stylized-facts", "name": "Rezim fakta", "name_en": "Facts regime"},
        "districts": [district],
        "candidates": [{"id": "a", "name": "Paslon 1", "colour": "#1f77b4",
                        "support": {"d": 0.5}},
                       {"id": "b", "name": "Paslon 2", "colour": "#d62728",
                        "support": {"d": 0.5}}],
        "units": units,
        "calendar": {"stages": [stage]},
        "params": {
            "population": {"scale": scale, "partisan_share": 0.0},
            "forces": {"linmas_per_tps": 0.0},
            "legitimacy": {"police_initial": legitimacy, "election_initial": legitimacy},
            "activation": {"risk_function": risk_function, **(activation or {})},
            "crowd": {"form_size": 10**9, "dissolve_size": 10**8,
                      "dropout_per_hour": dropout_per_hour, "rest_hours": rest_hours},
        },
    }
    return parse_scenario(data, "<stylized-facts regime>")


# ----------------------------------------------------------------------------- series metrics


def episodes(a: np.ndarray, theta: float = THETA, m: int = 1) -> list[tuple[int, int]]:
    """Outbreaks: maximal runs [start, end) with a > θ lasting at least ``m`` ticks.

    >>> episodes(np.array([0, .1, .1, 0, .2, 0]), 0.05)
    [(1, 3), (4, 5)]
    """
    above = np.concatenate([[False], np.asarray(a) > theta, [False]])
    edges = np.flatnonzero(np.diff(above.astype(np.int8)))
    out = list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))
    return [(s, e) for s, e in out if e - s >= m]


def series_metrics(a: np.ndarray, theta: float = THETA) -> dict[str, float]:
    """Per-run statistics of the active-share series (after burn-in): Ā, A_max, peak/mean,
    share of ticks in outbreak, outbreak count, time to first outbreak (censored at the
    horizon), waiting-time CV and outburst-size skewness (size = Σ A over the episode)."""
    a = np.asarray(a, dtype=float)
    eps = episodes(a, theta)
    starts = np.array([s for s, _ in eps], dtype=float)
    waits = np.diff(starts)
    sizes = np.array([a[s:e].sum() for s, e in eps])
    mean = float(a.mean())
    return {
        "mean": mean, "max": float(a.max()),
        "peak_to_mean": float(a.max() / mean) if mean > 0 else math.nan,
        "frac_outbreak": float((a > theta).mean()),
        "outbreaks": float(len(eps)),
        "any_outbreak": float(len(eps) > 0),
        "first_outbreak": float(starts[0]) if len(eps) else float(a.size),
        "wait_cv": float(waits.std() / waits.mean()) if waits.size >= 2 else math.nan,
        "size_skew": float(st.skew(sizes)) if sizes.size >= 3 else math.nan,
    }


def run_series(sc: Scenario, seed: int) -> dict[str, Any]:
    """One run of the regime: per-tick national active share and tension, after burn-in."""
    m = WargameModel(sc, seed=seed)
    m.run()
    a = np.array(m.recorder.active_fraction)[BURN_IN:]
    tension = np.array(m.recorder.tension)[BURN_IN:]
    return {"active": a, "tension": tension, **series_metrics(a)}


def run_deception(sc: Scenario, seed: int, band: tuple[float, float]) -> dict[str, float]:
    """F6(a) instrumented run: among free, rested citizens whose grievance is in ``band``,
    the share active in citizen-ticks with officers in view (C ≥ 1) and with none (C = 0)."""
    m = WargameModel(sc, seed=seed)
    pop = m.pop
    counts = np.zeros((2, 2))  # [seen police?][active?]
    t = 0
    while not m.finished:
        m.step()
        t += 1
        if t <= BURN_IN:
            continue
        legit = 0.5 * (m.legit_police + m.legit_election)  # election_weight 0.5, no partisans
        g = pop.hardship * (1 - legit[pop.district])
        eligible = (pop.state != JAILED) & (pop.rest_hours <= 0) & (g > band[0]) & (g < band[1])
        seen = m.police_seen[pop.hood] > 0  # officers each neighbourhood saw this tick
        active = pop.state == ACTIVE
        for s in (0, 1):
            sel = eligible & (seen == bool(s))
            counts[s, 1] += np.count_nonzero(sel & active)
            counts[s, 0] += np.count_nonzero(sel & ~active)
    p = counts[:, 1] / np.maximum(counts.sum(axis=1), 1)
    return {"p_active_none": float(p[0]), "p_active_police": float(p[1]),
            "n_none": float(counts[0].sum()), "n_police": float(counts[1].sum())}


def granovetter_scenario(sigma: float, mean: float = 0.25, n: int = F7_N) -> Scenario:
    """F7 regime: one neighbourhood of ``n`` citizens (Granovetter's crowd) with the Epstein
    part switched off as in tests/test_granovetter.py's ``pure_granovetter``: no police,
    legitimacy 0 and T = 0 (every G > T), no dropout, no crowds; only thresholds decide."""
    return synthetic_scenario(
        legitimacy=0.0, police=0, days=4, villages=1, population=n, scale=1,
        dropout_per_hour=0.0,
        activation={"threshold": 0.0, "threshold_mean": mean, "threshold_sd": sigma})


def run_granovetter(sigma: float, seed: int, remove_instigator: bool = False) -> float:
    """Final participation of the F7 crowd; optionally with its lowest-threshold citizen (the
    first instigator) made unable to join (threshold above 1)."""
    m = WargameModel(granovetter_scenario(sigma), seed=seed)
    if remove_instigator:
        m.set_citizens("threshold", np.argmin(m.pop.threshold), 2.0)
    m.run()
    return float((m.pop.state == ACTIVE).mean())


# ----------------------------------------------------------------------------- statistics


def cliffs_delta(x: Sequence[float], y: Sequence[float]) -> float:
    """Cliff's δ = P(X > Y) − P(X < Y) (ties count zero), computed from the Mann–Whitney U
    of ``x`` (midranks), δ = 2U/(n·m) − 1: O((n+m) log(n+m)), so bootstraps stay cheap.

    >>> cliffs_delta([3, 4], [1, 2]), cliffs_delta([1, 2], [1, 2])
    (1.0, 0.0)
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.size == 0 or y.size == 0:
        return math.nan
    ranks = st.rankdata(np.concatenate([x, y]))
    u = ranks[:x.size].sum() - x.size * (x.size + 1) / 2.0
    return float(2.0 * u / (x.size * y.size) - 1.0)


def bootstrap_delta_ci(x: Sequence[float], y: Sequence[float], paired: bool = True,
                       n_boot: int = 1000, seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap 95 % CI of Cliff's δ; resamples seeds (pairs kept together when
    ``paired``, as the arms share seeds)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    rng = np.random.default_rng(seed)
    out = np.empty(n_boot)
    for b in range(n_boot):
        i = rng.integers(0, x.size, x.size)
        j = i if paired else rng.integers(0, y.size, y.size)
        out[b] = cliffs_delta(x[i], y[j])
    lo, hi = np.nanpercentile(out, [2.5, 97.5])
    return float(lo), float(hi)


def jonckheere_terpstra(groups: Sequence[Sequence[float]],
                        alternative: str = "increasing") -> tuple[float, float]:
    """Jonckheere–Terpstra test for an ordered trend across ``groups`` (in the stated order).

    scipy has no JT test (scipy.stats has ``page_trend_test``, for blocked designs), so it
    is implemented here: J = Σ_{i<j} #{(x ∈ g_i, y ∈ g_j): x < y} + ½ #ties, with the
    tie-corrected null variance of Hollander & Wolfe (1999, eq. 6.19) and a normal
    approximation. Returns (J, one-sided p) for ``increasing`` (later groups larger) or
    ``decreasing``. For two groups J is the Mann–Whitney U of the second group against the
    first, so the p-value equals scipy's asymptotic Mann–Whitney p without continuity
    correction (tests/test_stylized_facts.py checks this and a hand-computed case).
    """
    gs = [np.asarray(g, dtype=float) for g in groups]
    j_stat = 0.0
    for i in range(len(gs)):
        for k in range(i + 1, len(gs)):
            d = gs[k][None, :] - gs[i][:, None]
            j_stat += float((d > 0).sum() + 0.5 * (d == 0).sum())
    n_i = np.array([g.size for g in gs], dtype=float)
    n = n_i.sum()
    _, t = np.unique(np.concatenate(gs), return_counts=True)
    t = t.astype(float)
    mean = (n**2 - (n_i**2).sum()) / 4.0
    var = ((n * (n - 1) * (2 * n + 5) - (n_i * (n_i - 1) * (2 * n_i + 5)).sum()
            - (t * (t - 1) * (2 * t + 5)).sum()) / 72.0
           + (n_i * (n_i - 1) * (n_i - 2)).sum() * (t * (t - 1) * (t - 2)).sum()
           / (36.0 * n * (n - 1) * (n - 2))
           + (n_i * (n_i - 1)).sum() * (t * (t - 1)).sum() / (8.0 * n * (n - 1)))
    if var <= 0:
        return j_stat, 1.0
    z = (j_stat - mean) / math.sqrt(var)
    p = st.norm.sf(z) if alternative == "increasing" else st.norm.cdf(z)
    return j_stat, float(p)


def wilcoxon_greater(x: Sequence[float], y: Sequence[float]) -> float:
    """One-sided Wilcoxon signed-rank p for x > y on paired seeds (1.0 if all ties)."""
    d = np.asarray(x, dtype=float) - np.asarray(y, dtype=float)
    if np.all(d == 0):
        return 1.0
    return float(st.wilcoxon(d, alternative="greater").pvalue)


def holm(pvalues: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values (family-wise error), in the input order.

    >>> holm([0.01, 0.04, 0.03])
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(pvalues, dtype=float)
    order = np.argsort(p)
    m = p.size
    adj = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, (m - rank) * p[i])
        adj[i] = min(1.0, running)
    return [round(float(v), 12) for v in adj]


def bimodality_coefficient(x: Sequence[float]) -> float:
    """Sarle's bimodality coefficient BC = (g² + 1) / (k + 3(n−1)²/((n−2)(n−3))), with g
    the sample skewness and k the excess kurtosis (both bias-corrected). BC > 5/9 ≈ 0.555
    (the value of a uniform distribution) suggests bimodality. Used instead of Hartigan's
    dip test, which scipy does not have."""
    x = np.asarray(x, dtype=float)
    n = x.size
    if n < 4 or np.all(x == x[0]):
        return math.nan
    g = st.skew(x, bias=False)
    k = st.kurtosis(x, bias=False)
    return float((g**2 + 1) / (k + 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))))


def auc(pos: Sequence[float], neg: Sequence[float]) -> tuple[float, float]:
    """ROC AUC of a score separating ``pos`` from ``neg`` as U/(n1·n2) (Mann–Whitney; no
    scikit-learn), with the one-sided p for AUC > 0.5."""
    res = st.mannwhitneyu(pos, neg, alternative="greater")
    return float(res.statistic / (len(pos) * len(neg))), float(res.pvalue)


# ----------------------------------------------------------------------------- the checks


@dataclass
class Check:
    """One row of the stylized-facts table."""

    fact: str
    claim: str
    regime: str
    statistic: str
    p: float | None = None  # raw one-sided p (None: a descriptive criterion, no test)
    delta: float | None = None
    delta_ci: tuple[float, float] | None = None
    criterion: bool = True  # the descriptive part of the check (sign, thresholds)
    p_holm: float | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        ok = self.criterion
        if self.p is not None:
            ok = ok and self.p_holm is not None and self.p_holm < ALPHA
        if self.delta is not None:
            ok = ok and abs(self.delta) >= MIN_DELTA
        return bool(ok)


def _map(fn: Callable[..., Any], tasks: Iterable[tuple[Any, ...]], jobs: int) -> list[Any]:
    """Run ``fn(*task)`` for every task, in a process pool when ``jobs`` > 1 (results in
    task order: each run is seeded, so the answer does not depend on ``jobs``)."""
    tasks = list(tasks)
    if jobs <= 1 or len(tasks) < 4:
        return [fn(*t) for t in tasks]
    ctx = mp.get_context("forkserver")
    with cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        return list(pool.map(fn, *zip(*tasks, strict=True), chunksize=4))


def _series_task(kwargs: dict[str, Any], seed: int) -> dict[str, Any]:
    return run_series(synthetic_scenario(**kwargs), seed)


def _deception_task(kwargs: dict[str, Any], seed: int, band: tuple[float, float]) -> dict:
    return run_deception(synthetic_scenario(**kwargs), seed, band)


def _col(rows: list[dict[str, Any]], key: str) -> np.ndarray:
    return np.array([r[key] for r in rows], dtype=float)


def check_f1(seeds: Sequence[int], jobs: int = 1) -> list[Check]:
    """F1: lower legitimacy gives more activity (Epstein 2002; Lemos et al. 2016)."""
    levels = F1_LEGITIMACY
    runs = _map(_series_task, [({"legitimacy": lv}, s) for lv in levels for s in seeds], jobs)
    by = {lv: runs[i * len(seeds):(i + 1) * len(seeds)] for i, lv in enumerate(levels)}
    regime = (f"L ∈ {set(levels)}, {BASE_POLICE} police/100k on presence, floor, "
              f"{F1_F2_DAYS} d × 1 h, n = {len(seeds)} paired seeds per level")
    ascending = sorted(levels)
    x = np.repeat(levels, len(seeds))
    mean_a = np.concatenate([_col(by[lv], "mean") for lv in levels])
    rho, p_rho = st.spearmanr(x, mean_a, alternative="less")
    _, p_jt = jonckheere_terpstra([_col(by[lv], "mean") for lv in ascending], "decreasing")
    low, high = _col(by[min(levels)], "mean"), _col(by[max(levels)], "mean")
    ci = bootstrap_delta_ci(low, high)
    out = [
        Check("F1", "ρ(L, Ā) < 0", regime, f"Spearman ρ = {rho:.3f}", float(p_rho),
              cliffs_delta(low, high), ci, criterion=bool(rho < 0),
              details={"mean_by_L": {lv: float(_col(by[lv], 'mean').mean()) for lv in levels}}),
        Check("F1", "Ā decreases along L (JT)", regime,
              "JT trend, groups L ↑", p_jt, criterion=True),
    ]
    any_out = {lv: _col(by[lv], "any_outbreak") for lv in levels}
    shares = [float(any_out[lv].mean()) for lv in ascending]
    mono = all(a >= b for a, b in itertools.pairwise(shares))
    k_low, k_high = int(any_out[min(levels)].sum()), int(any_out[max(levels)].sum())
    n = len(seeds)
    _, p_fisher = st.fisher_exact([[k_low, n - k_low], [k_high, n - k_high]],
                                  alternative="greater")
    out.append(Check("F1", "P(any outbreak) non-increasing in L", regime,
                     "P(outbreak) at L " + ", ".join(f"{lv}: {s:.2f}"
                                                    for lv, s in zip(ascending, shares,
                                                                     strict=True)),
                     float(p_fisher), criterion=mono,
                     details={"fisher": f"L={min(levels)} vs L={max(levels)}"}))
    t_first = np.concatenate([_col(by[lv], "first_outbreak") for lv in levels])
    rho_t, p_t = st.spearmanr(x, t_first, alternative="greater")
    _, p_jt_t = jonckheere_terpstra([_col(by[lv], "first_outbreak") for lv in ascending],
                                    "increasing")
    lo_t, hi_t = _col(by[min(levels)], "first_outbreak"), _col(by[max(levels)], "first_outbreak")
    out.append(Check("F1", "time to first outbreak increases with L", regime,
                     f"Spearman ρ = {rho_t:.3f} (censored at horizon); JT p = {p_jt_t:.2g}",
                     float(max(p_t, p_jt_t)), cliffs_delta(hi_t, lo_t),
                     bootstrap_delta_ci(hi_t, lo_t), criterion=bool(rho_t > 0)))
    return out


def check_f2(seeds: Sequence[int], jobs: int = 1) -> list[Check]:
    """F2: more visible police gives fewer outbreaks, with a knee (Epstein 2002; Fonoberova
    et al. 2012; Davies et al. 2013)."""
    levels = F2_POLICE
    runs = _map(_series_task, [({"police": lv}, s) for lv in levels for s in seeds], jobs)
    by = {lv: runs[i * len(seeds):(i + 1) * len(seeds)] for i, lv in enumerate(levels)}
    regime = (f"L = {BASE_L}, police ∈ {list(levels)} per 100k residents on presence "
              f"(×{levels[-1] // levels[0]}), floor, {F1_F2_DAYS} d × 1 h, n = {len(seeds)}")
    x = np.repeat(levels, len(seeds))
    mean_a = np.concatenate([_col(by[lv], "mean") for lv in levels])
    rho, p_rho = st.spearmanr(x, mean_a, alternative="less")
    _, p_jt = jonckheere_terpstra([_col(by[lv], "mean") for lv in levels], "decreasing")
    lo, hi = _col(by[levels[0]], "mean"), _col(by[levels[-1]], "mean")
    means = np.array([_col(by[lv], "mean").mean() for lv in levels])
    drops = -np.diff(means) / np.diff(levels)
    knee = int(np.argmax(drops))
    best_ratio, best_pair = 0.0, (levels[0], levels[0])
    for i, a in enumerate(levels):
        for j in range(i + 1, len(levels)):
            b = levels[j]
            if b / a <= 3.0 + 1e-9 and means[j] > 0:
                r = means[i] / means[j]
                if r > best_ratio:
                    best_ratio, best_pair = float(r), (a, b)
            elif b / a <= 3.0 + 1e-9:
                best_ratio, best_pair = math.inf, (a, b)
    out = [
        Check("F2", "Ā decreases with police density", regime,
              f"Spearman ρ = {rho:.3f}; JT p = {p_jt:.2g}", float(max(p_rho, p_jt)),
              cliffs_delta(lo, hi), bootstrap_delta_ci(lo, hi), criterion=bool(rho < 0),
              details={"mean_by_police": dict(zip(levels, means.tolist(), strict=True))}),
    ]
    any_out = np.concatenate([_col(by[lv], "any_outbreak") for lv in levels])
    rho_o, p_o = st.spearmanr(x, any_out, alternative="less")
    shares = [float(_col(by[lv], "any_outbreak").mean()) for lv in levels]
    mono = all(a >= b for a, b in itertools.pairwise(shares))
    out.append(Check("F2", "P(outbreak) decreases with police density", regime,
                     f"Spearman ρ = {rho_o:.3f}; P = " + ", ".join(f"{s:.2f}" for s in shares),
                     float(p_o), criterion=bool(rho_o < 0 and mono),
                     details={"non_increasing": mono}))
    out.append(Check("F2", "knee: ≥ 10-fold drop in Ā within a factor-3 range", regime,
                     f"largest drop per officer between {levels[knee]} and {levels[knee + 1]}; "
                     f"best factor-3 ratio {best_ratio:.1f}× ({best_pair[0]} → {best_pair[1]})",
                     criterion=bool(best_ratio >= 10.0),
                     details={"knee": (levels[knee], levels[knee + 1]),
                              "ratio": best_ratio, "pair": best_pair}))
    return out


def check_f3(seeds: Sequence[int], jobs: int = 1) -> tuple[list[Check], list[dict[str, Any]]]:
    """F3: punctuated equilibrium in the intermediate regime, near-zero activity at the two
    edges (Epstein 2002 Figs 3–7). Also returns the intermediate runs (F6(b) reuses them)."""
    tasks = [({"days": F3_DAYS, "police": F3_POLICE}, s) for s in seeds]
    for kw in F3_EDGES.values():
        tasks += [({"days": F1_F2_DAYS, **kw}, s) for s in seeds]
    runs = _map(_series_task, tasks, jobs)
    n = len(seeds)
    mid = runs[:n]
    regime = (f"L = {BASE_L}, {F3_POLICE} police/100k, floor, {VILLAGES} neighbourhoods, "
              f"dropout 0.2/h + 24 h rest, {F3_DAYS} d × 1 h, n = {n}")
    crit = {
        "peak/mean ≥ 5": _col(mid, "peak_to_mean") >= 5,
        "outbreak share ≤ 0.2": _col(mid, "frac_outbreak") <= 0.2,
        "≥ 2 outbreaks": _col(mid, "outbreaks") >= 2,
        "waiting-time CV > 0.3": _col(mid, "wait_cv") > 0.3,
        "size skewness > 0": _col(mid, "size_skew") > 0,
    }
    all_ok = np.logical_and.reduce(list(crit.values()))
    k = int(all_ok.sum())
    # The regime "exists" if most seeds show the whole pattern: one-sided binomial test of
    # P(seed shows all five criteria) > 1/2.
    p_bin = float(st.binomtest(k, n, 0.5, alternative="greater").pvalue)
    out = [Check("F3", "punctuated equilibrium (all five criteria per seed)", regime,
                 f"{k}/{n} seeds; " + ", ".join(f"{c}: {v.mean():.2f}" for c, v in crit.items()),
                 p_bin, criterion=bool(k > n / 2),
                 details={"share": {c: float(v.mean()) for c, v in crit.items()}})]
    mid_any = _col(mid, "any_outbreak")
    for i, name in enumerate(F3_EDGES):
        edge = runs[n * (i + 1):n * (i + 2)]
        e_any = _col(edge, "any_outbreak")
        k_mid, k_edge = int(mid_any.sum()), int(e_any.sum())
        # The intermediate runs are 3× longer: compare on the first F1_F2_DAYS only.
        mid_short = np.array([float((r["active"][: F1_F2_DAYS * 24 - BURN_IN] > THETA).any())
                              for r in mid])
        k_mid = int(mid_short.sum())
        _, p = st.fisher_exact([[k_mid, n - k_mid], [k_edge, n - k_edge]],
                               alternative="greater")
        e_mean = _col(edge, "mean")
        out.append(Check("F3", f"edge near zero: {name}", regime.split(",")[0] + " → " + name,
                         f"P(outbreak) {k_edge}/{n} vs {k_mid}/{n} mid; "
                         f"Ā = {e_mean.mean():.5f}, max A = {_col(edge, 'max').max():.4f}",
                         float(p), criterion=bool(k_edge == 0 and e_mean.mean() < 0.005)))
    return out, mid


def check_f6(seeds: Sequence[int], mid_runs: list[dict[str, Any]], jobs: int = 1,
             band: tuple[float, float] = (0.12, 0.16), k: int = 6) -> list[Check]:
    """F6: quiet is not content (Epstein 2002 Figs 1–2, 8; Kuran 1991)."""
    rows = _map(_deception_task, [({}, s, band) for s in seeds], jobs)
    none_, police = _col(rows, "p_active_none"), _col(rows, "p_active_police")
    regime = (f"L = {BASE_L}, {BASE_POLICE} police/100k, floor, G ∈ ({band[0]}, {band[1]}), "
              f"free and rested citizens, {F1_F2_DAYS} d, n = {len(seeds)}")
    out = [Check("F6a", "P(active | police in view) < P(active | none)", regime,
                 f"P(active | C=0) = {none_.mean():.3f}, P(active | C≥1) = {police.mean():.3f}",
                 wilcoxon_greater(none_, police), cliffs_delta(none_, police),
                 bootstrap_delta_ci(none_, police), criterion=bool(none_.mean() > police.mean()))]
    # (b) tension in the k ticks before outbreak onsets vs matched quiet windows: windows of
    # k ticks in the same runs with no outbreak in them, in the k ticks after them, or in
    # the k ticks before them (so a control is never the tail of an outbreak).
    pre, ctrl, after, before = [], [], [], []
    for r in mid_runs:
        a, ten = r["active"], r["tension"]
        eps = episodes(a)
        busy = np.zeros(a.size, dtype=bool)
        for s, e in eps:
            busy[max(0, s - k):min(a.size, e + k)] = True
            if s >= k:
                pre.append(float(ten[s - k:s].mean()))
            if s >= k and e + k <= a.size:
                before.append(float(ten[s - k:s].mean()))
                after.append(float(ten[e:e + k].mean()))
        for t0 in range(0, a.size - 2 * k, k):
            if not busy[t0:t0 + 2 * k].any():
                ctrl.append(float(ten[t0:t0 + k].mean()))
    regime_b = (f"F3 intermediate regime runs, k = {k} ticks, {len(pre)} onsets vs "
                f"{len(ctrl)} quiet windows")
    if pre and ctrl:
        a_uc, p_auc = auc(pre, ctrl)
        out.append(Check("F6b", "tension before onsets > matched quiet windows (AUC > 0.6)",
                         regime_b, f"AUC = {a_uc:.3f}; mean tension {np.mean(pre):.3f} vs "
                         f"{np.mean(ctrl):.3f}", p_auc, 2 * a_uc - 1,
                         bootstrap_delta_ci(pre, ctrl, paired=False), criterion=a_uc > 0.6))
    else:
        out.append(Check("F6b", "tension before onsets > matched quiet windows (AUC > 0.6)",
                         regime_b, "no onsets or no quiet windows", criterion=False))
    if before:
        b, af = np.array(before), np.array(after)
        out.append(Check("F6b", "tension falls after outbreaks", regime_b,
                         f"mean tension {b.mean():.3f} before onset → {af.mean():.3f} after end",
                         wilcoxon_greater(b, af), cliffs_delta(b, af),
                         bootstrap_delta_ci(b, af), criterion=bool(b.mean() > af.mean())))
    return out


def _granovetter_task(sigma: float, seed: int, remove: bool) -> float:
    return run_granovetter(sigma, seed, remove)


def check_f7(seeds: Sequence[int], jobs: int = 1) -> list[Check]:
    """F7 at engine level: threshold dispersion decides cascades (Granovetter 1978). The
    module-level and tutorial-level parts are in tests/test_granovetter.py."""
    sig = F7_SIGMAS
    finals = _map(_granovetter_task, [(s, seed, False) for s in sig for seed in seeds], jobs)
    n = len(seeds)
    by = {s: np.array(finals[i * n:(i + 1) * n]) for i, s in enumerate(sig)}
    means = np.array([by[s].mean() for s in sig])
    # Common random numbers make each seed's thresholds the same standard-normal draws
    # scaled by σ, so a seed's final participation is a step function of σ: the check is
    # per seed — does it go from < 10 % to > 90 % between two adjacent σ of the grid?
    curves = np.stack([by[s] for s in sig], axis=1)  # (seeds, σ)
    steps = np.diff(curves, axis=1)
    sharp = steps.max(axis=1) >= 0.8
    where = [sig[int(i)] for i in steps.argmax(axis=1)]
    regime = (f"one neighbourhood of {F7_N}, thresholds ~ N(0.25, σ), no police, G > T for "
              f"all, σ ∈ {list(sig)}, n = {n} seeds per σ")
    x = np.repeat(sig, n)
    _, p_rho = st.spearmanr(x, np.concatenate([by[s] for s in sig]), alternative="greater")
    lo, hi = by[sig[0]], by[sig[-1]]
    out = [Check("F7", "final participation jumps within a narrow σ window", regime,
                 f"{sharp.mean():.0%} of seeds jump ≥ 0.8 between adjacent σ (Δσ ≤ 0.02), "
                 f"at σ from {min(where)} to {max(where)} (median {np.median(where)}); "
                 "seed-mean final by σ: " + ", ".join(f"{s}: {m:.2f}" for s, m in zip(
                     sig, means, strict=True)),
                 float(p_rho), cliffs_delta(hi, lo), bootstrap_delta_ci(hi, lo),
                 criterion=bool(sharp.mean() >= 0.9),
                 details={"means": dict(zip(sig, means.tolist(), strict=True))})]
    # Bimodality near the window: the σ with the most even split between the extremes.
    split = [min((by[s] < 0.1).mean(), (by[s] > 0.9).mean()) for s in sig]
    s_star = sig[int(np.argmax(split))]
    v = by[s_star]
    extremes = float(((v < 0.1) | (v > 0.9)).mean())
    bc = bimodality_coefficient(v)
    out.append(Check("F7", "bimodal across seeds near the window", regime,
                     f"σ = {s_star}: {extremes:.0%} of runs at an extreme (< 10 % or > 90 %), "
                     f"{(v < 0.1).mean():.0%} low / {(v > 0.9).mean():.0%} high; "
                     f"bimodality coefficient {bc:.2f} (> 0.555)",
                     criterion=bool(extremes >= 0.9 and max(split) >= 0.1 and bc > 5 / 9),
                     details={"sigma": s_star}))
    # Instigator removal: same seeds at s_star, lowest threshold made unreachable.
    removed = np.array(_map(_granovetter_task, [(s_star, seed, True) for seed in seeds], jobs))
    cascade, cascade_rm = v > 0.5, removed > 0.5
    flips = int((cascade & ~cascade_rm).sum())
    n_casc = int(cascade.sum())
    p_flip = float(st.binomtest(flips, max(n_casc, 1), 0.05, alternative="greater").pvalue) \
        if n_casc else 1.0
    out.append(Check("F7", "removing the lowest-threshold instigator flips cascades",
                     regime, f"σ = {s_star}: {flips}/{n_casc} cascades stop "
                     f"(Ā {v.mean():.2f} → {removed.mean():.2f})",
                     p_flip, cliffs_delta(v, removed), bootstrap_delta_ci(v, removed),
                     criterion=bool(n_casc and flips / n_casc >= 0.1)))
    return out


def run_suite(seeds: Sequence[int], jobs: int = 1,
              f7_seeds: Sequence[int] | None = None,
              f3_seeds: Sequence[int] | None = None) -> list[Check]:
    """Every check, with Holm-adjusted p-values across the whole suite."""
    checks = check_f1(seeds, jobs) + check_f2(seeds, jobs)
    f3, mid = check_f3(f3_seeds if f3_seeds is not None else seeds, jobs)
    checks += f3 + check_f6(seeds, mid, jobs)
    checks += check_f7(f7_seeds if f7_seeds is not None else seeds, jobs)
    tested = [c for c in checks if c.p is not None]
    for c, adj in zip(tested, holm([c.p for c in tested]), strict=True):
        c.p_holm = adj
    return checks


# ----------------------------------------------------------------------------- output


def _fmt_p(p: float | None) -> str:
    return "—" if p is None else f"{p:.2g}"


def table(checks: Sequence[Check], markdown: bool = False) -> str:
    """The checks as a text (or Markdown) table."""
    head = ["fact", "claim", "statistic", "p", "p (Holm)", "δ [95 % CI]", "result"]
    rows = []
    for c in checks:
        d = "—" if c.delta is None else (
            f"{c.delta:+.2f} [{c.delta_ci[0]:+.2f}, {c.delta_ci[1]:+.2f}]" if c.delta_ci
            else f"{c.delta:+.2f}")
        rows.append([c.fact, c.claim, c.statistic, _fmt_p(c.p), _fmt_p(c.p_holm), d,
                     "pass" if c.passed else "FAIL"])
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    return "\n".join("  ".join(r) for r in [head, *rows])


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=100, help="paired seeds per arm")
    ap.add_argument("--f7-seeds", type=int, default=200, help="seeds per σ for F7")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    checks = run_suite(range(args.seeds), args.jobs, range(args.f7_seeds))
    print(table(checks, args.markdown))
    print()
    for c in checks:
        print(f"{c.fact} {c.claim}\n    regime: {c.regime}")
        if c.details:
            print(f"    details: {c.details}")
    print(f"\n{sum(c.passed for c in checks)}/{len(checks)} checks pass; "
          f"{time.perf_counter() - t0:.0f} s with {args.jobs} processes")


if __name__ == "__main__":
    main()
