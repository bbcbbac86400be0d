"""Each mechanism of wargame.dynamics against a case computed by hand."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
import scipy.sparse as sp

import wargame.dynamics as dyn

EXP = math.exp


def test_module_doctests_pass():
    result = doctest.testmod(dyn)
    assert result.attempted >= 8
    assert result.failed == 0


# ---------------------------------------------------------------------------- Epstein


def test_grievance_is_hardship_times_illegitimacy():
    assert float(dyn.grievance(0.5, 0.8)) == pytest.approx(0.1)
    assert dyn.grievance([0.2, 1.0, 0.7], [0.5, 0.0, 1.0]).tolist() == pytest.approx(
        [0.1, 1.0, 0.0])


@pytest.mark.parametrize(("cops", "actives", "risk", "expected"), [
    # C = 3, A = 2 (A counts the citizen itself): C/A = 1.5
    (3, 2, "floor", 1 - EXP(-2.3 * 1)),
    (3, 2, "round", 1 - EXP(-2.3 * 2)),
    (3, 2, "continuous", 1 - EXP(-2.3 * 1.5)),
    # C = 2, A = 3: C/A = 0.67 → floor 0 means no deterrence at all (NetLogo's quirk)
    (2, 3, "floor", 0.0),
    (2, 3, "round", 1 - EXP(-2.3)),
    (2, 3, "continuous", 1 - EXP(-2.3 * 2 / 3)),
    # no cops: no risk; A = 0 is treated as the citizen alone (A ≥ 1)
    (0, 5, "continuous", 0.0),
    (1, 0, "floor", 1 - EXP(-2.3)),
])
def test_arrest_probability_hand_cases(cops, actives, risk, expected):
    got = float(dyn.arrest_probability(cops, actives, risk_function=risk))
    assert got == pytest.approx(expected, abs=1e-12)


def test_arrest_probability_k_and_arrays():
    got = dyn.arrest_probability([4, 1], [2, 4], k=1.0, risk_function="continuous")
    assert got.tolist() == pytest.approx([1 - EXP(-2.0), 1 - EXP(-0.25)])
    assert got.shape == (2,)


def test_arrest_probability_rejects_unknown_risk_function():
    with pytest.raises(ValueError, match="unknown risk function"):
        dyn.arrest_probability(1, 1, risk_function="ceil")  # type: ignore[arg-type]


def test_wants_active_is_strict_inequality():
    # G − R·P vs T with exactly representable numbers: 0.5 − 0.5·0.5 = 0.25
    g, r, p = np.full(3, 0.5), np.full(3, 0.5), np.full(3, 0.5)
    assert dyn.wants_active(g, r, p, 0.2).all()
    assert not dyn.wants_active(g, r, p, 0.25).any()
    assert dyn.wants_active([0.3, 0.3], [1.0, 0.0], [0.5, 0.5], 0.1).tolist() == [False, True]


def test_joins_by_threshold_includes_equality():
    got = dyn.joins_by_threshold([0.3, 0.29, 0.0, 1.0], [0.3, 0.3, -0.1, 1.01])
    assert got.tolist() == [True, False, True, False]


# ---------------------------------------------------------------------------- diffusion


def test_row_normalised_two_nodes():
    w = dyn.row_normalised(sp.csr_matrix([[0, 3], [5, 0]]))
    assert w.toarray().tolist() == [[0, 1], [1, 0]]


def test_row_normalised_weighted_three_node_path_and_isolated_row():
    w = dyn.row_normalised(np.array([[0, 2, 0], [2, 0, 1], [0, 1, 0]]))
    assert w.toarray() == pytest.approx(np.array([[0, 1, 0], [2 / 3, 0, 1 / 3], [0, 1, 0]]))
    iso = dyn.row_normalised(np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]])).toarray()
    assert iso[2].tolist() == [0, 0, 0]
    assert iso[:2].sum(axis=1).tolist() == [1, 1]


def test_diffuse_two_nodes_by_hand():
    w = dyn.row_normalised(sp.csr_matrix([[0, 1], [1, 0]]))
    assert dyn.diffuse([1.0, 0.0], w, 0.25).tolist() == pytest.approx([0.75, 0.25])
    assert dyn.diffuse([1.0, 0.0], w, 1.0).tolist() == pytest.approx([0.0, 1.0])
    assert dyn.diffuse([1.0, 0.0], w, 0.0).tolist() == [1.0, 0.0]


def test_diffuse_three_node_path_by_hand():
    # a —(w=2)— b —(w=1)— c ; W = [[0,1,0],[2/3,0,1/3],[0,1,0]]
    w = dyn.row_normalised(np.array([[0, 2, 0], [2, 0, 1], [0, 1, 0]]))
    x = dyn.diffuse([1.0, 0.0, 0.0], w, 0.5)
    assert x.tolist() == pytest.approx([0.5, 1 / 3, 0.0])
    x2 = dyn.diffuse(x, w, 0.5)
    # W x = [1/3, 1/3, 1/3]; x + 0.5 (Wx − x)
    assert x2.tolist() == pytest.approx([0.5 + 0.5 * (1 / 3 - 0.5), 1 / 3, 1 / 6])
    # stays inside the convex hull of the inputs
    assert x2.min() >= 0 and x2.max() <= 1


def test_diffuse_leaves_a_uniform_field_unchanged():
    w = dyn.row_normalised(np.array([[0, 2, 1], [2, 0, 1], [1, 1, 0]]))
    assert dyn.diffuse([0.4, 0.4, 0.4], w, 0.7).tolist() == pytest.approx([0.4] * 3)


def test_rumour_decays_exponentially_with_no_neighbours_to_exchange():
    # one isolated district, no diffusion share: pure decay exp(−(decay + damping)·days)
    w = dyn.row_normalised(np.zeros((1, 1)))
    x = dyn.rumour_step(np.array([0.5]), w, hours=48, diffusion=0.0, decay=0.1,
                        damping=np.array([0.05]))
    assert x.tolist() == pytest.approx([0.5 * EXP(-0.15 * 2)])


def test_rumour_uniform_field_only_decays_even_with_diffusion():
    w = dyn.row_normalised(np.array([[0, 1, 1], [1, 0, 1], [1, 1, 0]]))
    x = dyn.rumour_step(np.full(3, 0.6), w, hours=12, diffusion=0.15, decay=0.1,
                        damping=np.zeros(3))
    assert x.tolist() == pytest.approx([0.6 * EXP(-0.05)] * 3)


def test_rumour_step_spreads_then_decays_and_clips():
    w = dyn.row_normalised(sp.csr_matrix([[0, 1], [1, 0]]))
    x = dyn.rumour_step(np.array([1.0, 0.0]), w, hours=24, diffusion=0.2, decay=0.1,
                        damping=np.array([0.0, 0.3]))
    assert x.tolist() == pytest.approx([0.8 * EXP(-0.1), 0.2 * EXP(-0.4)])
    # the diffusion share is capped at 1 for long ticks, and loads stay in [0, 1]
    y = dyn.rumour_step(np.array([1.0, 0.0]), w, hours=24 * 30, diffusion=0.5, decay=0.0,
                        damping=np.zeros(2))
    assert y.tolist() == pytest.approx([0.0, 1.0])
    z = dyn.rumour_step(np.array([1.0, 1.0]), w, 1.0, 0.1, 0.0, np.array([-1.0, 0.0]))
    assert z.max() <= 1.0


# ---------------------------------------------------------------------------- legitimacy


def test_polarisation_by_hand():
    shares = np.array([[0.5, 0.8, 0.5], [0.5, 0.2, 0.3], [0.0, 0.0, 0.2]])
    assert dyn.polarisation(shares).tolist() == pytest.approx([1.0, 0.4, 0.8])


def test_perceived_legitimacy_is_weighted_mean():
    got = dyn.perceived_legitimacy(np.array([0.8, 1.0]), np.array([0.6, 0.0]), 0.25)
    assert got.tolist() == pytest.approx([0.75, 0.75])


def test_partisan_legitimacy_by_hand():
    base, rumour, sara, polar = (np.array([v]) for v in (0.8, 0.5, 0.5, 0.5))
    calm = dyn.partisan_legitimacy(base, rumour, sara, polar, 0.3, 0.2, contested=False)
    assert calm.tolist() == pytest.approx([0.8 * (1 - 0.3 * 0.5 * 1.0)])  # 0.68
    hot = dyn.partisan_legitimacy(base, rumour, sara, polar, 0.3, 0.2, contested=True)
    assert hot.tolist() == pytest.approx([0.68 * (1 - 0.2 * 0.5)])  # 0.612
    none = dyn.partisan_legitimacy(base, np.zeros(1), sara, np.zeros(1), 0.3, 0.2, True)
    assert none.tolist() == pytest.approx([0.8])
    floor = dyn.partisan_legitimacy(base, np.ones(1), np.ones(1), polar, 1.0, 0.2, False)
    assert floor.tolist() == [0.0]


def test_engagement_recovery_by_hand():
    share = dyn.recovery_share(np.array([1.0]), rate_per_day=0.05, hours=24)
    got = dyn.engagement_recovery(np.array([0.5]), np.array([0.9]), share)
    assert got.tolist() == pytest.approx([0.5 + 0.4 * (1 - EXP(-0.05))])
    half = dyn.engagement_recovery(np.array([0.5]), np.array([0.9]),
                                   dyn.recovery_share(np.array([0.5]), 0.05, 48))
    assert half.tolist() == pytest.approx(got.tolist())  # half coverage for twice as long
    assert dyn.recovery_share(np.zeros(2), 0.05, 24).tolist() == [0.0, 0.0]  # no engagement


def test_engagement_recovery_never_exceeds_initial():
    legit = np.array([0.2, 0.95, 0.9])
    initial = np.array([0.9, 0.9, 0.9])
    got = dyn.engagement_recovery(legit, initial,
                                  dyn.recovery_share(np.array([5.0, 1.0, 1.0]), 10.0, 24 * 365))
    # recovery never carries a value past its initial level
    assert (got <= np.maximum(legit, initial) + 1e-12).all()
    assert got[0] == pytest.approx(0.9)
    assert got[1] == 0.95  # already above: no change (and no pull down either)
    assert got[2] == 0.9


def test_engagement_recovery_without_coverage_is_a_ratchet():
    legit = np.array([0.3, 0.6])
    got = dyn.engagement_recovery(legit, np.array([0.9, 0.9]),
                                  dyn.recovery_share(np.zeros(2), 0.05, 240))
    assert got.tolist() == legit.tolist()


# ---------------------------------------------------------------------------- incidents


ESC = (3.0, 2.0)


def test_escalation_sufficient_force_accumulates_control_hours():
    assert dyn.escalation_step(1, 1.0, 0.5, 1.0, ESC, 2.0, 0.0) == (1, 1.5)


def test_escalation_sufficient_force_steps_down_after_control_hours():
    assert dyn.escalation_step(2, 3.0, 1.5, 0.5, ESC, 2.0, 0.0) == (1, 0.0)
    assert dyn.escalation_step(0, 1.0, 0.0, 2.0, ESC, 2.0, 0.99) == (-1, 0.0)


def test_escalation_insufficient_force_escalates_with_deficit_hazard():
    # level 0, ratio 0.5, 1 h: p = 1 − exp(−1 · 0.5 / 3) ≈ 0.1535
    p = 1 - EXP(-0.5 / 3)
    assert dyn.escalation_step(0, 0.5, 0.0, 1.0, ESC, 2.0, p - 1e-6) == (1, 0.0)
    assert dyn.escalation_step(0, 0.5, 0.0, 1.0, ESC, 2.0, p + 1e-6) == (0, 0.0)
    # level 1 uses escalation_hours[1]: no force, 1 h → p = 1 − exp(−1/2) ≈ 0.393
    assert dyn.escalation_step(1, 0.0, 0.0, 1.0, ESC, 2.0, 0.39) == (2, 0.0)
    assert dyn.escalation_step(1, 0.0, 0.0, 1.0, ESC, 2.0, 0.40) == (1, 0.0)


def test_escalation_insufficient_force_resets_control_clock():
    assert dyn.escalation_step(1, 0.99, 1.9, 1.0, ESC, 2.0, 0.999) == (1, 0.0)


def test_escalation_merah_is_the_top_of_the_ladder():
    assert dyn.escalation_step(2, 0.0, 0.0, 100.0, ESC, 2.0, 0.0) == (2, 0.0)


def test_escalation_hazard_factor_scales_the_hazard():
    # doubling the hazard: p = 1 − exp(−2 · 1 · 0.5 / 3)
    p2 = 1 - EXP(-2 * 0.5 / 3)
    assert dyn.escalation_step(0, 0.5, 0.0, 1.0, ESC, 2.0, p2 - 1e-6, hazard_factor=2.0) == (1, 0.0)
    assert dyn.escalation_step(0, 0.5, 0.0, 1.0, ESC, 2.0, p2 + 1e-6, hazard_factor=2.0) == (0, 0.0)
    # no hazard, no escalation, however weak the response
    assert dyn.escalation_step(0, 0.0, 0.0, 100.0, ESC, 2.0, 0.0, hazard_factor=0.0) == (0, 0.0)


def test_escalation_negative_ratio_counts_as_no_force():
    u = 1 - EXP(-1.0 / 3) - 1e-6
    assert dyn.escalation_step(0, -5.0, 0.0, 1.0, ESC, 2.0, u) == (1, 0.0)
    assert dyn.escalation_step(0, -5.0, 0.0, 1.0, ESC, 2.0, u + 2e-6) == (0, 0.0)


# ---------------------------------------------------------------------------- helpers


def test_per_day_probability_of_at_least_one_event():
    assert float(dyn.per_day(1.0, 24)) == pytest.approx(1 - EXP(-1))
    assert float(dyn.per_day(2.0, 12)) == pytest.approx(1 - EXP(-1))
    assert float(dyn.per_day(0.0, 100)) == 0.0
    assert dyn.per_day([0.5, 24.0], 1.0).tolist() == pytest.approx(
        [1 - EXP(-0.5 / 24), 1 - EXP(-1)])


def test_stochastic_round_is_unbiased_and_integral():
    rng = np.random.default_rng(12345)
    x = np.full(200_000, 2.3)
    got = dyn.stochastic_round(x, rng)
    assert got.dtype == np.int64
    assert set(np.unique(got).tolist()) == {2, 3}
    assert got.mean() == pytest.approx(2.3, abs=0.005)
    neg = dyn.stochastic_round(np.full(200_000, -1.25), rng)
    assert set(np.unique(neg).tolist()) == {-2, -1}
    assert neg.mean() == pytest.approx(-1.25, abs=0.005)
    exact = dyn.stochastic_round(np.array([0.0, 4.0, 7.0]), rng)
    assert exact.tolist() == [0, 4, 7]


def test_stochastic_round_uses_only_the_given_generator():
    a = dyn.stochastic_round(np.linspace(0, 5, 50), np.random.default_rng(7))
    b = dyn.stochastic_round(np.linspace(0, 5, 50), np.random.default_rng(7))
    assert a.tolist() == b.tolist()
