"""The exercise protocol: determinism with orders, replay, submissions, the end, posture."""

from __future__ import annotations

import pytest
from conftest import high_tension

from wargame.exercise import Exercise
from wargame.orders import Deploy, FireInject, Hoax, Orders, Provoke
from wargame.players import FunctionPlayer, load_player
from wargame.scenario import Task


def play(scenario, seed=4, blue="preemptive", red="opportunist") -> Exercise:
    ex = Exercise(scenario, seed, blue=load_player(blue, "blue"), red=load_player(red, "red"))
    ex.run()
    return ex


def all_reports(ex: Exercise) -> list[dict]:
    return [ex.report(r.turn, side) for r in ex.reports for side in ("blue", "red", "white")]


# ----------------------------------------------------------------------------- determinism
def test_same_scenario_seed_and_players_give_the_same_exercise(tutorial):
    sc = high_tension(tutorial)
    a, b = play(sc), play(sc)
    assert a.model.metrics() == b.model.metrics()
    assert a.model.events == b.model.events
    assert all_reports(a) == all_reports(b)
    assert a.orders_log == b.orders_log
    assert a.model.metrics()["incidents_total"] > 0 and len(a.orders_log) > 0
    c = play(sc, seed=5)
    assert c.model.events != a.model.events, "another seed is another exercise"


def _by_turn(ex: Exercise) -> list[list[Orders]]:
    """The flat orders log cut into turns (each turn applies white, blue, red in order)."""
    log = iter(ex.orders_log)
    turns = []
    for rep in ex.reports:
        turns.append([next(log) for side in ("white", "blue", "red") if side in rep.verdicts])
    assert next(log, None) is None
    return turns


@pytest.mark.parametrize("doctrine", ["preemptive", "repressive"])
def test_replaying_the_orders_log_gives_the_same_exercise(tutorial, doctrine):
    sc = high_tension(tutorial)
    original = play(sc, blue=doctrine)
    replay = Exercise(sc, 4)  # no players: people submitting the recorded orders
    for orders in _by_turn(original):
        for o in orders:
            replay.submit(o)
        replay.advance()
    assert replay.finished
    assert replay.model.metrics() == original.model.metrics()
    assert replay.model.events == original.model.events
    assert replay.orders_log == original.orders_log


def test_replaying_a_banyuwangi_log(played):
    original = played("banyuwangi-pilkada-2024", "preemptive", "opportunist", 0)
    replay = Exercise("banyuwangi-pilkada-2024", 0)
    for orders in _by_turn(original):
        for o in orders:
            replay.submit(o)
        replay.advance()
    assert replay.model.metrics() == original.model.metrics()


def test_orders_survive_a_json_round_trip(played):
    """Orders are plain data: a log written to disk and read back replays the same."""
    ex = played("tutorial", "repressive", "opportunist", 0)
    for o in ex.orders_log:
        assert Orders.model_validate_json(o.model_dump_json()) == o


# ----------------------------------------------------------------------------- submissions
def test_a_later_submission_replaces_the_earlier_one(tutorial):
    blue = load_player("preemptive", "blue")
    ex = Exercise(tutorial, 0, blue=blue)
    first = Orders(side="blue", lines=[Deploy(unit="samapta", to="barat", task=Task.PRESENCE),
                                       Deploy(unit="brimob-sst", to="utara",
                                              task=Task.PRESENCE)])
    second = Orders(side="blue", lines=[Deploy(unit="samapta", to="timur",
                                               task=Task.PRESENCE)])
    assert all(v.accepted for v in ex.submit(first))
    assert ex.observe("blue")["submitted"] == ["blue"]
    assert [v.accepted for v in ex.submit(second)] == [True], "no 'already ordered' leak"
    rep = ex.advance()
    m = ex.model
    assert [v.line for v in rep.verdicts["blue"]] == second.lines
    assert m.unit_by_id["samapta"].district == m.index["timur"]
    assert m.unit_by_id["brimob-sst"].district == m.index["kota"]
    assert ex.orders_log == [second], "a submission overrides the side's player"
    assert ex.observe("blue")["submitted"] == [], "submissions are for one turn only"
    ex.advance()
    assert len(ex.orders_log) == 2 and ex.orders_log[1] != second  # the doctrine again


