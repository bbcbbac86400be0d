"""Stylized fact F7 (design/model-anchors.md §2 and §6): small changes in the threshold
distribution decide cascades (Granovetter 1978)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import variant
from scipy.stats import norm

from wargame.dynamics import granovetter_final
from wargame.model import WargameModel
from wargame.population import ACTIVE

# ---------------------------------------------------------------------------- the module


def test_thresholds_0_to_99_give_a_full_cascade():
    assert granovetter_final(range(100)) == 100


def test_moving_one_person_from_threshold_1_to_2_stops_the_cascade():
    thresholds = list(range(100))
    thresholds[1] = 2
    assert granovetter_final(thresholds) == 1


def test_nobody_with_threshold_zero_means_nobody_moves():
    assert granovetter_final(range(1, 101)) == 0
    assert granovetter_final([0.0] * 10) == 10


def normal_quantile_thresholds(sigma: float, n: int = 100, mean: float = 25.0) -> np.ndarray:
    """N thresholds at the deterministic quantiles of Normal(mean, σ):
    θ_i = Φ⁻¹((i + ½) / N) · σ + mean, i = 0 … N−1 (no sampling noise)."""
    return norm.ppf((np.arange(n) + 0.5) / n) * sigma + mean


@pytest.mark.parametrize("sigma", [5.0, 8.0, 10.0, 11.0, 12.0, 12.2, 12.5])
def test_normal_thresholds_below_the_window_give_a_small_crowd(sigma):
    """N = 100 quantile thresholds: a handful of instigators, no cascade."""
    assert granovetter_final(normal_quantile_thresholds(sigma)) <= 6


@pytest.mark.parametrize("sigma", [12.6, 13.0, 15.0, 20.0])
def test_normal_thresholds_above_the_window_give_everyone(sigma):
    assert granovetter_final(normal_quantile_thresholds(sigma)) == 100


def test_the_jump_happens_inside_a_narrow_sigma_window():
    """Construction: N = 100 thresholds at the deterministic quantiles of Normal(25, σ)
    (``normal_quantile_thresholds``), fed to ``granovetter_final``. Bisection on σ finds
    the smallest σ giving ≥ 50 participants. With this construction the jump is at
    σ* ≈ 12.549 (final count 5 just below, 100 just above); the anchors' continuous-CDF
    fixed point puts it at ≈ 12.25 (see the next test). Either way: from a few percent to
    everyone within a hundredth of σ."""
    lo, hi = 10.0, 15.0
    for _ in range(40):
        mid = (lo + hi) / 2
        if granovetter_final(normal_quantile_thresholds(mid)) >= 50:
            hi = mid
        else:
            lo = mid
    assert 12.5 < hi < 12.6
    assert granovetter_final(normal_quantile_thresholds(lo)) <= 6
    assert granovetter_final(normal_quantile_thresholds(hi)) == 100
    assert granovetter_final(normal_quantile_thresholds(hi - 0.01)) <= 6


@pytest.mark.parametrize(("sigma", "expected"), [(12.0, 4.02), (12.2, 5.47), (12.3, 100.0)])
def test_large_population_matches_the_continuous_fixed_point(sigma, expected):
    """The anchors' own continuous-CDF check (r ← 100·Φ((r − 25)/σ)): 4.0 at σ = 12.0,
    5.5 at 12.2, 100 at 12.3. Approximated by 100,000 quantile thresholds (counts scaled
    by 1,000), the module reproduces it."""
    k = 1_000
    theta = normal_quantile_thresholds(sigma * k, n=100 * k, mean=25.0 * k)
    assert granovetter_final(theta) / k == pytest.approx(expected, abs=0.02)


# ---------------------------------------------------------------------------- the engine

SD_LOW, SD_HIGH = 0.10, 0.14  # around the continuous critical σ ≈ 0.1225 (in shares)
MEAN = 0.25
SEEDS = (0, 1, 2)
SCALE = 10  # 17,000 citizens, ~740 per neighbourhood: close to mean-field
TICKS = 40


def pure_granovetter(tutorial, sd: float, granovetter: bool = True):
    """The tutorial with the Epstein part of the rule switched off so that only thresholds
    decide: no police or Linmas (P = 0), legitimacy 0 and T = 0 (so G = H > T for every
    citizen), no dropout, no supporters on the street, no crowd formation, and one quiet
    stage with no threat events."""
    stage = {"id": "test", "name": "Uji", "name_en": "Test", "start": "2024-11-17",
             "end": "2024-11-18", "turns": 1, "ticks_per_turn": TICKS}
    return variant(tutorial, **{
        "units": [],
        "params.forces.linmas_per_tps": 0,
        "params.legitimacy.police_initial": 0.0,
        "params.legitimacy.election_initial": 0.0,
        "params.activation.threshold": 0.0,
        "params.activation.threshold_mean": MEAN,
        "params.activation.threshold_sd": sd,
        "params.activation.granovetter": granovetter,
        "params.crowd.dropout_per_hour": 0.0,
        "params.crowd.form_size": 10**9,
        "params.population.partisan_share": 0.0,
        "calendar.stages": [stage],
    })


def final_participation(sc, seed: int) -> float:
    m = WargameModel(sc, seed=seed, scale=SCALE)
    m.run()
    return float((m.pop.state == ACTIVE).mean())


def test_engine_without_police_and_threshold_rule_everyone_is_active(tutorial):
    """Precondition of the reduction: with every G > T and P = 0, Epstein's rule alone
    makes everyone active at once."""
    m = WargameModel(pure_granovetter(tutorial, SD_LOW, granovetter=False), seed=0,
                     scale=100)
    m.step()
    assert (m.pop.state == ACTIVE).all()


def test_engine_citizen_rule_is_granovetter_citizen_by_citizen(tutorial):
    """Each tick, citizen i is active iff θ_i ≤ the share of its neighbourhood that was
    active after the previous tick (Granovetter's r(t+1) = F(r(t)), per neighbourhood)."""
    m = WargameModel(pure_granovetter(tutorial, 0.13), seed=4, scale=SCALE)
    pop = m.pop
    share = np.zeros(pop.hood_district.size)
    grew = False
    for _ in range(12):
        m.step()
        expected = pop.threshold <= share[pop.hood]
        assert np.array_equal(pop.state == ACTIVE, expected)
        new = pop.counts_by_hood(pop.state == ACTIVE) / pop.counts_by_hood()
        grew |= bool((new > share).any())
        share = new
    assert grew


@pytest.mark.parametrize("seed", SEEDS)
def test_engine_participation_jumps_with_threshold_dispersion(tutorial, seed):
    """Mean threshold fixed at 0.25: σ = 0.10 leaves a few instigators (the mean-field fixed
    point is 0.8 %), σ = 0.14 takes everyone out."""
    low = final_participation(pure_granovetter(tutorial, SD_LOW), seed)
    high = final_participation(pure_granovetter(tutorial, SD_HIGH), seed)
    assert low < 0.03
    assert high > 0.95


def test_engine_low_dispersion_matches_mean_field_fixed_point(tutorial):
    """r ← Φ((r − 0.25)/0.10) from r = 0 converges to r* ≈ 0.0076."""
    r = 0.0
    for _ in range(1000):
        r = float(norm.cdf((r - MEAN) / SD_LOW))
    got = np.mean([final_participation(pure_granovetter(tutorial, SD_LOW), s) for s in SEEDS])
    assert got == pytest.approx(r, abs=0.004)
