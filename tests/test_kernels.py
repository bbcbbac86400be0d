"""The compiled kernels (``wargame.kernels``) compute exactly what their references in
``wargame.dynamics`` compute, bit for bit, over many random inputs and the edge cases (an
isolated district, values clipped at 0 and 1, no diffusion, long ticks)."""

from __future__ import annotations

from types import SimpleNamespace

import numba
import numpy as np
import pytest
import scipy.sparse as sp
from conftest import high_tension

from agents import groups
from agents.units import TRAVEL_DUTY, TRAVEL_FATIGUE
from wargame import dynamics as dyn
from wargame import kernels
from wargame.model import WargameModel

KERNELS = ("rumour_step", "supporter_groups", "legitimacy_table", "legitimacy_recovery",
           "unit_bookkeeping", "contributions")


def _graph(rng: np.random.Generator, n: int) -> sp.csr_array:
    """A random weighted graph on ``n`` districts, row-normalised as the engine's; the last
    district is isolated (an empty row)."""
    a = (rng.random((n, n)) < 0.3) * rng.random((n, n))
    a = np.triu(a, 1)
    a = a + a.T
    a[-1, :] = a[:, -1] = 0.0
    return dyn.row_normalised(sp.csr_array(a))


@pytest.mark.parametrize("seed", range(5))
def test_rumour_step_equals_its_reference(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 40))
    w = _graph(rng, n)
    for _ in range(100):
        rumour = rng.choice([rng.random(n), np.round(rng.random(n), 1), np.zeros(n),
                             np.ones(n)])
        hours = float(rng.choice([0.5, 2.0, 6.0, 24.0, 90.0]))
        diffusion, decay = (float(v) for v in rng.choice([0.0, 0.1, 0.7, 5.0], size=2))
        damping = rng.choice([np.zeros(n), rng.random(n), np.full(n, rng.random())])
        expected = dyn.rumour_step(rumour, w, hours, diffusion, decay, damping)
        got = kernels.rumour_step(rumour, w.indptr, w.indices, w.data, hours, diffusion,
                                  decay, damping)
        assert got.tobytes() == expected.tobytes()
    assert w.indptr[-1] == w.indptr[-2]  # the isolated district was part of the graph


@pytest.mark.parametrize("seed", range(5))
def test_supporter_groups_equal_the_groups_decision_summed_by_district(seed):
    """``kernels.supporter_groups`` = ``agents.groups.decide``, then the mobilised share per
    district summed over the Paslon's groups and clipped, as the engine did with numpy."""
    rng = np.random.default_rng(seed)
    for _ in range(100):
        n_c, n = int(rng.integers(1, 5)), int(rng.integers(1, 30))
        size = n_c * n
        threat = SimpleNamespace(rally=float(rng.choice([0.0, 0.3, 2.0])),
                                 protest=float(rng.choice([0.0, 0.5, 3.0])))
        stage = SimpleNamespace(threat=threat, mobilisation=float(rng.choice([0.0, 0.2, 1.0])),
                                result_known=bool(rng.random() < 0.5))
        hours = float(rng.choice([0.5, 6.0, 24.0, 90.0]))
        share, vul = rng.random(size), rng.random(size)
        losing = (rng.random(size) < 0.5) & stage.result_known
        grievance = rng.choice([rng.random(size), np.zeros(size), 5 * rng.random(size)])
        threshold = float(rng.choice([0.0, 0.1, 0.3]))
        partisan = float(rng.choice([0.2, 0.9, 4.0]))  # 4: sums past 1, clipped
        draws = rng.random((size, 2))
        rally, protest, mobilised = groups.decide(
            hours=hours, stage=stage, share=share, losing=losing, grievance=grievance,
            threshold=threshold, partisan_share=partisan, vulnerability=vul, draws=draws)
        expected = np.minimum(np.maximum(mobilised.reshape(-1, n).sum(axis=0), 0.0), 1.0)
        got = kernels.supporter_groups(hours / 24.0, threat.rally, threat.protest,
                                       stage.mobilisation, stage.result_known, share, losing,
                                       grievance, threshold, partisan, vul, draws, n)
        np.testing.assert_array_equal(got[0], rally)
        np.testing.assert_array_equal(got[1], protest)
        assert got[2].tobytes() == expected.tobytes()


