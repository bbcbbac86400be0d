"""Injects (the MSEL): scheduled, triggered, held and ad hoc, and what each effect does."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import high_tension, seen_during_turn, variant

from wargame.exercise import Exercise
from wargame.injects import LIBRARY
from wargame.orders import Deploy, FireInject, HoldInject, Orders
from wargame.scenario import Task


def inject(id_: str, effect: dict, *, turn: int | None = None, trigger: dict | None = None):
    out = {"id": id_, "effect": effect, "text_id": f"Inject {id_}",
           "text_en": f"Inject {id_} happens"}
    if turn is not None:
        out["turn"] = turn
    if trigger is not None:
        out["trigger"] = trigger
    return out


MSEL = [
    inject("viral-hoax", {"type": "hoax", "district": "barat", "magnitude": 0.3}, turn=1),
    inject("late-ballots", {"type": "logistics_delay", "district": "selatan",
                            "magnitude": 0.5}, turn=2),
    inject("street-rally", {"type": "rally", "district": "kota", "magnitude": 0.05}, turn=1),
    inject("tense", {"type": "legitimacy_shock", "magnitude": 0.01},
           trigger={"field": "tension", "above": 0.0}),
    inject("never", {"type": "legitimacy_shock", "magnitude": 0.5},
           trigger={"field": "tension", "above": 2.0}),
    inject("heavy-rain", {"type": "weather", "magnitude": 0.5}, turn=3),
]


@pytest.fixture(scope="module")
def msel_scenario(tutorial):
    return variant(high_tension(tutorial), injects=MSEL)


@pytest.fixture()
def ex(msel_scenario) -> Exercise:
    return Exercise(msel_scenario, 2)


def inject_events(events, inject_id):
    return [e for e in events if e["kind"] == "inject" and e.get("inject") == inject_id]


# ----------------------------------------------------------------------------- when they fire
def test_a_scheduled_inject_fires_at_its_turn(ex):
    first = ex.advance()
    assert not inject_events(first.events, "viral-hoax")
    assert ex.model.msel.items["viral-hoax"].status == "pending"
    second = ex.advance()
    fired = inject_events(second.events, "viral-hoax")
    assert len(fired) == 1
    e = fired[0]
    assert (e["turn"], e["district"], e["text_en"], e["effect"]) == (
        1, "barat", "Inject viral-hoax happens", "hoax")
    item = ex.model.msel.items["viral-hoax"]
    assert (item.status, item.fired_turn) == ("fired", 1)
    for side in ("blue", "red"):  # the players read the inject's text in their report
        assert any(x["text_en"] == "Inject viral-hoax happens"
                   for x in ex.report(1, side)["events"])
    msel = {i["id"]: i for i in ex.observe("white")["msel"]}
    assert (msel["viral-hoax"]["status"], msel["viral-hoax"]["fired_turn"]) == ("fired", 1)
    ex.run()
    assert len(inject_events(ex.model.events, "viral-hoax")) == 1, "fires once"


def test_a_triggered_inject_fires_when_its_condition_holds(ex):
    m = ex.model
    m.step()
    assert m.tension.max() > 0.0
    item = m.msel.items["tense"]
    assert (item.status, item.fired_turn) == ("fired", 0)
    assert [e["tick"] for e in inject_events(m.events, "tense")] == [0]


def test_a_trigger_that_cannot_hold_never_fires(ex):
    ex.run()
    assert ex.model.msel.items["never"].status == "pending"
    assert not inject_events(ex.model.events, "never")


def test_triggers_name_the_district_most_past_the_threshold_or_their_own(tutorial):
    """A trigger holds where its field is past the threshold (above, or below); it fires
    in the district most past it, or only in its own district if it names one."""
    triggers = [{"field": "tension", "above": 0.4}, {"field": "rumour", "below": 0.3},
                {"field": "active_fraction", "above": 0.2, "district": "barat"},
                {"field": "legitimacy", "below": 0.5, "district": "kota"}]
    sc = variant(tutorial, injects=[
        inject(f"t{k}", {"type": "hoax", "magnitude": 0.1}, trigger=t)
        for k, t in enumerate(triggers)])
    m = Exercise(sc, 1).model
    rng = np.random.default_rng(0)
    fired: set[tuple[str, str]] = set()
    for _ in range(300):
        for name in ("tension", "rumour", "active_share", "legit_police", "legit_election"):
            setattr(m, name, rng.random(m.n).round(1))
        expected = []
        for k, t in enumerate(triggers):
            values = {"tension": m.tension, "rumour": m.rumour, "active_fraction":
                      m.active_share, "legitimacy": m.recorder.perceived_legitimacy()}[
                          t["field"]]
            excess = values - t["above"] if "above" in t else t["below"] - values
            if "district" in t:
                excess = np.where(np.arange(m.n) == m.index[t["district"]], excess, -np.inf)
            if (excess > 0).any():
                expected.append((f"t{k}", m.district_ids[int(np.argmax(excess))]))
        got = [(item.inject.id, where) for item, where in m.msel.triggered(m)]
        assert got == expected
        fired.update(got)
    assert {k for k, _ in fired} == {"t0", "t1", "t2", "t3"}
    assert {w for k, w in fired if k == "t2"} == {"barat"}
    assert len({w for k, w in fired if k == "t0"}) > 1


def test_held_injects_never_fire(msel_scenario):
    ex = Exercise(msel_scenario, 2)
    ex.submit(Orders(side="white", lines=[HoldInject(inject="late-ballots"),
                                          HoldInject(inject="tense")]))
    rep = ex.advance()
    assert all(v.accepted for v in rep.verdicts["white"])
    ex.run()
    items = ex.model.msel.items
    assert items["late-ballots"].status == items["tense"].status == "held"
    assert not inject_events(ex.model.events, "late-ballots")
    assert not inject_events(ex.model.events, "tense")
    assert items["viral-hoax"].status == "fired"  # the rest of the MSEL still runs


def test_the_facilitator_can_fire_an_msel_inject_early_elsewhere(ex):
    m = ex.model
    timur = m.index["timur"]
    before = m.rumour[timur]
    ex.referee.apply(Orders(side="white", lines=[
        FireInject(inject="viral-hoax", district="timur", magnitude=0.5)]))
    assert m.rumour[timur] == pytest.approx(min(1.0, before + 0.5))
    e = inject_events(m.events, "viral-hoax")
    assert [(x["district"], x["magnitude"]) for x in e] == [("timur", 0.5)]
    ex.advance()
    ex.advance()  # turn 1, when it was scheduled: it does not fire again
    assert len(inject_events(m.events, "viral-hoax")) == 1


def test_a_library_inject_raises_rumour_in_its_district(tutorial):
    ex = Exercise(tutorial, 0)
    m = ex.model
    barat = m.index["barat"]
    before = m.rumour.copy()
    v = ex.referee.apply(Orders(side="white", lines=[FireInject(inject="lib:hoax",
                                                                district="barat")]))
    assert v[0].accepted
    assert m.rumour[barat] == pytest.approx(before[barat] + LIBRARY["hoax"][0])
    others = np.arange(m.n) != barat
    assert np.array_equal(m.rumour[others], before[others])
    assert m.msel.items["adhoc-1"].status == "fired"
    # Through the protocol: the ad-hoc inject appears in the turn report.
    ex2 = Exercise(tutorial, 0)
    ex2.submit(Orders(side="white", lines=[FireInject(inject="lib:hoax", district="barat")]))
    rep = ex2.advance()
    e = inject_events(rep.events, "adhoc-1")
    assert [(x["district"], x["effect"], x["text_en"]) for x in e] == [
        ("barat", "hoax", LIBRARY["hoax"][2])]
    twin = Exercise(tutorial, 0)
    twin.advance()
    assert ex2.model.rumour[barat] > twin.model.rumour[barat] + 0.1


# ----------------------------------------------------------------------------- effects
def fire(ex: Exercise, kind: str, district: str | None = "barat", magnitude=None):
    v = ex.referee.apply(Orders(side="white", lines=[
        FireInject(inject=f"lib:{kind}", district=district, magnitude=magnitude)]))
    assert v[0].accepted, v


def test_legitimacy_shock_lowers_legitimacy(tutorial):
    ex = Exercise(tutorial, 0)
    m = ex.model
    d = m.index["barat"]
    police, election = m.legit_police.copy(), m.legit_election.copy()
    fire(ex, "legitimacy_shock", magnitude=0.2)
    assert m.legit_election[d] == pytest.approx(election[d] - 0.2)
    assert m.legit_police[d] == pytest.approx(police[d] - 0.1)
    assert m.legit_police[m.index["kota"]] == police[m.index["kota"]]
    fire(ex, "legitimacy_shock", district=None, magnitude=0.1)  # regency-wide
    assert (m.legit_election < election).all()


def test_hoax_raises_rumour(tutorial):
    ex = Exercise(tutorial, 0)
    m = ex.model
    before = m.rumour[m.index["selatan"]]
    fire(ex, "hoax", district="selatan", magnitude=0.25)
    assert m.rumour[m.index["selatan"]] == pytest.approx(before + 0.25)


def test_rally_raises_turn_mobilisation(tutorial):
    ex = Exercise(tutorial, 0)
    m = ex.model
    fire(ex, "rally", district="kota", magnitude=0.05)
    assert m.turn_mobilised[m.index["kota"]] == pytest.approx(0.05)
    assert m.street_share()[m.index["kota"]] >= 0.05


def test_logistics_delay_delays_tps_and_costs_election_legitimacy(tutorial):
    ex = Exercise(tutorial, 0)
    m = ex.model
    d = m.index["barat"]
    election = m.legit_election[d]
    fire(ex, "logistics_delay", magnitude=0.6)
    assert m.tps_delay[d] == pytest.approx(0.6)
    assert m.legit_election[d] == pytest.approx(election - 0.6 * 0.05)


def test_disputed_recap_deepens_the_losers_discount(tutorial):
    ex = Exercise(tutorial, 0)
    m = ex.model
    recap = next(t.stage for t in m.ticks if t.stage.result_known)
    before = m._legitimacy_table(recap)
    fire(ex, "disputed_recap", district=None, magnitude=0.2)
    assert m.losers_extra == pytest.approx(0.2)
    after = m._legitimacy_table(recap)
    loser_row = 1 + (1 - m.winner)  # rows: non-partisans, then one per candidate
    assert (after[loser_row] < before[loser_row]).all()
    assert np.array_equal(after[1 + m.winner], before[1 + m.winner])


def test_tps_incident_opens_a_tps_disruption_incident(tutorial):
    ex = Exercise(tutorial, 0)
    m = ex.model
    fire(ex, "tps_incident", district="timur", magnitude=1.0)
    assert len(m.incidents) == 1
    inc = m.incidents[0]
    assert (inc.kind, inc.district, inc.open) == ("tps_disruption", m.index["timur"], True)
    assert inc.crowd_size == pytest.approx(m.params.incident.event_crowd[1] * 2.0)
    assert "adhoc-1" in inc.cause


def test_weather_sets_the_weather(tutorial):
    ex = Exercise(tutorial, 0)
    fire(ex, "weather", district=None, magnitude=0.5)
    assert ex.model.weather == pytest.approx(0.5)
    fire(ex, "weather", district=None, magnitude=5.0)
    assert ex.model.weather == pytest.approx(0.9), "capped: rain slows, never stops"


def _linmas_after_two_ticks(scenario) -> bool:
    """Linmas Utara sent to Barat (34 km at 15 km/h: 2.3 h) at the start of the first
    voting turn: still on the road after two 2-hour ticks?"""
    ex = Exercise(scenario, 2)
    for _ in range(3):
        ex.advance()
    m = ex.model
    assert m.current_tick.hours == 2.0
    ex.referee.apply(Orders(side="blue", lines=[Deploy(unit="linmas-utara", to="barat",
                                                       task=Task.PRESENCE)]))
    m.step()
    m.step()
    return m.unit_by_id["linmas-utara"].travelling


def test_scheduled_rain_slows_unit_travel(msel_scenario):
    dry = variant(msel_scenario, injects=[j for j in MSEL if j["id"] != "heavy-rain"])
    assert _linmas_after_two_ticks(msel_scenario), "in heavy rain the Linmas are still walking"
    assert not _linmas_after_two_ticks(dry), "in the dry they have arrived"


def test_a_scheduled_rally_mobilises_for_its_turn(ex):
    ex.advance()
    seen = seen_during_turn(ex, lambda m: m.turn_mobilised[m.index["kota"]])
    ex.advance()  # turn 1: the street-rally inject fires as the turn starts
    assert ex.model.msel.items["street-rally"].status == "fired"
    assert seen and all(v == pytest.approx(0.05) for v in seen)
    assert ex.model.turn_mobilised[ex.model.index["kota"]] == 0.0  # over with the turn


@pytest.mark.parametrize(("kind", "state"), [
    ("rally", lambda m: m.turn_mobilised[m.index["barat"]]),
    ("weather", lambda m: m.weather),
    ("logistics_delay", lambda m: m.tps_delay[m.index["barat"]]),
], ids=["rally", "weather", "logistics_delay"])
def test_a_facilitator_inject_lasts_through_its_turn(tutorial, kind, state):
    ex = Exercise(tutorial, 0)
    ex.submit(Orders(side="white", lines=[FireInject(inject=f"lib:{kind}", district=(
        None if kind == "weather" else "barat"))]))
    seen = seen_during_turn(ex, state)
    rep = ex.advance()
    assert rep.verdicts["white"][0].accepted
    assert inject_events(rep.events, "adhoc-1")
    assert seen and all(v > 0 for v in seen)  # in force on every tick of its turn
