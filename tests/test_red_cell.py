"""The red cell: it never exceeds its means, its provocateurs matter, and blue can catch
them."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from conftest import high_tension, seen_during_turn

from wargame.exercise import Exercise
from wargame.orders import Arrest, Hoax, Mobilise, Orders, Provoke
from wargame.players import FunctionPlayer, load_player, red_names
from wargame.redcell import Agitator, Opportunist


def test_bundled_red_players_load():
    assert {"opportunist", "agitator"} <= set(red_names())
    assert isinstance(load_player("opportunist", "red"), Opportunist)
    assert isinstance(load_player("agitator", "red"), Agitator)
    assert load_player("none", "red") is None
    with pytest.raises(ValueError, match="unknown red player 'chaos'"):
        load_player("chaos", "red")


# ----------------------------------------------------------------------------- means
def check_means(ex: Exercise) -> dict[str, int]:
    """Assert red stayed within its means on every turn; return what it did in total."""
    rp = ex.model.params.red
    arrested_at: dict[str, int] = {}
    for e in ex.model.events:
        if e["kind"] == "team_arrested":
            arrested_at.setdefault(e["team"], e["turn"])
    done: Counter = Counter()
    for rep in ex.reports:
        accepted = [v.line for v in rep.verdicts.get("red", []) if v.accepted]
        n = Counter(x.order for x in accepted)
        assert n["hoax"] <= rp.hoax_per_turn, (rep.turn, n)
        assert n["mobilise"] <= rp.mobilise_per_turn, (rep.turn, n)
        teams = [x.team for x in accepted if x.order == "provoke"]
        assert len(teams) == len(set(teams)) <= rp.provocateur_teams, (rep.turn, teams)
        for t in teams:
            # a team arrested during an earlier turn takes no more orders
            assert arrested_at.get(t, rep.turn) >= rep.turn, (rep.turn, t, arrested_at)
        done.update(n)
        done["provoke_after_arrests"] += sum(1 for t in teams if any(
            turn < rep.turn for turn in arrested_at.values()))
    done["arrested"] = len(arrested_at)
    return done


@pytest.mark.parametrize(("scenario", "blue"), [
    ("tutorial", "repressive"), ("banyuwangi-pilkada-2024", "preemptive")])
def test_the_opportunist_stays_within_its_means(played, scenario, blue):
    ex = played(scenario, blue, "opportunist", 0)
    done = check_means(ex)
    assert done["hoax"] > 0 and done["provoke"] > 0
    assert done["arrested"] > 0, "blue should catch some teams in this run"
    assert done["provoke_after_arrests"] > 0, "red kept playing after losing teams"
    refused = [(r.turn, v.reason_en) for r in ex.reports for v in r.verdicts.get("red", [])
               if not v.accepted]
    assert not refused, "the opportunist plans within the means its view shows"


def test_a_greedy_red_player_is_held_to_its_means(tutorial):
    """Whatever red asks for, the referee grants no more than its means."""
    def greedy(view):
        ds = [d["id"] for d in view["districts"]]
        return Orders(side="red", lines=[
            *[Hoax(district=d) for d in ds], *[Mobilise(district=d) for d in ds],
            *[Provoke(team=t["id"], district=ds[0]) for t in view["teams"]],
            Provoke(team="team-1", district=ds[1]), Provoke(team="team-99", district=ds[1])])

    ex = Exercise(high_tension(tutorial), 1, red=FunctionPlayer(greedy),
                  blue=load_player("repressive", "blue"))
    ex.run()
    done = check_means(ex)
    rp = ex.model.params.red
    turns = len(ex.reports)
    assert done["hoax"] == rp.hoax_per_turn * turns
    assert done["mobilise"] == rp.mobilise_per_turn * turns
    assert all(not v.accepted for r in ex.reports for v in r.verdicts["red"]
               if v.line.order == "provoke" and v.line.team == "team-99")


# ----------------------------------------------------------------------------- effects
def test_provoke_sends_and_wakes_a_team(tutorial):
    ex = Exercise(tutorial, 0)
    m = ex.model
    t = m.team_by_id["team-2"]
    assert not t.active and m.provocation().sum() == 0
    ex.submit(Orders(side="red", lines=[Provoke(team="team-2", district="barat")]))
    ex.advance()
    assert t.active and t.district == m.index["barat"] and not t.travelling
    assert m.provocation()[m.index["barat"]] >= 1
    seen = {x["id"]: x for x in ex.observe("red")["teams"]}
    assert (seen["team-2"]["district"], seen["team-2"]["active"]) == ("barat", True)


def _teams_only(view):
    """Red with provocateurs only: each dormant team to a district, by population."""
    ds = sorted(view["districts"], key=lambda d: (-d["population"], d["id"]))
    free = [t for t in view["teams"] if not t["arrested"] and not t["active"]]
    return Orders(side="red", lines=[Provoke(team=t["id"], district=ds[i % len(ds)]["id"])
                                     for i, t in enumerate(free)])


def test_provocateur_teams_raise_street_activity(tutorial):
    """Paired seeds on a high-tension tutorial: provocateurs at work bring more people out.
    Seen (seeds 0-5): mean active fraction 0.026-0.052 with teams vs 0.003-0.017 without."""
    sc = high_tension(tutorial)
    with_teams, without = [], []
    for seed in range(6):
        with_teams.append(Exercise(sc, seed, red=FunctionPlayer(_teams_only)).run())
        without.append(Exercise(sc, seed).run())
    a = np.array([r["mean_active_fraction"] for r in with_teams])
    b = np.array([r["mean_active_fraction"] for r in without])
    assert (a > b).sum() >= 5, (a, b)
    assert a.mean() > 1.5 * b.mean(), (a.mean(), b.mean())


def test_the_opportunist_raises_street_activity(tutorial):
    """Seen (seeds 0-5): 0.044-0.090 with the opportunist vs 0.0006-0.016 with no red."""
    sc = high_tension(tutorial)
    a = np.array([Exercise(sc, s, red=load_player("opportunist", "red")).run()[
        "mean_active_fraction"] for s in range(4)])
    b = np.array([Exercise(sc, s).run()["mean_active_fraction"] for s in range(4)])
    assert (a > b).all() and a.mean() > 1.5 * b.mean(), (a, b)


def test_an_accepted_mobilisation_drive_acts_during_its_turn(tutorial):
    ex = Exercise(tutorial, 0)
    ex.submit(Orders(side="red", lines=[Mobilise(district="barat")]))
    seen = seen_during_turn(ex, lambda m: m.turn_mobilised[m.index["barat"]])
    rep = ex.advance()
    assert rep.verdicts["red"][0].accepted
    assert seen and all(v > 0 for v in seen)


# ----------------------------------------------------------------------------- arrests
def test_a_detected_team_is_arrested_by_a_blue_arrest_order(tutorial):
    """Red sends a team to Sukamaju Kota (where Intelkam watches); once blue's picture
    shows it, Polsek Kota goes after it in plain clothes and catches it."""
    ex = Exercise(tutorial, 0)
    m = ex.model
    team = m.team_by_id["team-1"]
    ex.submit(Orders(side="red", lines=[Provoke(team="team-1", district="kota")]))
    ex.advance()
    ordered = False
    while not ex.finished and not team.arrested:
        seen = [p for p in ex.observe("blue")["provocateurs"] if p["id"] == "team-1"]
        if seen:
            assert team.detected
            v = ex.submit(Orders(side="blue", lines=[Arrest(unit="polsek-kota",
                                                            district=seen[0]["district"])]))
            assert v[0].accepted
            ordered = True
        ex.advance()
    assert ordered and team.arrested
    caught = [e for e in m.events if e["kind"] == "team_arrested"]
    assert [(e["team"], e["unit"]) for e in caught] == [("team-1", "polsek-kota")]
    assert ex.observe("blue")["provocateurs"] == []
    assert {t["id"]: t["arrested"] for t in ex.observe("red")["teams"]}["team-1"] is True
    assert m.provocation()[m.index["kota"]] == 0
    if not ex.finished:
        v = ex.submit(Orders(side="red", lines=[Provoke(team="team-1", district="barat")]))
        assert not v[0].accepted and "was arrested" in v[0].reason_en
