"""The players' fast paths must never change what a side sees or decides.

- Observation noise: PCG64 seeded from the words worked out for every turn and side at
  once (numpy's seeding, on arrays), and the draws of
  ``rng.normal(0, scale)`` made as ``standard_normal * scale``, give the numbers numpy's
  own calls give.
- Doctrine: rankings by the map kept across turns, the first unit of a pool found without
  sorting it, the units on a task by destination indexed once, and the free units, their
  personnel and their kinds gathered in one pass, equal what a fresh planner computes by
  scanning and sorting.
- Orders the engine's players assemble without checking each line again equal orders
  made by ``Orders(...)``; orders from outside are still checked and refused.
- The referee's verdicts, made without validating lines and values that need none, are
  the verdicts ``Verdict(...)`` makes, field for field; anything else is still validated.
- The referee's lists of community-engagement and Sat Reskrim units, kept up to date as
  units are added, are the units a scan finds; orders that need one standing in a
  district are judged as a scan judges them, detachments made in the same pass included.
- The referee's copy of a line's fields equals the line's ``model_dump()``.
"""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from wargame.doctrine import COMMITTED, Planner, RuleDoctrine
from wargame.exercise import Exercise
from wargame.observation import (
    _gaussian,
    _noise,
    _seed_states,
    _SeedWords,
    _uint32_words,
    observe,
)
from wargame.orders import (
    SIDE_LINES,
    Arrest,
    Deploy,
    FireInject,
    Gakkumdu,
    Hoax,
    HoldInject,
    Mobilise,
    Orders,
    PeaceDeclaration,
    Provoke,
    Reinforce,
    Respond,
    Verdict,
    accepted,
    engine_orders,
    line_fields,
    refused,
)
from wargame.players import load_player
from wargame.scenario import Task, UnitKind


@pytest.mark.parametrize("seed", [0, 1, 2**32 - 1, 2**32, 2**62 - 7, 2**64 + 3, 2**127 + 11])
def test_seed_words_are_the_words_numpy_reads_a_seed_as(seed):
    from numpy.random.bit_generator import _coerce_to_uint32_array

    assert _uint32_words(seed) == _coerce_to_uint32_array(seed).tolist()


def test_observation_noise_is_numpys_default_rng_of_seed_turn_and_side(banyuwangi):
    ex = Exercise(banyuwangi, np.random.SeedSequence(3))
    m = ex.model
    for _ in range(3):
        for code, side in enumerate(("blue", "red", "white")):
            expected = np.random.default_rng([m.obs_seed, m.turn, code]).random(8)
            assert _noise(m, side).random(8).tolist() == expected.tolist()
        ex.advance()
    m.obs_seed = 2**100 + 5  # a new seed is read afresh, not taken from the kept states
    expected = np.random.default_rng([m.obs_seed, m.turn, 1]).random(8)
    assert _noise(m, "red").random(8).tolist() == expected.tolist()


def test_observation_noise_of_every_turn_and_beyond(tutorial, monkeypatch):
    """Every turn of a run (the words worked out), and turns outside it (numpy's own
    seeding), give numpy's stream, each call a generator of its own."""
    ex = Exercise(tutorial, np.random.SeedSequence(8))
    m = ex.model
    turns = m.ticks[-1].turn + 1
    seen = set()
    for turn in [*range(turns), turns, turns + 5, 2**32 + 1]:
        monkeypatch.setattr(type(m), "turn", property(lambda self, t=turn: t))
        for code, side in enumerate(("blue", "red", "white")):
            expected = np.random.default_rng([m.obs_seed, turn, code])
            rng = _noise(m, side)
            assert rng.integers(0, 2**32, 3, dtype=np.uint32).tolist() == expected.integers(
                0, 2**32, 3, dtype=np.uint32).tolist()  # (an odd count: half a word kept)
            rng = _noise(m, side)  # the side's generator again: afresh, nothing kept
            assert rng is not _noise(m, side)
            expected = np.random.default_rng([m.obs_seed, turn, code])
            drawn = rng.integers(0, 2**32, 5, dtype=np.uint32).tolist()
            assert drawn == expected.integers(0, 2**32, 5, dtype=np.uint32).tolist()
            assert rng.normal(0, 1, 4).tolist() == expected.normal(0, 1, 4).tolist()
            seen.add(tuple(drawn))
    assert len(seen) == 3 * (turns + 3)  # every turn and side has a stream of its own


