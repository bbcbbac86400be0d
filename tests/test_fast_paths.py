"""The engine's fast paths must never change a result.

- The units' layout of contributions is cached: each tick it equals one rebuilt from scratch.
- Units' fatigue and personnel-hours live in one ledger of arrays, in the units' order.
- Citizens are evaluated only where G > T holds (walking each group, hardship descending,
  in one compiled pass): each tick, the outcome equals that of evaluating every citizen
  with whole arrays.
"""

from __future__ import annotations

import numba
import numpy as np
import pytest
from conftest import high_tension, variant

from wargame import dynamics as dyn
from wargame import population
from wargame.citizens import decide as decide_citizens
from wargame.exercise import Exercise
from wargame.model import WargameModel
from wargame.players import load_player
from wargame.population import ACTIVE, JAILED, QUIET


def _ids(here: dict) -> dict[int, list[str]]:
    return {d: [u.unit_id for u in us] for d, us in here.items() if us}


@pytest.mark.parametrize("doctrine", ["preemptive", "repressive"])
def test_cached_unit_layout_equals_a_rebuild_every_tick(banyuwangi, doctrine):
    """Orders move, split and retask units, reinforcements arrive, incidents close and
    release their units: after every one of these the layout (redone for the units that
    changed) must equal one built from scratch."""
    ex = Exercise(banyuwangi, np.random.SeedSequence(3), blue=load_player(doctrine, "blue"),
                  red=load_player("agitator", "red"))
    m = ex.model
    units0 = len(m.units)
    orig = m._contributions
    checked: dict[str, object] = {"ticks": 0, "rebuilt": 0, "last": m._layout}

    def contributions_checked() -> None:
        orig()
        cached, here = m._layout, _ids(m.units_here)
        checked["rebuilt"] += cached is not checked["last"]
        checked["last"] = cached
        fresh = m._build_layout()
        standing = fresh.standing
        for name, a, b in zip(fresh._fields, cached, fresh, strict=True):
            if name == "where":  # a travelling unit's place weighs nothing (its row is 0)
                a, b = a[standing], b[standing]
            np.testing.assert_array_equal(a, b, err_msg=name)
        assert here == _ids(m.units_here)
        checked["ticks"] += 1

    m._contributions = contributions_checked
    ex.run()
    assert checked["ticks"] == len(m.ticks)
    # the cache is rebuilt when postures change, not every tick
    assert 0 < checked["rebuilt"] < checked["ticks"] / 2
    assert len(m.units) > units0  # detachments or reinforcements were made


def test_unit_ledger_holds_each_units_fatigue_and_hours_in_the_units_order(banyuwangi):
    """Fatigue and personnel-hours are updated for all units at once in the ledger; each
    unit reads its own entry, detachments and reinforcements included, and a unit listed
    out of the order it was made is refused rather than given another unit's fatigue."""
    ex = Exercise(banyuwangi, np.random.SeedSequence(3), blue=load_player("repressive", "blue"),
                  red=load_player("agitator", "red"))
    ex.run()
    m = ex.model
    assert m.unit_ledger.size == len(m.units) > len(banyuwangi.units)
    assert [u.entry for u in m.units] == list(range(len(m.units)))
    assert [u.fatigue for u in m.units] == m.unit_ledger.fatigue.tolist()
    assert [u.personnel_hours for u in m.units] == m.unit_ledger.hours.tolist()
    assert 0 < max(u.fatigue for u in m.units) <= 1 and min(m.unit_ledger.hours) >= 0
    m.units[0].fatigue = 0.25
    assert m.unit_ledger.fatigue[0] == 0.25
    m.units[1], m.units[2] = m.units[2], m.units[1]
    with pytest.raises(RuntimeError, match="order they are made"):
        m._build_layout()


