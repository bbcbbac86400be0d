"""Fog of war: what blue, red and white may see of the exercise, and that looking is free."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import high_tension

from wargame.exercise import Exercise
from wargame.observation import UNIFORMED
from wargame.orders import Arrest, Deploy, Orders, Provoke
from wargame.players import load_player
from wargame.scenario import Task

GROUND_TRUTH_KEYS = {"truth", "teams", "msel", "metrics"}


def keys_anywhere(data) -> set[str]:
    """Every dict key at any depth of a JSON-like value."""
    out: set[str] = set()
    if isinstance(data, dict):
        for k, v in data.items():
            out.add(k)
            out |= keys_anywhere(v)
    elif isinstance(data, list):
        for v in data:
            out |= keys_anywhere(v)
    return out


@pytest.fixture()
def busy(tutorial) -> Exercise:
    """A high-tension tutorial with both AIs: incidents, teams, detections."""
    return Exercise(high_tension(tutorial), 2, blue=load_player("preemptive", "blue"),
                    red=load_player("opportunist", "red"))


# ----------------------------------------------------------------------------- blue
def test_blue_view_has_no_ground_truth(busy):
    for _ in range(4):
        view = busy.observe("blue")
        json.dumps(view)  # plain data
        assert not GROUND_TRUTH_KEYS & set(view), set(view) & GROUND_TRUTH_KEYS
        hidden = {"cause", "reported", "max_level", "injured", "detected", "arrested",
                  "active", "active_fraction", "legitimacy", "intel_coverage"}
        assert not hidden & keys_anywhere(view), hidden & keys_anywhere(view)
        busy.advance()


def test_blue_sees_its_own_units_exactly(busy):
    busy.advance()
    m = busy.model
    seen = {u["id"]: u for u in busy.observe("blue")["units"]}
    assert set(seen) == set(m.unit_by_id)
    for u in m.units:
        assert seen[u.unit_id]["strength"] == u.strength
        assert seen[u.unit_id]["district"] == m.district_ids[u.district]
        assert seen[u.unit_id]["task"] == str(u.task)


def test_blue_estimates_are_noisy_where_coverage_is_thin(tutorial):
    """Noise (and lateness) shrink with intelligence coverage: over seeds and turns the
    estimation error in thinly covered districts is clearly larger than in well covered
    ones, and it is not zero there (blue does not simply read the truth)."""
    thin, thick = [], []
    for seed in range(4):
        ex = Exercise(high_tension(tutorial), seed)
        while not ex.finished:
            blue, white = ex.observe("blue"), ex.observe("white")
            truth = {r["district"]: r for r in white["truth"]}
            for e in blue["estimates"]:
                t = truth[e["district"]]
                assert e["coverage"] == t["intel_coverage"]
                err = abs(e["tension"] - t["tension"])
                if e["coverage"] < 0.3:
                    thin.append(err)
                elif e["coverage"] >= 0.7:
                    thick.append(err)
            ex.advance()
    assert len(thin) >= 20 and len(thick) >= 20, (len(thin), len(thick))
    assert np.mean(thin) > 0.02, np.mean(thin)
    assert np.mean(thick) < 0.5 * np.mean(thin), (np.mean(thick), np.mean(thin))


def test_blue_sees_an_incident_only_once_it_is_reported(tutorial):
    ex = Exercise(tutorial, 1)
    m = ex.model
    inc = m.open_incident(m.current_tick, "unrest", m.index["timur"], 500.0, "test crowd")
    inc.reported = False
    assert inc.id not in {i["id"] for i in ex.observe("blue")["incidents"]}
    assert inc.id not in {i["id"] for i in ex.observe("red")["incidents"]}
    assert inc.id in {i["id"] for i in ex.observe("white")["incidents"]}
    inc.reported = True
    assert inc.id in {i["id"] for i in ex.observe("blue")["incidents"]}


def test_blue_incidents_are_always_reported_ones_in_a_run(busy):
    seen_any = False
    while not busy.finished:
        ids = {i["id"] for i in busy.observe("blue")["incidents"]}
        by_id = {i.id: i for i in busy.model.incidents}
        assert all(by_id[i].reported for i in ids)
        seen_any |= bool(ids)
        busy.advance()
    assert seen_any, "the busy run should show blue some incident"


def test_undetected_provocateurs_are_invisible_to_blue(tutorial):
    ex = Exercise(tutorial, 1)
    t = ex.model.team_by_id["team-1"]
    t.active = True
    assert ex.observe("blue")["provocateurs"] == []
    t.detected = True
    assert ex.observe("blue")["provocateurs"] == [
        {"id": "team-1", "district": ex.model.district_ids[t.district]}]
    t.arrested = True
    assert ex.observe("blue")["provocateurs"] == []


def test_blue_sees_exactly_the_detected_free_teams_in_a_run(busy):
    detected_seen = False
    while not busy.finished:
        view = {p["id"] for p in busy.observe("blue")["provocateurs"]}
        truth = {t.team_id for t in busy.model.teams
                 if t.detected and t.active and not t.arrested}
        assert view == truth
        detected_seen |= bool(view)
        busy.advance()
    assert detected_seen


# ----------------------------------------------------------------------------- red
def test_red_view_has_no_blue_secrets(busy):
    unit_ids = set(busy.model.unit_by_id)
    for _ in range(4):
        view = busy.observe("red")
        assert not {"estimates", "truth", "units", "msel", "metrics", "provocateurs",
                    "pending_reinforcements", "norms"} & set(view)
        text = json.dumps(view)
        leaked = {u for u in unit_ids if json.dumps(u) in text}
        assert not leaked, leaked
        assert not {"task", "strength", "coverage", "tension"} & keys_anywhere(view)
        busy.advance()
        unit_ids |= set(busy.model.unit_by_id)


def _police_visible(ex: Exercise) -> dict[str, int]:
    return {p["district"]: p["personnel"] for p in ex.observe("red")["police_visible"]}


def test_red_does_not_see_plain_clothes_or_intelligence_units(tutorial_full):
    """Intelkam on intel and Reskrim on arrest duty add nothing to what red sees; the
    same number of uniformed Samapta on patrol does."""
    assert Task.INTEL not in UNIFORMED and Task.ARREST not in UNIFORMED

    def after(*lines) -> dict[str, int]:
        ex = Exercise(tutorial_full, 4)
        ex.submit(Orders(side="blue", lines=list(lines)))
        ex.advance()
        return _police_visible(ex)

    base = after()
    covert = after(Deploy(unit="intelkam", to="barat", task=Task.INTEL),
                   Arrest(unit="reskrim", district="barat"))
    uniformed = after(Deploy(unit="samapta", to="barat", task=Task.PRESENCE, personnel=30))
    assert covert == base
    assert uniformed["barat"] > base["barat"] + 10


def test_red_sees_its_own_teams_and_means(tutorial):
    ex = Exercise(tutorial, 1)
    view = ex.observe("red")
    rp = ex.model.params.red
    assert [t["id"] for t in view["teams"]] == [f"team-{k + 1}" for k in range(4)]
    assert view["means"] == {"hoax_per_turn": rp.hoax_per_turn,
                             "mobilise_per_turn": rp.mobilise_per_turn,
                             "teams": rp.provocateur_teams}
    assert view["result"] is None  # not known in the campaign
    assert "detected" not in keys_anywhere(view)


# ----------------------------------------------------------------------------- white
def test_white_sees_everything(busy):
    for _ in range(5):
        busy.advance()
    m = busy.model
    view = busy.observe("white")
    assert set(view) >= GROUND_TRUTH_KEYS
    assert {u["id"] for u in view["units"]} == set(m.unit_by_id)
    assert len(view["incidents"]) == len(m.incidents)
    assert {i["id"] for i in view["incidents"]} == {i.id for i in m.incidents}
    assert [(t["id"], t["detected"], t["arrested"]) for t in view["teams"]] == [
        (t.team_id, t.detected, t.arrested) for t in m.teams]
    assert view["metrics"] == m.metrics()
    for row, d in zip(view["truth"], m.district_ids, strict=True):
        i = m.index[d]
        assert row["tension"] == pytest.approx(m.tension[i], abs=1e-4)
        assert row["rumour"] == pytest.approx(m.rumour[i], abs=1e-4)


# ----------------------------------------------------------------------------- looking is free
def test_observing_is_repeatable_and_changes_nothing(tutorial):
    sc = high_tension(tutorial)

    def play(look: bool) -> Exercise:
        ex = Exercise(sc, 6, blue=load_player("reactive", "blue"),
                      red=load_player("opportunist", "red"))
        while not ex.finished:
            if look:
                for side in ("blue", "red", "white"):
                    assert ex.observe(side) == ex.observe(side)
            ex.advance()
        return ex

    looked, blind = play(True), play(False)
    assert looked.model.metrics() == blind.model.metrics()
    assert looked.model.events == blind.model.events
    assert looked.model.metrics()["incidents_total"] > 0


# ----------------------------------------------------------------------------- reports
def test_turn_reports_keep_each_side_to_its_own(busy):
    busy.submit(Orders(side="red", lines=[Provoke(team="team-1", district="barat")]))
    seen = {"team_detected_blue": False, "team_detected_white": False}
    while not busy.finished:
        rep = busy.advance()
        blue, red, white = (busy.report(rep.turn, s) for s in ("blue", "red", "white"))
        assert set(white["verdicts"]) == set(rep.verdicts)
        for side, data in (("blue", blue), ("red", red)):
            lines = [v["line"]["order"] for v in data["verdicts"]]
            own = {"blue": {"deploy", "respond", "arrest", "reinforce", "peace_declaration",
                            "gakkumdu"}, "red": {"hoax", "mobilise", "provoke"}}[side]
            assert set(lines) <= own, (side, lines)
            assert len(data["verdicts"]) == len(rep.verdicts.get(side, []))
            assert "metrics" not in data and "summary" not in data
            kinds = {e["kind"] for e in data["events"]}
            assert "order" not in kinds  # the other side's orders are in the order events
        assert "team_detected" not in {e["kind"] for e in red["events"]}
        assert "crowd_formed" not in {e["kind"] for e in red["events"]}
        assert all(e.get("side") == "red" for e in red["events"] if e["kind"] == "hoax")
        reported = {i.id for i in busy.model.incidents if i.reported}
        for data in (blue, red):
            assert all(e["incident"] in reported for e in data["events"]
                       if e.get("incident") is not None)
        seen["team_detected_blue"] |= any(e["kind"] == "team_detected" for e in blue["events"])
        seen["team_detected_white"] |= any(e["kind"] == "team_detected"
                                           for e in white["events"])
        assert white["events"] == rep.events
    assert all(seen.values()), seen