@pytest.mark.parametrize("width", [1, 2, 3, 4, 5, 7])
def test_seed_states_are_seed_sequences_states(width):
    draws = np.random.default_rng(width)
    entropy = draws.integers(0, 2**32, (40, width), dtype=np.uint32)
    entropy[0] = 0
    entropy[1] = 2**32 - 1
    for n_words in (1, 4, 8, 9):
        states = _seed_states(entropy, n_words)
        assert states.dtype == np.uint32
        for row, state in zip(entropy, states, strict=True):
            assert state.tolist() == np.random.SeedSequence(row).generate_state(
                n_words).tolist()


def test_pcg64_seeded_from_words_worked_out_is_pcg64_seeded_by_the_sequence():
    draws = np.random.default_rng(4)
    for width in (1, 2, 4, 6):
        for row in draws.integers(0, 2**32, (30, width), dtype=np.uint32):
            seq = np.random.SeedSequence(row)
            words = _seed_states(row[None, :], 8).astype("<u4").view("<u8").astype(np.uint64)[0]
            assert words.tolist() == seq.generate_state(4, np.uint64).tolist()
            made = np.random.PCG64(_SeedWords(words))
            assert made.state == np.random.PCG64(seq).state
    with pytest.raises(ValueError, match="4 uint64 words"):
        _SeedWords(words).generate_state(8)  # nothing else was worked out


@pytest.mark.parametrize("scale", [[0.0, 0.3, 0.1, 0.29, 0.0003], [], [np.nan, 0.2], [0.3] * 40])
def test_gaussian_draws_what_normal_draws(scale):
    scale = np.array(scale, dtype=float)
    drawn, fast = np.random.default_rng(11), np.random.default_rng(11)
    expected = np.exp(drawn.normal(0, scale))
    assert np.array_equal(np.exp(_gaussian(fast, scale)), expected, equal_nan=True)
    assert drawn.random(4).tolist() == fast.random(4).tolist()  # the stream goes on the same


@pytest.mark.parametrize("scale", [[0.1, -0.2], [-0.0]])
def test_gaussian_refuses_what_normal_refuses(scale):
    with pytest.raises(ValueError, match="scale < 0"):
        _gaussian(np.random.default_rng(1), np.array(scale))


def _blue_views(scenario, doctrine: str, seed: int = 2):
    """Blue's view of every turn of a run with the doctrine playing blue."""
    ex = Exercise(scenario, np.random.SeedSequence(seed), blue=load_player(doctrine, "blue"),
                  red=load_player("opportunist", "red"))
    while not ex.finished:
        yield observe(ex.model, "blue"), ex.players["blue"]
        ex.advance()


@pytest.mark.parametrize("doctrine", ["preemptive", "repressive", "preventive"])
def test_kept_map_rankings_equal_rankings_made_afresh(banyuwangi, doctrine):
    for view, player in _blue_views(banyuwangi, doctrine):
        kept = Planner(view=view, km={}, map_order=player._map_order)
        for by in ("vulnerability", "rawan_tps", "population", "tension", "rumour"):
            for top, threshold in ((3, 0.0), (len(view["districts"]), 0.0), (5, 0.4)):
                fresh = Planner(view=view, km={})
                assert kept.ranked(by, top, threshold) == fresh.ranked(by, top, threshold)
    assert player._map_order  # rankings by the map were kept and handed out again