def _citizens_everyone(m: WargameModel, tick) -> None:
    """The citizens' step evaluating every citizen with whole arrays (the plain form of
    ``WargameModel._citizens``, drawing the same random numbers in the same order)."""
    pop, a, cp = m.pop, m.params.activation, m.params.crowd
    state = pop.state
    jailed = state == JAILED
    was_active = np.flatnonzero(state == ACTIVE)
    legit = m._legitimacy_table(tick.stage).ravel()[m._group_key]
    g = dyn.grievance(pop.hardship, legit)
    out = m.street_share()
    visible_hood = np.clip(m.hood_active_share + out[pop.hood_district], 0, 1)
    mu = a.vision * a.visibility * m.presence / m.population_real
    cops = m.police_seen = m.rng_citizens.poisson(mu[pop.hood_district])
    seen = m.rng_citizens.binomial(a.vision, visible_hood) + 1
    p_arrest = dyn.arrest_probability(cops, seen, a.k, a.risk_function)[pop.hood]
    local = visible_hood[pop.hood]
    if m.crowds:
        for origin, val in m._crowd_deterrence().items():
            member = (pop.district == origin) & (state == ACTIVE)
            p_arrest[member] = val
            local[member] = np.clip(m.active_share + out, 0, 1)[origin]
    wants = dyn.wants_active(g, pop.risk_aversion, p_arrest, a.threshold)
    if a.granovetter:
        wants &= dyn.joins_by_threshold(local, pop.threshold)
    pop.rest_hours = np.maximum(pop.rest_hours - tick.hours, 0.0)
    drop = was_active[m.rng_citizens.random(was_active.size)
                      < dyn.per_day(cp.dropout_per_hour * (1 + 2 * m.weather) * 24, tick.hours)]
    pop.rest_hours[drop] = cp.rest_hours
    wants &= (pop.rest_hours <= 0) & ~jailed
    pop.state = np.where(jailed, JAILED, np.where(wants, ACTIVE, QUIET)).astype(np.int8)
    m._busy = np.flatnonzero(pop.state != QUIET)  # the model's indexes, by scanning
    m._resting = np.flatnonzero(pop.rest_hours > 0)
    active = pop.state == ACTIVE
    m.active_share = np.bincount(pop.district[active], minlength=m.n) / m.citizens_per_district
    m.hood_active_share = (np.bincount(pop.hood[active], minlength=pop.hood_district.size)
                           / m.citizens_per_hood)
    latent = (pop.state == QUIET) & (g > a.threshold)
    m.tension = np.bincount(pop.district[latent], minlength=m.n) / m.citizens_per_district
    partisan = pop.affiliation >= 0
    sums = np.bincount(m._group_key[partisan], weights=g[partisan],
                       minlength=m._group_mean_hardship.size)
    counts = np.bincount(m._group_key[partisan], minlength=sums.size)
    m._last_group_grievance = (sums / np.maximum(counts, 1))[m.n:].reshape(-1, m.n)


@pytest.mark.parametrize("which", ["banyuwangi", "floor", "round", "continuous"])
def test_citizens_found_by_group_decide_as_if_everyone_were_evaluated(which, banyuwangi,
                                                                       tutorial):
    """Two models, same seed: one steps its citizens the fast way (the compiled step,
    drawing with numba from the same Generator), the other evaluates everyone with numpy.
    Tick by tick the states, shares, tension and groups' grievance agree (the grievance to
    rounding: a group's mean of H · (1 − L) is computed as mean H · (1 − L)). The tutorial
    at high tension runs with each of the three risk functions."""
    sc = banyuwangi if which == "banyuwangi" else variant(
        high_tension(tutorial), **{"params.activation.risk_function": which})
    fast, plain = WargameModel(sc, seed=11), WargameModel(sc, seed=11)
    plain._citizens = lambda tick: _citizens_everyone(plain, tick)
    busiest = 0
    while not fast.finished:
        fast.step()
        plain.step()
        np.testing.assert_array_equal(fast.pop.state, plain.pop.state)
        np.testing.assert_array_equal(fast.pop.rest_hours, plain.pop.rest_hours)
        np.testing.assert_array_equal(fast.police_seen, plain.police_seen)
        # the indexes kept up to date are what scanning everyone finds
        np.testing.assert_array_equal(fast._busy, np.flatnonzero(fast.pop.state != QUIET))
        np.testing.assert_array_equal(np.sort(fast._resting),
                                      np.flatnonzero(fast.pop.rest_hours > 0))
        np.testing.assert_array_equal(fast._resting_mask, fast.pop.rest_hours > 0)
        for name in ("active_share", "hood_active_share", "tension"):
            np.testing.assert_array_equal(getattr(fast, name), getattr(plain, name))
        np.testing.assert_allclose(fast._group_grievance(), plain._group_grievance(),
                                   rtol=1e-12, atol=0)
        busiest = max(busiest, int((fast.pop.state == ACTIVE).sum()))
    assert busiest > 0  # the runs did have active citizens
    assert fast.metrics() == plain.metrics()


