"""Mechanism-level behaviour that must hold in every run of the engine."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from conftest import high_tension, variant

from wargame.metrics import OUTCOMES
from wargame.model import WargameModel
from wargame.scenario import Task, UnitKind

SEEDS = range(5)


def mean_active(sc, seeds=SEEDS) -> np.ndarray:
    return np.array([WargameModel(sc, seed=s).run()["mean_active_fraction"] for s in seeds])


@pytest.fixture(scope="module")
def busy_run(tutorial):
    m = WargameModel(high_tension(tutorial), seed=3)
    m.run()
    return m


@pytest.fixture(scope="module")
def banyuwangi_run(banyuwangi):
    m = WargameModel(banyuwangi, seed=1)
    m.run()
    return m


# ---------------------------------------------------------------------------- units


@pytest.mark.parametrize("which", ["tutorial", "busy", "banyuwangi"])
def test_without_orders_units_stay_where_the_scenario_put_them(
        which, tutorial, banyuwangi, busy_run, banyuwangi_run):
    if which == "tutorial":
        sc, m = tutorial, WargameModel(tutorial, seed=0)
        m.run()
    elif which == "busy":
        sc, m = busy_run.setting, busy_run
    else:
        sc, m = banyuwangi, banyuwangi_run
    assert m.finished
    listed = {u.id: u for u in sc.units}
    linmas = [u for u in m.units if u.unit_id not in listed]
    assert len(m.units) == len(listed) + len(linmas)  # nothing arrived, nothing vanished
    for u in m.units:
        if u.unit_id in listed:
            spec = listed[u.unit_id]
            assert u.district == m.index[spec.home], u.unit_id
            assert u.home == m.index[spec.home]
            assert u.task == spec.task, u.unit_id
            assert u.area == [m.index[a] for a in spec.area]
            assert u.site == spec.site
        else:
            assert u.kind == UnitKind.LINMAS and u.task == Task.GUARD_TPS
            assert u.unit_id == f"linmas-{m.district_ids[u.home]}"
            assert u.district == u.home
        assert not u.travelling
        assert 0.0 <= u.fatigue <= 1.0


def test_linmas_are_created_per_tps(tutorial):
    m = WargameModel(tutorial, seed=0)
    for d in tutorial.districts:
        u = m.unit_by_id[f"linmas-{d.id}"]
        assert u.strength == round(2.0 * d.tps.total)
    none = WargameModel(variant(tutorial, **{"params.forces.linmas_per_tps": 0}), seed=0)
    assert not any(u.kind == UnitKind.LINMAS for u in none.units)


def test_joint_personnel_scales_police_and_tni_but_not_linmas(tutorial):
    armed = sum(u.strength for u in tutorial.units)
    m = WargameModel(variant(tutorial, **{"params.forces.joint_personnel": armed // 2}), seed=0)
    listed = {u.id for u in tutorial.units}
    scaled = sum(u.strength for u in m.units if u.unit_id in listed)
    assert scaled == pytest.approx(armed / 2, rel=0.05)
    base = WargameModel(tutorial, seed=0)
    for d in tutorial.districts:
        assert m.unit_by_id[f"linmas-{d.id}"].strength == \
            base.unit_by_id[f"linmas-{d.id}"].strength


# ---------------------------------------------------------------------------- F1, F2


def test_lower_initial_legitimacy_gives_more_activity(tutorial):
    """F1 on paired seeds: legitimacy 0.7 vs 0.9 (police and election body)."""
    calm = mean_active(high_tension(tutorial, 0.9))
    tense = mean_active(high_tension(tutorial, 0.7))
    assert (tense > calm).sum() >= 4, (calm, tense)
    assert tense.mean() > 5 * calm.mean(), (calm, tense)


def test_removing_all_units_gives_more_activity(tutorial):
    """F2's direction: with no Polri/TNI on the map (Linmas still at the TPS) citizens see
    no arrest risk and more of them go out."""
    deployed = mean_active(tutorial)
    no_units = mean_active(variant(tutorial, units=[]))
    assert (no_units > deployed).sum() >= 4, (deployed, no_units)
    assert no_units.mean() > 5 * deployed.mean(), (deployed, no_units)


def test_no_security_forces_means_no_arrests_and_no_personnel_hours(tutorial):
    sc = variant(high_tension(tutorial), units=[], **{"params.forces.linmas_per_tps": 0})
    m = WargameModel(sc, seed=0)
    metrics = m.run()
    assert m.units == []
    assert metrics["arrests"] == 0
    assert metrics["personnel_hours"] == 0
    assert metrics["peak_active_fraction"] > 0


# ---------------------------------------------------------------------------- incidents


def test_incident_levels_stay_on_the_ladder(busy_run):
    m = busy_run
    assert m.incidents, "the busy run must produce incidents"
    for inc in m.incidents:
        assert inc.level in (-1, 0, 1, 2)
        assert inc.max_level in (0, 1, 2)
        assert inc.max_level >= max(inc.level, 0)
        assert 0 <= inc.district < m.n
        assert inc.crowd_size > 0
        assert inc.injured >= 0
        levels = [lvl for _, lvl in inc.history]
        assert levels[0] == 0
        assert all(lvl in (-1, 0, 1, 2) for lvl in levels)
        assert max(levels) == inc.max_level
        ticks = [t for t, _ in inc.history]
        assert ticks == sorted(ticks) and ticks[0] == inc.tick
        # one rung at a time
        assert all(abs(b - a) == 1 for a, b in itertools.pairwise(levels))
        if not inc.open:
            assert inc.closed_tick is not None and inc.closed_tick >= inc.tick
    assert [i.id for i in m.incidents] == list(range(len(m.incidents)))


def test_events_reference_known_districts_and_ticks(busy_run, banyuwangi_run):
    for m in (busy_run, banyuwangi_run):
        assert m.events
        known = set(m.district_ids)
        ticks = [e["tick"] for e in m.events]
        assert ticks == sorted(ticks)
        for e in m.events:
            # None marks a regency-wide event
            assert e["district"] is None or e["district"] in known, e
            tick = m.ticks[e["tick"]]
            assert e["turn"] == tick.turn
            assert e["stage"] == tick.stage.id
            assert e["text_id"] and e["text_en"]
            if "incident" in e:
                assert 0 <= e["incident"] < len(m.incidents)
                assert m.district_ids[m.incidents[e["incident"]].district] == e["district"]


def test_timeline_levels_come_from_incidents(busy_run):
    m = busy_run
    last_tick = {}
    for t in m.ticks:
        last_tick[t.turn] = t.index
    red_rows = 0
    for row in m.recorder.timeline:
        level = row["level"]
        assert level in (-1, 0, 1, 2)
        red_rows += level >= 2
        if level >= 0:
            d = m.index[row["district"]]
            assert any(i.district == d and i.tick <= last_tick[row["turn"]]
                       and i.max_level >= level for i in m.incidents), row
    assert m.metrics()["district_turns_red"] == red_rows


def test_every_incident_is_announced_once(busy_run):
    opened = [e["incident"] for e in busy_run.events if e["kind"] == "incident"]
    assert opened == [i.id for i in busy_run.incidents]
    closed = [e["incident"] for e in busy_run.events if e["kind"] == "incident_closed"]
    assert sorted(closed) == [i.id for i in busy_run.incidents if not i.open]


# ---------------------------------------------------------------------------- metrics


def check_metrics(metrics: dict, m: WargameModel) -> None:
    assert set(OUTCOMES) <= set(metrics)
    for k, v in metrics.items():
        assert isinstance(v, int | float), k
        assert math.isfinite(v), k
        assert v >= 0, k
    assert metrics["incidents_total"] == len(m.incidents)
    assert metrics["incidents_red"] <= metrics["incidents_total"]
    assert 0.0 <= metrics["mean_active_fraction"] <= metrics["peak_active_fraction"] <= 1.0
    assert 0.0 <= metrics["legitimacy_final"] <= 1.0
    assert metrics["arrests"] % m.pop.scale == 0
    assert metrics["tps_disrupted"] <= sum(c.total for c in m.tps)


@pytest.mark.parametrize("which", ["tutorial", "busy", "banyuwangi"])
def test_metrics_are_complete_finite_and_non_negative(which, tutorial, busy_run,
                                                      banyuwangi_run):
    if which == "tutorial":
        m = WargameModel(tutorial, seed=9)
        m.run()
    else:
        m = busy_run if which == "busy" else banyuwangi_run
    check_metrics(m.metrics(), m)


def test_run_turn_advances_exactly_one_turn(tutorial):
    m = WargameModel(tutorial, seed=0)
    for turn in range(7):
        assert m.turn == turn
        m.run_turn()
        assert m.ticks[m.tick_index - 1].turn == turn
        assert {r["turn"] for r in m.recorder.timeline} == set(range(turn + 1))
        assert len(m.recorder.timeline) == 5 * (turn + 1)
    assert m.finished
    before = (m.tick_index, len(m.events))
    m.run_turn()
    m.step()
    assert (m.tick_index, len(m.events)) == before  # a finished model stays finished


def test_run_equals_stepping_tick_by_tick(tutorial):
    a = WargameModel(tutorial, seed=5)
    ma = a.run()
    b = WargameModel(tutorial, seed=5)
    while not b.finished:
        b.step()
    assert b.metrics() == ma
    assert len(a.recorder.active_fraction) == len(a.ticks) == 38


def test_legitimacy_stays_in_unit_interval(busy_run):
    m = busy_run
    for arr in (m.legit_police, m.legit_election, m.rumour, m.tension, m.active_share):
        assert ((arr >= 0) & (arr <= 1)).all()
    for row in m.recorder.timeline:
        for k in ("tension", "active_fraction", "rumour", "legitimacy_police",
                  "legitimacy_election", "legitimacy"):
            assert 0.0 <= row[k] <= 1.0, (k, row)