def _planner(view: dict) -> Planner:
    units = {u["id"]: u for u in view["units"]}
    return Planner(view=view, km={}, units=units,
                   free={uid: u["strength"] // (1 + len(uid) % 3) for uid, u in units.items()})


@pytest.mark.parametrize("doctrine", ["preemptive", "reactive"])
def test_first_of_a_pool_and_units_bound_for_a_place_equal_a_scan(banyuwangi, doctrine):
    for view, _ in _blue_views(banyuwangi, doctrine):
        p = _planner(view)
        kinds = sorted({u["kind"] for u in view["units"]})
        places = sorted({u["destination"] for u in view["units"]})
        for some in (kinds, kinds[::3], kinds[1::4], ["samapta", "samapta", "dalmas"]):
            for tasks in (None, {"reserve", "presence"}, {"engage"}):
                pool = p.pool(some, tasks)
                assert p.first(some, tasks) == (pool[0] if pool else None)
                arrests = [u for u in pool if "arrest" in u["tasks"]]
                assert p.first(some, tasks, where=lambda u: "arrest" in u["tasks"]) == (
                    arrests[0] if arrests else None)
        for kind in kinds:
            for task in ("presence", "engage", "guard_tps", "intel"):
                for d in places:
                    assert p.bound_for(kind, task, d) == [
                        u for u in p.of_kind(kind) if u["destination"] == d and u["task"] == task]


def _with_arrests(view: dict) -> dict:
    """``view`` with some units arresting (one where a provocateur is seen, one not) and
    some committed to an incident."""
    units = [dict(u) for u in view["units"]]
    for u, task in zip(units[::9], ["arrest", "arrest", "respond", "negotiate"] * 99,
                       strict=False):
        u["task"] = task
    return {**view, "units": units, "provocateurs": [
        *view.get("provocateurs", []), {"id": "x", "district": units[0]["district"]}]}


def _gathered_alike(view: dict) -> int:
    """Check ``Planner.of_view`` against separate passes; how many units it left out."""
    teams = {t["district"] for t in view.get("provocateurs", [])}
    units = {u["id"]: u for u in view["units"] if u["task"] not in COMMITTED
             and not (u["task"] == "arrest" and u["district"] in teams)}
    plain = Planner(view=view, km={}, units=units,
                    free={uid: u["strength"] for uid, u in units.items()})
    p = Planner.of_view(view, {}, {})
    assert list(p.units.items()) == list(plain.units.items())
    assert list(p.free.items()) == list(plain.free.items())
    for kind in [*sorted({u["kind"] for u in view["units"]}), "no-such-kind"]:
        assert p.of_kind(kind) == plain.of_kind(kind)
    assert set(p._by_kind or {}) == set(plain._by_kind or {})
    return len(view["units"]) - len(units)


@pytest.mark.parametrize("doctrine", ["repressive", "reactive"])
def test_a_views_planner_gathers_what_separate_passes_gather(banyuwangi, doctrine):
    for view, _ in _blue_views(banyuwangi, doctrine, seed=7):
        _gathered_alike(view)
        # some units arresting (one where a provocateur is seen), some at incidents
        units = [dict(u) for u in view["units"]]
        for u, task in zip(units[::9], ["arrest", "arrest", "respond", "negotiate"] * 99,
                           strict=False):
            u["task"] = task
        seen = [*view.get("provocateurs", []), {"id": "x", "district": units[0]["district"]}]
        left_out = _gathered_alike({**view, "units": units, "provocateurs": seen})
        assert left_out >= len(units[::9]) // 2  # the committed, the arresting at units[0]


@pytest.mark.parametrize("doctrine", ["preemptive", "repressive"])
def test_decisions_are_those_of_a_doctrine_that_keeps_nothing(banyuwangi, doctrine):
    """The doctrine playing keeps its map rankings from turn to turn; one loaded afresh
    for every turn keeps nothing, and decides the same."""
    for view, player in _blue_views(banyuwangi, doctrine, seed=5):
        fresh = load_player(doctrine, "blue")
        assert isinstance(fresh, RuleDoctrine)
        assert player.decide(view) == fresh.decide(view)


_LINES = [
    Deploy(unit="samapta-1", to="muncar", task=Task.GUARD_SITE, site="kpu", personnel=12),
    Deploy(unit="samapta-1", to="muncar", task=Task.PRESENCE),
    Respond(unit="dalmas", incident=4, mode="negotiate", personnel=5),
    Arrest(unit="reskrim", district="muncar"),
    Reinforce(source="tni", personnel=100, to="genteng"),
    PeaceDeclaration(district="genteng"),
    Gakkumdu(district="genteng"),
    Hoax(district="genteng"),
    Mobilise(district="genteng", candidate="paslon-1"),
    Mobilise(district="genteng"),
    Provoke(team="t1", district="genteng"),
    FireInject(inject="lib:hoax", district="genteng", magnitude=0.5),
    HoldInject(inject="msel-3"),
]


def test_every_line_kind_is_covered():
    assert {type(x) for x in _LINES} == {t for ts in SIDE_LINES.values() for t in ts}


@pytest.mark.parametrize("line", _LINES, ids=lambda x: x.order)
def test_line_fields_are_the_lines_dump(line):
    fields = line_fields(line)
    assert fields == line.model_dump()
    assert list(fields) == list(line.model_dump())  # in the same order
    fields["order"] = "changed"  # a copy: the line itself is untouched
    assert line.order != "changed"


def test_engine_orders_equal_orders_made_by_checking_each_line():
    for side, kinds in SIDE_LINES.items():
        lines = [x for x in _LINES if isinstance(x, kinds)]
        made, checked = engine_orders(side, lines), Orders(side=side, lines=lines)
        assert made == checked
        assert made.model_dump(mode="json") == checked.model_dump(mode="json")
        assert made.model_dump_json() == checked.model_dump_json()
    with pytest.raises(ValidationError):
        engine_orders("green", [])


def test_orders_from_outside_are_still_checked_line_by_line():
    with pytest.raises(ValidationError, match="personnel"):
        Orders.model_validate({"side": "blue", "lines": [
            {"order": "deploy", "unit": "samapta", "to": "barat", "task": "presence",
             "personnel": 0}]})
    with pytest.raises(ValidationError, match="task"):
        Orders(side="blue", lines=[{"order": "deploy", "unit": "samapta", "to": "barat",
                                    "task": "picnic"}])


def _same_model(fast, plain, hashable: bool = True) -> None:
    """Two pydantic models alike in everything a caller can see or compare."""
    assert type(fast) is type(plain)
    assert list(fast.__dict__.items()) == list(plain.__dict__.items())  # values and order
    assert all(type(a) is type(b) for a, b in zip(fast.__dict__.values(),
                                                  plain.__dict__.values(), strict=True))
    assert fast.model_fields_set == plain.model_fields_set
    assert fast.__pydantic_extra__ == plain.__pydantic_extra__
    assert fast.__pydantic_private__ == plain.__pydantic_private__
    assert fast == plain and repr(fast) == repr(plain)
    assert not hashable or hash(fast) == hash(plain)
    assert fast.model_dump() == plain.model_dump()
    assert fast.model_dump(exclude_unset=True) == plain.model_dump(exclude_unset=True)
    assert fast.model_dump_json() == plain.model_dump_json()


@pytest.mark.parametrize("line", _LINES, ids=lambda x: x.order)
@pytest.mark.parametrize("eta", [None, 0.0, 2.75])
def test_accepted_verdicts_are_validated_verdicts(line, eta):
    fast = accepted(3, line, eta)
    plain = Verdict(index=3, accepted=True, line=line, eta_hours=eta)
    _same_model(fast, plain)
    assert fast.line is line and plain.line is line


@pytest.mark.parametrize("line", _LINES, ids=lambda x: x.order)
def test_refused_verdicts_are_validated_verdicts(line):
    fast = refused(0, line, "Satuan 'x' tidak ada", "There is no unit 'x'")
    plain = Verdict(index=0, accepted=False, line=line, reason_id="Satuan 'x' tidak ada",
                    reason_en="There is no unit 'x'")
    _same_model(fast, plain)


def test_verdicts_of_other_values_are_validated():
    line = Hoax(district="genteng")
    _same_model(accepted(1, line, 4), Verdict(index=1, accepted=True, line=line, eta_hours=4))
    assert type(accepted(1, line, 4).eta_hours) is float  # an int ETA becomes a float
    as_data = {"order": "hoax", "district": "genteng"}
    _same_model(accepted(1, as_data, None),  # type: ignore[arg-type]
                Verdict(index=1, accepted=True, line=as_data, eta_hours=None))
    with pytest.raises(ValidationError, match="eta_hours"):
        accepted(1, line, "soon")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="line"):
        refused(1, {"order": "picnic"}, "a", "b")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="reason_en"):
        refused(1, line, "a", None)  # type: ignore[arg-type]