def test_group_walk_finds_exactly_the_citizens_with_grievance_above_threshold(banyuwangi):
    """For any legitimacy per group and any threshold, walking each group (hardship
    descending) until G ≤ T finds every citizen with H · (1 − L) > T and no one else: with
    no arrest risk, no threshold gate and nobody resting, exactly they want to act."""
    m = WargameModel(banyuwangi, seed=2)
    pop, n_groups = m.pop, m._group_start.size - 1
    rng = np.random.default_rng(0)
    zeros, ones = np.zeros(pop.hood_district.size), np.ones(pop.hood_district.size)
    for _ in range(200):
        table = rng.choice([rng.random(n_groups), np.round(rng.random(n_groups), 1),
                            np.zeros(n_groups), np.ones(n_groups)])
        threshold = float(rng.choice([0.0, 0.05, 0.1, 0.3, rng.random()]))
        out = np.empty(pop.size, dtype=np.intp)
        counts = [np.zeros(k, dtype=np.int64) for k in (m.n, zeros.size, m.n)]
        found = decide_citizens(
            m._group_start, 1.0 - table, m._sorted["hardship"], m._group_order,
            m._sorted["hood"], m._sorted["district"], threshold, m._sorted["risk_aversion"],
            m._sorted["threshold"], np.zeros(pop.size, dtype=np.int8),
            np.zeros(pop.size, dtype=bool), zeros, ones,
            np.zeros(m.n, dtype=bool), np.zeros(m.n), np.zeros(m.n), False, out, *counts)
        every = np.flatnonzero(dyn.grievance(pop.hardship, table[m._group_key]) > threshold)
        np.testing.assert_array_equal(np.sort(out[:found]), every)
        assert counts[2].sum() == 0  # no one aggrieved enough stays quiet here


def test_citizens_index_attributes_are_read_only_and_set_citizens_keeps_the_copy(tutorial):
    """The group index relies on hardship, neighbourhood, district and affiliation, and the
    pass reads risk aversion and thresholds from copies in group order: all of them are
    read-only, and an experiment that changes thresholds mid-run (F7's instigator) goes
    through ``set_citizens``, which takes effect at the next tick."""
    m, control = (WargameModel(high_tension(tutorial), seed=5) for _ in range(2))
    for name in ("hardship", "hood", "district", "affiliation", "risk_aversion", "threshold"):
        with pytest.raises(ValueError, match="read-only"):
            getattr(m.pop, name)[0] = 0.5
    with pytest.raises(ValueError, match="not 'hardship'"):
        m.set_citizens("hardship", 0, 0.5)
    m.step()
    control.step()
    m.set_citizens("threshold", slice(None), 2.0)  # no neighbourhood share reaches 2
    np.testing.assert_array_equal(m._sorted["threshold"], 2.0)
    m.step()
    control.step()
    assert (control.pop.state == ACTIVE).any()
    assert not (m.pop.state == ACTIVE).any()
    m.set_citizens("risk_aversion", [3, 1], [0.25, 0.75])
    assert m.pop.risk_aversion[[3, 1]].tolist() == [0.25, 0.75]
    np.testing.assert_array_equal(m._sorted["risk_aversion"],
                                  m.pop.risk_aversion[m._group_order])


def _outcome(ex: Exercise) -> tuple:
    m = ex.model
    return (ex.run(), m.events, m.recorder.timeline, m.pop.state.tobytes(),
            m.rng_events.bit_generator.state, m.rng_citizens.bit_generator.state)


def test_models_of_one_replication_share_their_citizens_and_change_no_result(tutorial):
    """The doctrines of a replication have the same seeds, so they would draw the same
    citizens: the second model of the same scenario object, scale and seed reuses those of
    the first (``population.populate``). Their fixed attributes and group index are shared
    read-only, their state is each model's own, the population stream is left where drawing
    leaves it, and a run is exactly the run of a model that drew them afresh."""
    sc = high_tension(tutorial)

    def exercise(doctrine: str) -> Exercise:
        return Exercise(sc, np.random.SeedSequence(8), blue=load_player(doctrine, "blue"),
                        red=load_player("opportunist", "red"))

    population._MEMO.clear()
    first, second = exercise("preemptive"), exercise("repressive")
    a, b = first.model, second.model
    for name in population.FIXED:
        assert getattr(b.pop, name) is getattr(a.pop, name), name
        assert not getattr(b.pop, name).flags.writeable, name
    assert b._group_order is a._group_order and b._sorted["hardship"] is a._sorted["hardship"]
    for name in population.MUTABLE:
        assert getattr(b.pop, name) is not getattr(a.pop, name), name
    population._MEMO.clear()
    fresh = exercise("repressive")
    assert fresh.model.pop.hardship is not b.pop.hardship  # drawn anew
    assert fresh.model.rng_pop.bit_generator.state == b.rng_pop.bit_generator.state
    shared_run = _outcome(second)
    assert (b.pop.state != QUIET).any()  # the run moved citizens...
    assert (a.pop.state == QUIET).all()  # ...of its own model only
    assert shared_run == _outcome(fresh)
    assert _outcome(first)[0] != shared_run[0]  # (the doctrines do differ)
    # another scenario object (here: other thresholds) draws its own citizens
    other = Exercise(variant(sc, **{"params.activation.threshold_sd": 0.2}),
                     np.random.SeedSequence(8))
    assert other.model.pop.hardship is not a.pop.hardship