@pytest.mark.parametrize("seed", range(5))
def test_legitimacy_table_equals_the_dynamics_functions(seed):
    """Row 0 ``perceived_legitimacy``; Paslon rows ``partisan_legitimacy`` of it, with the
    losers' discount of the election body in contested stages."""
    rng = np.random.default_rng(seed)
    for _ in range(100):
        n_c, n = int(rng.integers(1, 5)), int(rng.integers(1, 30))
        police, election = rng.random(n), rng.random(n)
        rumour, sara, polar = rng.random(n), rng.random(n), rng.random(n)
        w, rw, pw = (float(v) for v in rng.choice([0.0, 0.3, 0.5, 1.0, 2.5], size=3))
        contested = bool(rng.random() < 0.5)
        loser = rng.random(n_c) < 0.5
        factor = 1 - min(float(rng.random() * 1.5), 1.0)
        base = dyn.perceived_legitimacy(police, election, w)
        election_seen = np.where(loser[:, None] & contested, election[None, :] * factor,
                                 election[None, :])
        partisans = dyn.partisan_legitimacy(dyn.perceived_legitimacy(police, election_seen, w),
                                            rumour, sara, polar, rw, pw, contested=contested)
        expected = np.vstack([base, partisans])
        got = kernels.legitimacy_table(police, election, w, contested, loser, factor, rumour,
                                       sara, polar, rw, pw)
        assert got.tobytes() == expected.tobytes()


@pytest.mark.parametrize("seed", range(5))
def test_legitimacy_recovery_equals_engagement_recovery_by_recovery_share(seed):
    rng = np.random.default_rng(seed)
    for _ in range(100):
        n = int(rng.integers(1, 30))
        coverage = rng.choice([rng.random(n), 2 * rng.random(n) - 0.5, np.zeros(n)])
        rate, hours = float(rng.choice([0.0, 0.2, 3.0])), float(rng.choice([0.5, 6.0, 90.0]))
        police, election = rng.random(n), rng.random(n)
        police0 = rng.choice([rng.random(n), police])  # below, above or at the start level
        election0 = rng.random(n)
        share = dyn.recovery_share(coverage, rate, hours)
        got = kernels.legitimacy_recovery(coverage, rate, hours, police, police0, election,
                                          election0)
        assert got[0].tobytes() == dyn.engagement_recovery(police, police0, share).tobytes()
        assert got[1].tobytes() == dyn.engagement_recovery(election, election0,
                                                           share).tobytes()


def _bookkeeping_numpy(hours, tps_open, strength, rate, duty, guard, standing, on_road,
                       worked, tired):
    """``tick_units``' bookkeeping as whole-array numpy (its form before compiling)."""
    duty = np.where(guard, 0.0, duty) if not tps_open else duty.copy()
    duty[~standing] = TRAVEL_DUTY
    rate = np.where(on_road, TRAVEL_FATIGUE, rate)
    worked += strength * hours * duty
    changes = (rate > 0) | (tired > 0)
    tired[:] = np.where(changes, np.minimum(1.0, np.maximum(0.0, tired + rate * hours)), tired)


@pytest.mark.parametrize("seed", range(5))
def test_unit_bookkeeping_equals_the_whole_array_form(seed):
    rng = np.random.default_rng(seed)
    for _ in range(100):
        n = int(rng.integers(1, 200))
        hours, tps_open = float(rng.choice([0.5, 6.0, 90.0])), bool(rng.random() < 0.5)
        strength = rng.integers(1, 300, n).astype(float)
        rate = rng.choice([0.0, -0.01, 0.002, 0.02], n)  # negative: resting recovers
        duty, guard = rng.random(n), rng.random(n) < 0.3
        standing = rng.random(n) < 0.8
        on_road = ~standing & (rng.random(n) < 0.7)  # the rest arrived this tick
        worked, tired = 1000 * rng.random(n), rng.choice([0.0, 0.5, 0.999], n)
        w1, t1, w2, t2 = worked.copy(), tired.copy(), worked.copy(), tired.copy()
        _bookkeeping_numpy(hours, tps_open, strength, rate, duty, guard, standing, on_road,
                           w1, t1)
        kernels.unit_bookkeeping(hours, tps_open, strength, rate, duty, guard, standing,
                                 on_road, TRAVEL_DUTY, TRAVEL_FATIGUE, w2, t2)
        assert w2.tobytes() == w1.tobytes()
        assert t2.tobytes() == t1.tobytes()


def _contributions_in_order(cover, base, where, fatigue, engaged_at_full, villages):
    """What the units bring, summed unit after unit (the definition) in plain Python."""
    n_units, n = cover.shape
    sums = [[0.0] * n for _ in range(5)]
    for u in range(n_units):
        eff = 1.0 - 0.5 * float(fatigue[u])
        for d in range(n):
            if cover[u, d] != 0.0:
                for k in range(3):
                    sums[k][d] += float(base[u, k]) * eff * float(cover[u, d])
        for k in (3, 4):
            sums[k][int(where[u])] += float(base[u, k]) * eff
    presence, engagement, intel, arrests, guards = (np.array(x) for x in sums)
    return (presence, dyn.clip01(engagement / engaged_at_full), dyn.clip01(intel / villages),
            arrests, guards)