def test_a_runs_verdicts_are_validated_verdicts(tutorial):
    """Every verdict of a run (accepted and refused, of both players and of submitted
    orders) equals the verdict ``Verdict(...)`` makes of the same values."""
    ex = Exercise(tutorial, np.random.SeedSequence(4), blue=load_player("preemptive", "blue"),
                  red=load_player("opportunist", "red"))
    unit = ex.observe("blue")["units"][0]
    ex.submit(Orders(side="blue", lines=[
        Deploy(unit=unit["id"], to=unit["district"], task=Task.PRESENCE, personnel=1),
        Deploy(unit="nobody", to=unit["district"], task=Task.PRESENCE),
        Reinforce(source="tni", personnel=10**6, to=unit["district"])]))
    ex.submit(Orders(side="white", lines=[Hoax(district=unit["district"]),
                                          FireInject(inject="lib:nothing")]))
    ex.run()
    verdicts = [v for r in ex.reports for vs in r.verdicts.values() for v in vs]
    assert any(v.accepted for v in verdicts) and sum(not v.accepted for v in verdicts) >= 4
    for v in verdicts:
        if v.accepted:
            plain = Verdict(index=v.index, accepted=True, line=v.line, eta_hours=v.eta_hours)
        else:
            plain = Verdict(index=v.index, accepted=False, line=v.line,
                            reason_id=v.reason_id, reason_en=v.reason_en)
        _same_model(v, plain)