def test_set_citizens_changes_only_its_own_model_of_a_shared_population(tutorial):
    sc = high_tension(tutorial)
    m, control = (WargameModel(sc, seed=5) for _ in range(2))
    assert m.pop.threshold is control.pop.threshold  # shared, until one changes it
    before = control.pop.threshold.copy()
    m.set_citizens("threshold", slice(None), 2.0)
    np.testing.assert_array_equal(control.pop.threshold, before)
    np.testing.assert_array_equal(control._sorted["threshold"], before[control._group_order])
    np.testing.assert_array_equal(m._sorted["threshold"], 2.0)
    with pytest.raises(ValueError, match="read-only"):
        m.pop.threshold[0] = 0.5
    with pytest.raises(ValueError, match="read-only"):
        m._sorted["threshold"][0] = 0.5


def test_kept_populations_are_bounded(tutorial, monkeypatch):
    """The memo keeps the newest populations only: a few, and few citizens in all."""
    population._MEMO.clear()
    monkeypatch.setattr(population, "_MEMO_ENTRIES", 2)
    models = [WargameModel(tutorial, seed=s) for s in range(3)]
    assert len(population._MEMO) == 2
    assert WargameModel(tutorial, seed=2).pop.hardship is models[2].pop.hardship
    assert WargameModel(tutorial, seed=0).pop.hardship is not models[0].pop.hardship
    monkeypatch.setattr(population, "_MEMO_CITIZENS", 1)  # fewer than one population
    WargameModel(tutorial, seed=7)
    assert len(population._MEMO) == 1  # the newest stays, however large


def test_a_calendar_is_unrolled_once_and_its_ticks_shared(tutorial, banyuwangi):
    from wargame.calendar import _unroll, unroll

    a, b = WargameModel(tutorial, seed=1), WargameModel(tutorial, seed=2)
    assert a.ticks is b.ticks == _unroll(tutorial.calendar)
    assert unroll(banyuwangi.calendar) == _unroll(banyuwangi.calendar) != a.ticks


def test_units_standing_on_a_task_are_read_from_the_layout_as_from_the_units(tutorial):
    """The TPS' escort check, the crowds' checkpoint check and the provocateur arrests ask
    the layout's task column which units stand where on a task; closing an incident asks
    its incident column which units it releases. Each tick both must answer as the units
    themselves do, travelling units (not there yet) included."""
    from wargame.model import Task
    from wargame.orders import Deploy, Orders

    ex = Exercise(high_tension(tutorial), np.random.SeedSequence(6),
                  blue=load_player("repressive", "blue"), red=load_player("opportunist", "red"))
    m = ex.model
    ex.submit(Orders(side="blue", lines=[
        Deploy(unit="polsek-utara", to="utara", task="escort", personnel=10),  # stays
        Deploy(unit="samapta", to="timur", task="escort"),  # on the road first
        Deploy(unit="dalmas", to="barat", task="checkpoint", personnel=20),
        Deploy(unit="koramil-kota", to="kota", task="checkpoint")]))
    seen = {Task.ESCORT: set(), Task.CHECKPOINT: set(), Task.ARREST: set()}
    orig = m._contributions

    def contributions_checked() -> None:
        orig()
        for task, where in seen.items():
            standing = m._standing_on(task)
            assert standing == [any(u.task == task for u in m._units_at(d))
                                for d in range(m.n)], task
            where.update(d for d, yes in enumerate(standing) if yes)
        lay = m._posture()
        assert lay.incident.tolist() == [-1 if u.incident is None else u.incident
                                         for u in m.units]

    m._contributions = contributions_checked
    ex.run()
    assert seen[Task.ESCORT] == {m.index["utara"], m.index["timur"]}
    assert seen[Task.CHECKPOINT] == {m.index["barat"], m.index["kota"]}
    assert seen[Task.ARREST]  # the doctrine's arrest play
    assert any(i.closed_tick is not None for i in m.incidents)