def test_advancing_or_submitting_after_the_end_raises(tutorial):
    ex = Exercise(tutorial, 0)
    ex.run()
    assert ex.finished and len(ex.reports) == ex.model.ticks[-1].turn + 1
    with pytest.raises(RuntimeError, match="over"):
        ex.advance()
    with pytest.raises(RuntimeError, match="over"):
        ex.submit(Orders(side="blue"))
    assert ex.observe("white")["finished"] is True


def test_a_side_with_no_player_and_no_orders_holds_its_posture(tutorial):
    ex = Exercise(tutorial, 0)

    def posture():
        return [(u.unit_id, u.strength, u.district, str(u.task), u.site, u.travelling)
                for u in ex.model.units]

    before = posture()
    ex.run()
    assert posture() == before
    assert all(not r.verdicts for r in ex.reports) and ex.orders_log == []
    assert not any(t.active for t in ex.model.teams)


def test_a_player_answering_for_the_wrong_side_is_an_error(tutorial):
    ex = Exercise(tutorial, 0, red=FunctionPlayer(lambda view: Orders(side="blue")))
    with pytest.raises(ValueError, match="red's player returned orders for blue"):
        ex.advance()


def test_a_person_can_play_red(tutorial):
    ex = Exercise(tutorial, 0, blue=load_player("reactive", "blue"))
    view = ex.observe("red")
    assert view["side"] == "red" and view["teams"][0]["id"] == "team-1"
    preview = ex.submit(Orders(side="red", lines=[Provoke(team="team-1", district="barat"),
                                                  Hoax(district="barat")]))
    assert all(v.accepted for v in preview)
    rep = ex.advance()
    assert [v.accepted for v in rep.verdicts["red"]] == [True, True]
    m = ex.model
    team = m.team_by_id["team-1"]
    assert team.active and team.district == m.index["barat"]
    assert any(e["kind"] == "hoax" and e.get("side") == "red" and e["district"] == "barat"
               for e in rep.events)
    mine = ex.report(rep.turn, "red")
    assert [v["accepted"] for v in mine["verdicts"]] == [True, True]
    # the next turn red has no player and no submission: the team simply stays
    ex.advance()
    assert "red" not in ex.reports[-1].verdicts and team.district == m.index["barat"]


def test_red_reads_its_own_hoaxes_in_its_report(tutorial):
    ex = Exercise(tutorial, 0)
    ex.submit(Orders(side="red", lines=[Hoax(district="barat")]))
    rep = ex.advance()
    assert any(e["kind"] == "hoax" and e.get("side") == "red" for e in rep.events)
    mine = ex.report(rep.turn, "red")["events"]
    assert any(e["kind"] == "hoax" and e["district"] == "barat" for e in mine)


def test_a_person_can_play_white(tutorial):
    ex = Exercise(tutorial, 0)
    ex.submit(Orders(side="white", lines=[FireInject(inject="lib:legitimacy_shock",
                                                     district="kota", magnitude=0.2)]))
    rep = ex.advance()
    assert rep.verdicts["white"][0].accepted
    white = ex.report(rep.turn, "white")
    assert set(white["verdicts"]) == {"white"} and "metrics" in white
    assert ex.report(rep.turn, "blue")["verdicts"] == []
    with pytest.raises(ValueError, match="unknown side"):
        ex.report(rep.turn, "green")


def test_the_turn_report_reads_like_a_log(tutorial):
    ex = Exercise(tutorial, 0)
    ex.submit(Orders(side="blue", lines=[
        Deploy(unit="samapta", to="barat", task=Task.PRESENCE),
        Deploy(unit="ghost", to="barat", task=Task.PRESENCE)]))
    rep = ex.advance()
    text = "\n".join(rep.lines("blue", ex.model))
    assert text.startswith("Turn 1 (campaign)")
    assert "✔ deploy unit=samapta, to=barat, task=presence (arrives in" in text
    assert "✘ deploy unit=ghost, to=barat, task=presence: There is no unit 'ghost'" in text
    assert "Satuan 'ghost' tidak ada" in "\n".join(rep.lines("blue", ex.model, lang="id"))