@pytest.mark.parametrize("seed", range(5))
def test_contributions_sum_unit_after_unit_as_numpy_products_do(seed):
    """``kernels.contributions`` sums each district's contributions unit after unit (no
    BLAS, whose order and fused multiply-adds vary by CPU): exactly the plain sums; within
    rounding of the matrix product the engine used before; exactly it when the sums are
    exact (whole personnel, whole weights)."""
    rng = np.random.default_rng(seed)
    for trial in range(60):
        n_units, n = int(rng.integers(1, 60)), int(rng.integers(1, 30))
        where = rng.integers(0, n, n_units).astype(np.intp)
        cover = np.zeros((n_units, n))
        for u in range(n_units):  # its own district, or a home and area shared evenly
            places = {int(where[u]), *rng.integers(0, n, int(rng.integers(0, 3))).tolist()}
            cover[u, sorted(places)] = 1.0 / len(places)
        travelling = rng.random(n_units) < 0.2
        cover[travelling] = 0.0
        exact = trial % 2 == 0
        base = (rng.integers(0, 40, (n_units, 5)) if exact else rng.random((n_units, 5)) * 50)
        base = base.astype(float)
        base[travelling] = 0.0
        if exact:
            cover = (cover > 0).astype(float)
        fatigue = np.zeros(n_units) if exact else rng.random(n_units)
        engaged, villages = rng.random(n) * 30 + 1e-3, rng.integers(1, 20, n).astype(float)
        got = kernels.contributions(cover, base, where, fatigue, engaged, villages)
        expected = _contributions_in_order(cover, base, where, fatigue, engaged, villages)
        for a, b in zip(got, expected, strict=True):
            assert a.tobytes() == b.tobytes()
        scaled = base * (1.0 - 0.5 * fatigue)[:, None]
        products = scaled[:, :3].T @ cover
        old = (products[0], dyn.clip01(products[1] / engaged), dyn.clip01(products[2] / villages),
               np.bincount(where, weights=scaled[:, 3], minlength=n),
               np.bincount(where, weights=scaled[:, 4], minlength=n))
        for a, b in zip(got, old, strict=True):
            if exact:
                assert a.tobytes() == b.tobytes()
            else:
                np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_warm_up_compiles_every_kernel_as_the_engine_calls_it(tutorial):
    """Forked batch workers inherit what ``warm()`` compiled: a whole run of the engine
    must add no specialisation (argument types and layouts) of any kernel to those."""
    kernels.warm()
    compiled = {name: set(getattr(kernels, name).signatures) for name in KERNELS}
    assert all(compiled.values())
    m = WargameModel(high_tension(tutorial), seed=1)
    m.run()
    assert m.tick_index == len(m.ticks)
    for name in KERNELS:
        assert set(getattr(kernels, name).signatures) == compiled[name], name


@numba.njit(cache=False)
def _numba_draws(rng, mu, n, p, k):
    a = np.empty(mu.size, np.int64)
    b = np.empty(p.size, np.int64)
    c = np.empty(k)
    for i in range(mu.size):
        a[i] = rng.poisson(mu[i])
    for i in range(p.size):
        b[i] = rng.binomial(n, p[i])
    for i in range(k):
        c[i] = rng.random()
    return a, b, c


@pytest.mark.parametrize("seed", range(5))
def test_numba_draws_numpys_own_poisson_binomial_and_uniforms(seed):
    """The compiled citizens' step draws from the model's Generator inside numba: for the
    same stream, the same means and probabilities (zeros, small and large included), it must
    draw what numpy draws, and leave the stream where numpy leaves it."""
    src = np.random.default_rng(100 + seed)
    for trial in range(40):
        mu = src.exponential(src.choice([0.01, 0.5, 3.0, 12.0, 200.0]), 217)
        mu[::7] = 0.0
        p = np.clip(src.random(217) * src.choice([0.01, 0.3, 1.0]), 0, 1)
        p[::5], p[1::9] = 0.0, 1.0
        n = int(src.choice([0, 1, 7, 150, 1000]))
        ours, theirs = (np.random.default_rng([seed, trial]) for _ in range(2))
        a, b, c = _numba_draws(ours, mu, n, p, 300)
        np.testing.assert_array_equal(a, theirs.poisson(mu))
        np.testing.assert_array_equal(b, theirs.binomial(n, p))
        assert c.tobytes() == theirs.random(300).tobytes()
        assert ours.random() == theirs.random()