def test_tps_clusters_plain_float_arithmetic_is_numpys(tutorial):
    """``TpsCluster`` works out each voting-day tick in plain floats; the numpy form it
    replaced gives the same numbers bit for bit (and draws the same)."""
    from agents.sites import TpsCluster

    def coverage_ref(counts, guards, ratio):
        need = counts * np.asarray(ratio)
        if need.sum() <= 0:
            return 1.0
        covered, left = 0.0, guards
        for i in (2, 1, 0):
            take = min(left, need[i])
            covered += take / need[i] * counts[i] if need[i] > 0 else counts[i]
            left -= take
        return float(covered / counts.sum())

    m = WargameModel(tutorial, seed=0)
    rng = np.random.default_rng(3)
    for k in range(400):
        counts = rng.integers(0, 60, 3) * (rng.random(3) < 0.8)
        counts[k % 3] += k % 2  # some clusters with one class only, none empty
        c = TpsCluster(m, district=0, counts=tuple(int(x) for x in counts))
        ratio = tuple(rng.choice([0.0, 0.5, 1.0, 2.0], 3).tolist())
        for guards in (np.float64(rng.random() * 150), 0.0):
            assert c.guard_coverage(guards, ratio) == coverage_ref(c.counts, guards, ratio)
        assert c.total == int(c.counts.sum())
        rate, hours, vul, cov = (rng.random(4) * [5, 12, 1, 1]).tolist()
        lam = (rate * (float((c.counts * TpsCluster.CLASS_WEIGHT).sum()) / 100.0) * (1 + vul)
               * hours / 24.0 * (1 - 0.6 * cov))
        a, b = np.random.default_rng(k), np.random.default_rng(k)
        assert c.disruption_events(rate, hours, vul, cov, 0.6, a) == int(b.poisson(max(lam, 0)))
        assert a.random() == b.random()


def test_a_travellers_district_is_kept_with_its_cell(tutorial):
    m = WargameModel(tutorial, seed=0)
    u = m.unit_by_id["samapta"]
    far = max(range(m.n), key=lambda d: m.km[u.district, d])
    u.set_destination(far)
    visited = [u.district]
    while u.travelling:
        u.travel(0.25)
        assert u.district == u.cell.coordinate and u in u.cell.agents
        visited.append(u.district)
    assert visited[-1] == far and visited[0] != far
    team = m.teams[0]
    team.cell = m.space[far]
    assert team.district == far and team in m.space[far].agents
    team.remove()
    assert team.cell is None and team.district == far  # where it last stood


def test_skipped_draws_of_nothing_leave_the_stream_as_drawing_them_would():
    """Stages without vote buying skip the Poisson and binomial draws, and citizens who see
    nobody out skip theirs: numpy draws nothing for a Poisson of mean 0 or a binomial of 0
    trials or of probability 0, so the stream continues the same."""
    drawn, skipped = np.random.default_rng(5), np.random.default_rng(5)
    assert drawn.poisson(np.zeros(25)).sum() == 0
    assert drawn.binomial(np.zeros(25, dtype=np.int64), np.full(25, 0.5)).sum() == 0
    assert drawn.binomial(7, np.zeros(25)).sum() == 0  # nobody to see: no draw either
    assert drawn.random(3).tolist() == skipped.random(3).tolist()


def test_kept_unit_views_equal_views_built_afresh_every_turn(banyuwangi):
    """A standing unit whose state has not changed hands out its last view again: every
    turn, the views (kept ones included) equal views built from scratch."""
    from wargame.observation import _unit_views

    ex = Exercise(banyuwangi, np.random.SeedSequence(4), blue=load_player("preemptive", "blue"),
                  red=load_player("agitator", "red"))
    m, kept = ex.model, 0
    while not ex.finished:
        views = _unit_views(m)
        last = {id(u): u.__dict__.pop("_state_view", None) for u in m.units}
        kept += sum(1 for u, v in zip(m.units, views, strict=True)
                    if last[id(u)] is not None and last[id(u)][1] is v)
        assert views == _unit_views(m)  # rebuilt with nothing kept
        ex.advance()
    assert kept > len(m.units)  # views were kept and handed out again


def test_warm_up_compiles_the_step_the_engine_calls(tutorial):
    """Forked batch workers inherit the step compiled by ``warm()`` only if it is the very
    specialisation the engine calls (argument types and layouts): no second one appears."""
    from wargame.citizens import step, warm

    warm()
    m = WargameModel(high_tension(tutorial), seed=1)
    while not m.finished and not (m.pop.state == ACTIVE).any():
        m.step()
    assert (m.pop.state == ACTIVE).any()  # the step ran and decided
    assert len(step.signatures) == 1
    # the model's Generator was typed by the shortcut, as numba itself types it
    assert step.typeof_pyval(m.rng_citizens) == numba.typeof(m.rng_citizens)
    assert step.typeof_pyval(2.5) == numba.typeof(2.5)  # anything else: numba's own way