def test_engine_orders_are_the_orders_model_construct_makes():
    lines = [x for x in _LINES if isinstance(x, SIDE_LINES["red"])]
    made = engine_orders("red", lines)
    _same_model(made, Orders.model_construct(side="red", lines=lines), hashable=False)
    assert made.lines is lines


def _scanned_groups(m):
    return ([u for u in m.units if u.profile.engagement > 0],
            [u for u in m.units if u.kind == UnitKind.RESKRIM])


def test_referees_unit_groups_are_what_a_scan_finds(banyuwangi):
    ex = Exercise(banyuwangi, np.random.SeedSequence(6), blue=load_player("preemptive", "blue"),
                  red=load_player("opportunist", "red"))
    m, referee = ex.model, ex.referee
    grown = False
    while not ex.finished:
        before = len(m.units)
        ex.advance()
        grown |= len(m.units) > before
        referee._group_units()
        assert (referee._engaging, referee._reskrim) == _scanned_groups(m)
    assert grown  # detachments were added along the way, and taken in
    other = Exercise(banyuwangi, np.random.SeedSequence(7))  # another model's units
    referee.model = other.model
    referee._group_units()
    assert (referee._engaging, referee._reskrim) == _scanned_groups(other.model)


def test_gakkumdu_and_peace_need_a_unit_standing_there_as_a_scan_finds(banyuwangi):
    ex = Exercise(banyuwangi, np.random.SeedSequence(2))
    m = ex.model
    reskrim = next(u for u in m.units if u.kind == UnitKind.RESKRIM)
    here, elsewhere = reskrim.district, (reskrim.district + 1) % m.n
    # every community-engagement unit of a district other than those two leaves it
    engaging = [u for u in m.units if u.profile.engagement > 0]
    left = min({u.district for u in engaging} - {here, elsewhere},
               key=lambda d: sum(u.district == d for u in engaging))
    ids = m.district_ids
    # the Reskrim unit splits, its detachment going elsewhere (where it is not yet)
    lines = [Deploy(unit=reskrim.unit_id, to=ids[elsewhere], task=Task.PRESENCE, personnel=1),
             Gakkumdu(district=ids[here]), Gakkumdu(district=ids[elsewhere]),
             *[Deploy(unit=u.unit_id, to=ids[elsewhere], task=u.task)
               for u in engaging if u.district == left],
             PeaceDeclaration(district=ids[left]), PeaceDeclaration(district=ids[here])]
    verdicts = ex.referee.apply(Orders(side="blue", lines=lines))
    scanned = []  # what a scan of all units finds once all lines are carried out
    for line in lines:
        if isinstance(line, Deploy):
            scanned.append(True)
            continue
        d = m.index[line.district]
        able = ((lambda u: u.kind == UnitKind.RESKRIM) if isinstance(line, Gakkumdu)
                else (lambda u: u.profile.engagement > 0))
        scanned.append(any(able(u) and u.district == d and not u.travelling for u in m.units))
    assert [v.accepted for v in verdicts] == scanned
    assert scanned[1:3] == [True, False] and scanned[-2:] == [False, True]
    assert any(u.unit_id == reskrim.unit_id + ".1" for u in m.units)  # the detachment


def test_red_supporters_are_each_value_rounded_by_round(banyuwangi):
    """Red's supporters (grievance and shares rounded together, as one array) hold what
    ``round`` makes of each value."""
    ex = Exercise(banyuwangi, np.random.SeedSequence(9), blue=load_player("reactive", "blue"),
                  red=load_player("opportunist", "red"))
    m = ex.model
    candidates = m.setting.candidates
    while not ex.finished:
        g = m._group_grievance()
        expected = [{"district": d, "candidate": c.id, "grievance": round(float(g[k, i]), 4),
                     "share": round(float(m.shares[k, i]), 4)}
                    for k, c in enumerate(candidates) for i, d in enumerate(m.district_ids)]
        assert observe(m, "red")["supporters"] == expected
        ex.advance()
    assert len({s["grievance"] for s in expected}) > 1
