"""WargameModel: one exercise run = one Mesa model built from a Scenario and a seed.

The masses (citizens) are numpy arrays updated by the pure functions of
``wargame.dynamics``; the deciders (units, supporter groups, crowds, sites) are Mesa
agents on a ``mesa.discrete_space.Network`` over the district graph. All randomness comes
from the model's seeded ``numpy.random.Generator`` (``self.rng``) and four independent
child streams of it (population, events, citizens, adjudication).

A turn: the sides' orders are applied (white, blue, red; ``wargame.command``), then the
turn's ticks run. A tick runs in a fixed order (ODD §3, docs/ODD.md):

0. on a turn's first tick: scheduled injects fire, intelligence may detect provocateurs;
1. units and provocateur teams travel (slower in bad weather), fatigue and duty hours;
2. reinforcements arrive;  3. unit contributions per district;
4. rumours spread, hoaxes land;  5. legitimacy recovers or is eroded, money politics;
6. supporter groups rally / call protests;  7. TPS disruption (voting day);
8. citizens decide (Epstein + Granovetter), drop out and rest;
9. crowds form, march, disperse;  10. incidents are adjudicated on the colour ladder
   (negotiation, provocation, injuries and care, fires, disproportionate force);
11. arrests (Epstein's cop rule), arrests of provocateurs;  12. jail terms run;
13. triggered injects fire;  14. recording; on a turn's last tick, per-turn state ends.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from typing import Any, NamedTuple

import mesa
import networkx as nx
import numpy as np
import scipy.sparse as sp
from mesa.discrete_space import Network

from agents import (
    Crowd,
    ElectionSite,
    LinmasUnit,
    PoliceUnit,
    ProvocateurTeam,
    SecurityUnit,
    SupporterGroup,
    TniUnit,
    TpsCluster,
)
from agents.units import UnitLedger, task_row, task_table, tick_units
from wargame import citizens, kernels
from wargame import dynamics as dyn
from wargame.calendar import Tick, unroll
from wargame.incidents import LEVELS, Incident
from wargame.injects import Msel, apply_effect
from wargame.metrics import Recorder
from wargame.population import ACTIVE, JAILED, QUIET, populate
from wargame.scenario import CIVIL_KINDS, Scenario, Task, UnitKind


class Layout(NamedTuple):
    """The units' posture as arrays (one row per unit), rebuilt when it changes."""

    cover: np.ndarray  # (units, districts): presence and engagement weights
    base: np.ndarray  # (units, 5): contributions at full effectiveness
    where: np.ndarray  # district of each unit
    counter: np.ndarray  # counter-hoax work
    strength: np.ndarray
    rate: np.ndarray  # fatigue per hour of the task
    duty: np.ndarray  # share of the day on duty for the task
    guard: np.ndarray  # guarding TPS (on duty only while the TPS are open)
    standing: np.ndarray  # not travelling: works where it is
    task: np.ndarray  # the task, as its place in ``TASKS``
    incident: np.ndarray  # the incident it is committed to (-1: none)


TASKS = tuple(Task)
_TASK_CODE = {t: k for k, t in enumerate(TASKS)}


@functools.lru_cache(maxsize=16)
def _graph_tables(n: int, edges: tuple[tuple[int, int, float], ...]
                  ) -> tuple[np.ndarray, dict[int, dict[int, list[int]]], sp.csr_array]:
    """Shortest road distances (km) and routes between all districts, and the row-normalised
    1/km weights that rumours spread along: computed once per road network in a process
    (a batch runs hundreds of models on the same map) and shared read-only."""
    g = nx.Graph()
    g.add_nodes_from(range(n))
    for a, b, km in edges:
        g.add_edge(a, b, km=km)
    dist = np.full((n, n), np.inf)
    paths: dict[int, dict[int, list[int]]] = {}
    for src, (lengths, routes) in nx.all_pairs_dijkstra(g, weight="km"):
        paths[src] = routes
        for dst, km in lengths.items():
            dist[src, dst] = km
    dist.flags.writeable = False
    w = sp.lil_matrix((n, n))
    for a, b, data in g.edges(data=True):
        w[a, b] = w[b, a] = 1.0 / data["km"]
    return dist, paths, dyn.row_normalised(w.tocsr())


class WargameModel(mesa.Model):
    """The engine. ``step()`` advances one tick; ``run_turn()`` one turn; ``run()`` all."""

    def __init__(self, scenario: Scenario, seed: int | np.random.SeedSequence | None = 0,
                 scale: int | None = None) -> None:
        if scale is not None and scale < 1:
            raise ValueError(f"scale must be at least 1 resident per citizen, got {scale}")
        super().__init__(rng=seed)
        self.setting = scenario  # (mesa.Model reserves `scenario` for its own type)
        self.params = scenario.params
        self.ticks: tuple[Tick, ...] = unroll(scenario.calendar)
        self.tick_index = 0
        # Independent streams per process, all children of the model's seed: a change in
        # one process (a doctrine's different decision) leaves the draws of the others
        # aligned, which keeps common random numbers common across compared doctrines.
        streams = np.random.SeedSequence(self.rng.integers(2**63)).spawn(4)
        self.rng_pop, self.rng_events, self.rng_citizens, self.rng_adjudication = (
            np.random.default_rng(s) for s in streams)
        # Seeds the sides' observation noise, so that looking never draws from the model.
        self.obs_seed = int(self.rng.integers(2**62))

        self._build_graph()
        # (drawn once for all the models of a replication: ``populate``)
        self.pop, self._groups = populate(scenario, self.rng_pop, scale)
        self.n_citizens = self.pop.size
        # The few citizens not quiet (active or jailed) and those resting after dropping
        # out, ascending: kept up to date where their states change (``_citizens``,
        # ``_jail``; an arrest keeps a citizen busy) instead of scanning everyone each tick.
        self._busy = np.flatnonzero(self.pop.state != QUIET)
        self._resting = np.flatnonzero(self.pop.rest_hours > 0)
        self._resting_mask = self.pop.rest_hours > 0  # (the same, as a mask for the pass)
        self._build_fields()
        self._build_agents()
        self.incidents: list[Incident] = []
        self.events: list[dict[str, Any]] = []
        self.msel = Msel(scenario.injects)
        self.recorder = Recorder(self)
        self._contributions()  # so that a side can observe before the first tick

    # ------------------------------------------------------------------ construction
    def _build_graph(self) -> None:
        sc = self.setting
        self.district_ids = sc.district_ids
        self.index = {d: i for i, d in enumerate(self.district_ids)}
        self.n = len(self.district_ids)
        g = nx.Graph()
        for i, d in enumerate(sc.districts):
            g.add_node(i, id=d.id, name=d.name)
        for e in sc.edges:
            g.add_edge(self.index[e.a], self.index[e.b], km=e.km)
        self.graph = g
        pos = {i: (d.lon, d.lat) for i, d in enumerate(sc.districts)}
        self.space = Network(g, random=self.random, layout=pos)
        self.km, self._paths, self.w = _graph_tables(
            self.n, tuple((self.index[e.a], self.index[e.b], e.km) for e in sc.edges))

    def _build_fields(self) -> None:
        sc, p = self.setting, self.params
        ds = sc.districts
        self.population_real = np.array([d.population for d in ds], dtype=float)
        self.villages = np.array([d.villages for d in ds], dtype=float)
        self.sara = np.array([d.sara_exposure for d in ds])
        self.vulnerability = np.array([d.vulnerability for d in ds])
        self.shares = np.array([[c.support.get(d.id, 0.0) for d in ds] for c in sc.candidates])
        self.polar = dyn.polarisation(self.shares) if len(sc.candidates) > 1 else np.zeros(self.n)
        voters = np.array([d.voters for d in ds], dtype=float)
        # (numpy's own sums, not a BLAS product: the same on every CPU)
        votes = (self.shares * voters).sum(axis=1)
        self.vote_share = votes / votes.sum()
        order = np.argsort(self.vote_share)[::-1]
        self.winner = int(order[0])
        self.closeness = 1.0 - float(self.vote_share[order[0]] - self.vote_share[order[1]])
        lp = p.legitimacy
        self.legit_police0 = np.full(self.n, lp.police_initial)
        self.legit_election0 = np.full(self.n, lp.election_initial)
        self.legit_police = self.legit_police0.copy()
        self.legit_election = self.legit_election0.copy()
        self.rumour = np.zeros(self.n)
        self.tension = np.zeros(self.n)
        self.mobilised = np.zeros(self.n)
        self.intel_coverage = np.zeros(self.n)
        # Per-turn state set by orders and injects (reset when a turn starts).
        self.turn_mobilised = np.zeros(self.n)  # red drives, rally injects: share of residents
        self.gakkumdu = np.zeros(self.n, dtype=bool)
        self.tps_delay = np.zeros(self.n)
        self.weather = 0.0
        self.losers_extra = 0.0  # disputed-recap injects: extra losers' discount
        self.peace_declared: set[tuple[int, str]] = set()  # (district, stage id)
        self._per_stage: dict[tuple, np.ndarray] = {}  # what a stage's ticks all share
        # Engagement that covers each district fully; the regency's residents per 100k.
        self._coverage_scale = (self.villages * p.legitimacy.engagement_per_village,
                                self.population_real.sum() / 1e5)
        self.citizens_per_district = self.pop.counts_by_district(self.n).astype(float)
        self.citizens_per_hood = np.maximum(self.pop.counts_by_hood(), 1).astype(float)
        self._build_groups()
        self.active_share = np.zeros(self.n)
        self.hood_active_share = np.zeros(self.citizens_per_hood.size)
        # officers each neighbourhood saw this tick (Epstein's C in its vision)
        self.police_seen = np.zeros(self.citizens_per_hood.size, dtype=np.int64)

    def _build_groups(self) -> None:
        """The citizens' group index (``population.Groups``, fixed for the run and shared
        by the models that share the citizens), as the model's own names."""
        groups = self._groups
        self._group_key = groups.key
        self._group_order = groups.order
        self._group_start = groups.start
        self._group_mean_hardship = groups.mean_hardship
        # The members' attributes in group order. The index relies on them, so they are
        # read-only (as are the citizens' own); an experiment changes risk aversion or
        # thresholds mid-run with ``set_citizens``, which keeps both in step.
        self._sorted = dict(groups.sorted)
        self._active_buffer = np.empty(self.pop.size, dtype=np.intp)  # the actives' ids, per tick

    def set_citizens(self, attribute: str, index: Any, values: Any) -> None:
        """Change some citizens' ``risk_aversion`` or (Granovetter) ``threshold`` mid-run,
        as an experiment does (F7 removes an instigator): ``pop.<attribute>[index] =
        values``, with the copy the citizens' pass reads in group order kept in step. The
        arrays are read-only (so a direct write fails instead of going unseen) and may be
        shared with other models of the same replication: the model gets changed copies.
        """
        if attribute not in ("risk_aversion", "threshold"):
            raise ValueError(f"set_citizens changes risk_aversion or threshold, not "
                             f"{attribute!r}")
        column = getattr(self.pop, attribute).copy()
        column[index] = values
        column.flags.writeable = False
        setattr(self.pop, attribute, column)
        in_order = column[self._group_order]
        in_order.flags.writeable = False
        self._sorted[attribute] = in_order

    def _build_agents(self) -> None:
        sc, p = self.setting, self.params
        kinds = p.unit_kinds
        joint = [u for u in sc.units if u.kind not in CIVIL_KINDS]
        total = sum(u.strength for u in joint)
        factor = p.forces.strength_multiplier
        if p.forces.joint_personnel is not None and total > 0:
            factor *= p.forces.joint_personnel / total
        self.units: list[SecurityUnit] = []
        self.unit_ledger = UnitLedger()  # units' fatigue and hours, in ``units`` order
        for u in sc.units:
            profile = kinds[u.kind]
            cls = LinmasUnit if u.kind == UnitKind.LINMAS else (
                TniUnit if profile.tni else PoliceUnit)
            strength = (u.strength if u.kind in CIVIL_KINDS
                        else max(1, round(u.strength * factor)))
            self.units.append(cls(self, unit_id=u.id, name=u.name, kind=u.kind,
                                  profile=profile, strength=strength, home=self.index[u.home],
                                  task=u.task, area=[self.index[a] for a in u.area],
                                  site=u.site, speed_kmh=u.speed_kmh))
        for i, d in enumerate(sc.districts):
            n_linmas = round(p.forces.linmas_per_tps * d.tps.total)
            if n_linmas > 0:
                self.units.append(LinmasUnit(
                    self, unit_id=f"linmas-{d.id}", name=f"Linmas {d.name}",
                    kind=UnitKind.LINMAS, profile=kinds[UnitKind.LINMAS], strength=n_linmas,
                    home=i, task=Task.GUARD_TPS))
        self.unit_by_id = {u.unit_id: u for u in self.units}

        self.sites = [ElectionSite(self, site_id=s.id, kind=str(s.kind),
                                   district=self.index[s.district], name=s.name)
                      for s in sc.sites]
        self.site_by_id = {s.site_id: s for s in self.sites}
        self.tps = [TpsCluster(self, district=i, counts=(d.tps.kurang_rawan, d.tps.rawan,
                                                         d.tps.sangat_rawan))
                    for i, d in enumerate(sc.districts)]
        self.groups = [SupporterGroup(self, candidate=c, district=i, share=self.shares[c, i])
                       for c in range(len(sc.candidates)) for i in range(self.n)]
        # The groups' fixed fields as arrays, in the groups' order (Paslon by Paslon, district
        # by district), for their decision as one array operation: share, whether the
        # group's Paslon lost the count, the district's vulnerability.
        n_c = len(sc.candidates)
        self._losers = np.arange(n_c) != self.winner
        self._group_fields = (self.shares.ravel(),
                              np.repeat(np.arange(n_c) != self.winner, self.n),
                              np.tile(self.vulnerability, n_c))
        self.crowds: dict[int, Crowd] = {}  # origin district -> crowd
        rp = p.red
        base = int(np.argmax(self.polar)) if self.n else 0
        self.teams = [ProvocateurTeam(self, team_id=f"team-{k + 1}", size=rp.team_size,
                                      district=base, speed_kmh=rp.team_speed_kmh)
                      for k in range(rp.provocateur_teams)]
        self.team_by_id = {t.team_id: t for t in self.teams}
        self.pending: list[dict[str, Any]] = []  # reinforcements on their way
        self._layout: Layout | None = None  # see _contributions
        self._changed: list[SecurityUnit] = []
        self.reinforced = {"brimob": 0, "tni": 0}

    # ------------------------------------------------------------------ graph helpers
    def route(self, a: int, b: int) -> list[int]:
        """The shortest road route from ``a`` to ``b`` (both ends included), a new list:
        the routes are shared by every model on the same map."""
        return list(self._paths[a][b])

    def edge_hours(self, a: int, b: int, speed_kmh: float) -> float:
        return float(self.km[a, b]) / speed_kmh

    # ------------------------------------------------------------------ stepping
    @property
    def finished(self) -> bool:
        return self.tick_index >= len(self.ticks)

    @property
    def current_tick(self) -> Tick:
        return self.ticks[min(self.tick_index, len(self.ticks) - 1)]

    @property
    def turn(self) -> int:
        return self.current_tick.turn if not self.finished else self.ticks[-1].turn + 1

    def step(self) -> None:
        if self.finished:
            return
        tick = self.ticks[self.tick_index]
        h = tick.hours
        if self.tick_index == 0 or self.ticks[self.tick_index - 1].turn != tick.turn:
            self._turn_start(tick)
        speed = 1.0 - self.weather
        tick_units(self.units, self.unit_ledger, h, tick.stage.tps_open, speed,
                   *self._posture()[4:9])
        for t in self.teams:
            t.step_tick(h * speed)
        self._arrivals(tick)
        self._contributions()
        self._rumours(tick)
        self._legitimacy(tick)
        self._supporters(tick)
        self._tps(tick)
        self._citizens(tick)
        self._crowds(tick)
        self._adjudicate(tick)
        self._arrests(tick)
        self._red_arrests(tick)
        self._jail(h)
        for item, where in self.msel.triggered(self):
            self.fire(item.inject.id, tick,
                      district=where if item.inject.effect.at_trigger else None)
        self.recorder.record_tick(tick)
        self.tick_index += 1
        if self.finished or self.ticks[self.tick_index].turn != tick.turn:
            self.recorder.record_turn(tick.turn)
            self._turn_end(tick)

    # ------------------------------------------------------------------ turns, injects, red
    def _turn_end(self, tick: Tick) -> None:
        """The turn's temporary state (set by its orders and injects) ends with it; a
        logistics delay lasts until the polls close."""
        self.turn_mobilised[:] = 0.0
        self.gakkumdu[:] = False
        self.weather = 0.0
        if tick.stage.tps_open and (self.finished or not self.current_tick.stage.tps_open):
            self.tps_delay[:] = 0.0

    def _turn_start(self, tick: Tick) -> None:
        """A new turn: scheduled injects fire, and blue's intelligence may find provocateur
        teams at work. (Orders for the turn were applied just before.)"""
        for item in self.msel.due(tick.turn):
            self.fire(item.inject.id, tick)
        det = self.params.red.detection
        for t in self.teams:
            if t.agitating and t.active and not t.detected:
                p = 1 - np.exp(-det * self.intel_coverage[t.district])
                if self.rng_adjudication.random() < p:
                    t.detected = True
                    self.log(tick, "team_detected", t.district,
                             f"Intelkam mendeteksi kelompok provokator ({t.team_id})",
                             f"Intelligence detects a provocateur team ({t.team_id})",
                             team=t.team_id)

    def fire(self, inject_id: str, tick: Tick | None = None, *, district: str | None = None,
             magnitude: float | None = None) -> None:
        """Fire an MSEL inject now (scheduled, triggered or by the facilitator)."""
        tick = tick or self.current_tick
        item = self.msel.items[inject_id]
        eff = item.inject.effect
        upd = {k: v for k, v in (("district", district or item.district),
                                 ("magnitude", magnitude if magnitude is not None
                                  else item.magnitude)) if v is not None}
        if upd:
            eff = eff.model_copy(update=upd)
        item.status, item.fired_turn = "fired", tick.turn
        apply_effect(self, tick, eff, inject_id, item.inject.text_id, item.inject.text_en)

    def _arrivals(self, tick: Tick) -> None:
        """Reinforcements (Brimob BKO, TNI assistance) arrive after their delay."""
        for p in list(self.pending):
            p["hours"] -= tick.hours
            if p["hours"] > 0:
                continue
            self.pending.remove(p)
            kind = UnitKind.BRIMOB if p["source"] == "brimob" else UnitKind.KODIM
            cls = PoliceUnit if p["source"] == "brimob" else TniUnit
            k = sum(1 for u in self.units if u.unit_id.startswith(f"bko-{p['source']}")) + 1
            u = cls(self, unit_id=f"bko-{p['source']}-{k}",
                    name=f"{'Brimob BKO' if kind == UnitKind.BRIMOB else 'TNI BKO'} {k}",
                    kind=kind, profile=self.params.unit_kinds[kind], strength=p["personnel"],
                    home=p["to"], task=Task.RESERVE)
            self.units.append(u)
            self.unit_by_id[u.unit_id] = u
            self.posture_changed(u)
            self.log(tick, "reinforcement", p["to"],
                     f"{u.name} ({u.strength} personel) tiba", f"{u.name} ({u.strength}) arrives",
                     unit=u.unit_id)

    def _red_arrests(self, tick: Tick) -> None:
        """Plain-clothes arrests of provocateurs by units on an arrest task where teams
        work: detected teams are caught in about 6 hours, undetected ones in about a day."""
        at_work = [t for t in self.teams if t.active and not t.arrested and not t.travelling]
        if not at_work:
            return
        for i in self._standing_units_on(Task.ARREST).tolist():  # (in the units' order)
            u = self.units[i]
            for t in at_work:
                if t.arrested or t.district != u.district:  # (caught by a unit before)
                    continue
                mean = 6.0 if t.detected else 24.0
                if self.rng_adjudication.random() < 1 - np.exp(-tick.hours / mean):
                    t.arrested = True
                    self.recorder.arrests += t.size
                    self.log(tick, "team_arrested", t.district,
                             f"Provokator ({t.team_id}) ditangkap oleh {u.name}",
                             f"Provocateurs ({t.team_id}) arrested by {u.name}",
                             team=t.team_id, unit=u.unit_id)

    def provocation(self) -> np.ndarray:
        """Provocateur teams at work per district."""
        out = np.zeros(self.n)
        for t in self.teams:
            if t.agitating and t.active:
                out[t.district] += 1
        return out

    def run_turn(self) -> None:
        """Run every remaining tick of the current turn."""
        if self.finished:
            return
        turn = self.ticks[self.tick_index].turn
        while not self.finished and self.ticks[self.tick_index].turn == turn:
            self.step()

    def run(self) -> dict[str, float]:
        while not self.finished:
            self.step()
        return self.metrics()

    def metrics(self) -> dict[str, float]:
        return self.recorder.metrics()

    # ------------------------------------------------------------------ 2. contributions
    def posture_changed(self, *units: SecurityUnit) -> None:
        """These units' place, task, route or strength changed (an order, an arrival, a
        closed incident, a new unit): their rows of the layout are redone at its next use
        (all rows, if no unit is named)."""
        if units and self._layout is not None:
            self._changed.extend(units)
        else:
            self._layout = None

    def _posture(self) -> Layout:
        """The units' layout, brought up to date."""
        if self._layout is None:
            self._layout = self._build_layout()
        elif self._changed or len(self.units) > self._layout.where.size:
            self._update_layout()
        return self._layout

    def _contributions(self) -> None:
        """What the units bring to each district this tick.

        The layout (which unit covers which districts with what, at full effectiveness) is
        redone only for the units named by ``posture_changed()``; fatigue then scales it,
        and the districts' sums run over the units in order, in one compiled pass
        (``kernels.contributions``: the same numbers on every machine). (Every change of
        place, task, route or strength calls it: ``tests/test_fast_paths.py`` checks the
        layout against a rebuilt one each tick.)
        """
        cover, base, where, counter = self._posture()[:4]
        engaged_at_full, per_100k = self._coverage_scale
        (self.presence, self.engagement_coverage, self.intel_coverage, self.arrest_per_hour,
         self.tps_guards) = kernels.contributions(cover, base, where, self.unit_ledger.fatigue,
                                                  engaged_at_full, self.villages)
        # Counter-hoax work is online: regency-wide, per 100k residents.
        self.counter_hoax = float(counter.sum()) / per_100k

    def _build_layout(self) -> Layout:
        """Per unit: coverage weights per district, full-strength contributions, place,
        counter-hoax work, strength and its task's duty and fatigue, whether it stands; and
        ``units_here`` (units standing in each district, in the units' order)."""
        units = self.units
        lay = self._blank_layout(units, 0)
        for i, u in enumerate(units):
            self._layout_row(lay, i, u)
        self._changed: list[SecurityUnit] = []
        self.units_here: dict[int, list[SecurityUnit]] = {}
        for d in np.unique(lay.where[lay.standing]).tolist():
            self._units_here_at(lay, d)
        return lay

    def _update_layout(self) -> None:
        """Redo the rows of the units that changed (and add rows for new units)."""
        lay, units = self._layout, self.units
        old = lay.where.size
        changed = list(self._changed)
        if len(units) > old:  # new units (detachments, reinforcements): rows to fill
            new = units[old:]
            extra = self._blank_layout(new, old)
            lay = self._layout = Layout(*(np.concatenate([a, b]) for a, b in zip(lay, extra,
                                                                                  strict=True)))
            changed += new
        self._changed = []
        places = set()
        for u in changed:
            i = u.entry
            if i < old and lay.standing[i]:
                places.add(int(lay.where[i]))
            self._layout_row(lay, i, u)
            lay.strength[i], lay.rate[i], lay.duty[i], lay.guard[i] = task_row(u)
            if lay.standing[i]:
                places.add(int(lay.where[i]))
        for d in places:
            self._units_here_at(lay, d)

    def _blank_layout(self, units: list[SecurityUnit], first: int) -> Layout:
        """Rows ``first``… for ``units``, with their task columns filled (the rest by
        ``_layout_row``). A unit's row is its ledger entry: units are listed as they are
        made, and a unit listed out of that order would be given another's fatigue."""
        n_u = len(units)
        if [u.entry for u in units] != list(range(first, first + n_u)):
            raise RuntimeError("units must be listed in the order they are made")
        return Layout(np.zeros((n_u, self.n)), np.zeros((n_u, 5)), np.zeros(n_u, dtype=np.intp),
                      np.zeros(n_u), *task_table(units), np.zeros(n_u, dtype=bool),
                      np.zeros(n_u, dtype=np.int8), np.full(n_u, -1, dtype=np.int64))

    @staticmethod
    def _layout_row(lay: Layout, i: int, u: SecurityUnit) -> None:
        contributions, coverage, counter_hoax = u.layout_row()
        lay.base[i] = contributions
        lay.counter[i] = counter_hoax
        lay.where[i] = u.cell.coordinate
        lay.standing[i] = not u.route
        lay.task[i] = _TASK_CODE[u.task]
        lay.incident[i] = -1 if u.incident is None else u.incident
        lay.cover[i] = 0.0
        if lay.standing[i]:  # a travelling unit brings nothing, covers nothing
            for c, wgt in coverage:
                lay.cover[i, c] += wgt

    def _units_here_at(self, lay: Layout, d: int) -> None:
        here = (lay.standing & (lay.where == d)).nonzero()[0].tolist()
        if here:
            self.units_here[d] = [self.units[i] for i in here]
        else:
            self.units_here.pop(d, None)

    # ------------------------------------------------------------------ 3. rumours
    def _rumours(self, tick: Tick) -> None:
        rp = self.params.rumour
        key = ("hoax", tick.stage_index, tick.hours)  # (fixed for a stage's ticks)
        p_hoax = self._per_stage.get(key)
        if p_hoax is None:
            p_hoax = self._per_stage[key] = dyn.per_day(tick.stage.threat.hoax * (1 + self.sara),
                                                        tick.hours)
        hit = self.rng_events.random(self.n) < p_hoax
        if np.count_nonzero(hit):
            for d in hit.nonzero()[0]:
                self.log(tick, "hoax", int(d), "Hoaks/SARA beredar",
                         "A hoax / SARA message spreads")
            self.rumour = dyn.clip01(self.rumour + hit * rp.hoax_size * (0.5 + self.sara))
        damping = np.full(self.n, rp.counter_hoax_efficacy * self.counter_hoax)
        w = self.w  # (compiled ``dyn.rumour_step``)
        self.rumour = kernels.rumour_step(self.rumour, w.indptr, w.indices, w.data, tick.hours,
                                          rp.diffusion, rp.decay, damping)

    # ------------------------------------------------------------------ 4. legitimacy
    def _legitimacy(self, tick: Tick) -> None:
        lp = self.params.legitimacy
        # dyn.engagement_recovery by dyn.recovery_share of the gap, compiled
        self.legit_police, self.legit_election = kernels.legitimacy_recovery(
            self.engagement_coverage, lp.engagement_rate, tick.hours, self.legit_police,
            self.legit_police0, self.legit_election, self.legit_election0)
        # Gakkumdu action deters vote buying and catches most of what is left.
        # (A Poisson of mean 0, or a binomial of 0 trials, draws nothing from the stream:
        # stages without vote buying skip the draws and the stream is the same.)
        money = tick.stage.threat.money_politics
        if money == 0:
            self.legit_election = dyn.clip01(self.legit_election)
            return
        deter = np.where(self.gakkumdu, 0.5, 1.0)
        rate = money * (1 + self.vulnerability) * deter
        cases = self.rng_events.poisson(rate * tick.hours / 24.0)
        if np.count_nonzero(cases):
            p_detect = np.where(self.gakkumdu, 0.9, dyn.clip01(self.intel_coverage * 0.5))
            detected = self.rng_events.binomial(cases, p_detect)
        else:
            detected = cases
        undetected = cases - detected
        self.legit_election = dyn.clip01(self.legit_election
                                         - lp.money_politics_shock * undetected)
        self.recorder.money_politics += int(cases.sum())
        self.recorder.money_politics_detected += int(detected.sum())

    # ------------------------------------------------------------------ 5. supporters
    def _group_grievance(self) -> np.ndarray:
        """Mean grievance of each (candidate, district)'s partisans, from the last tick."""
        return self._last_group_grievance if hasattr(self, "_last_group_grievance") else \
            np.zeros((len(self.setting.candidates), self.n))

    def _supporters(self, tick: Tick) -> None:
        stage = tick.stage
        draws = self.rng_events.random((len(self.groups), 2))
        share, loser, vulnerability = self._group_fields
        # The groups decide together (``agents.groups.decide``, compiled with the sum of
        # their mobilisation per district: ``kernels.supporter_groups``).
        threat = stage.threat
        rally, protest, self.mobilised = kernels.supporter_groups(
            tick.hours / 24.0, threat.rally, threat.protest, stage.mobilisation,
            stage.result_known, share, loser & stage.result_known,
            self._group_grievance().ravel(), self.params.activation.threshold,
            self.params.population.partisan_share, vulnerability, draws, self.n)
        for k in (rally | protest).nonzero()[0].tolist():
            g = self.groups[k]
            name = self.setting.candidates[g.candidate].name
            if rally[k]:
                g.rallies += 1
                self.log(tick, "rally", g.district, f"Kampanye akbar pendukung {name}",
                         f"{name} supporters hold a rally")
                clash = self.params.incident.rally_clash_chance * self.polar[g.district]
                if self.rng_events.random() < clash:
                    size = self.params.incident.event_crowd[0] * self.rng_events.lognormal(0, 0.5)
                    self.open_incident(tick, "rally", g.district, size,
                                       f"rally of {name} supporters clashes with rivals")
            if protest[k]:
                g.protest_calls += 1
                self.log(tick, "protest_call", g.district,
                         f"Pendukung {name} menyerukan aksi menolak hasil",
                         f"{name} supporters call a protest against the result")

    # ------------------------------------------------------------------ 6. TPS
    def _tps(self, tick: Tick) -> None:
        if not tick.stage.tps_open:
            return
        f = self.params.forces
        escorted = self._standing_on(Task.ESCORT)
        for c in self.tps:
            cov = c.guard_coverage(self.tps_guards[c.district], tuple(f.tps_guard_ratio))
            # A logistics delay raises the risk at TPS; escorts of the ballot logistics
            # (task escort) standing there halve that.
            delay = self.tps_delay[c.district] * (0.5 if escorted[c.district] else 1.0)
            rate = tick.stage.threat.tps_disruption * (1 + delay)
            k = c.disruption_events(rate, tick.hours,
                                    float(self.vulnerability[c.district]), cov,
                                    f.tps_deterrence, self.rng_events)
            for _ in range(k):
                size = self.params.incident.event_crowd[1] * self.rng_events.lognormal(0, 0.5)
                self.open_incident(tick, "tps_disruption", c.district, size,
                                   "scuffle at a TPS (voter not on the list, intimidation)")

    # ------------------------------------------------------------------ 7. citizens
    def _legitimacy_table(self, stage) -> np.ndarray:
        """Perceived legitimacy per (affiliation + 1, district): row 0 = non-partisans."""
        p = self.params
        discount = p.legitimacy.losers_discount * self.closeness + self.losers_extra
        # (compiled: ``kernels.legitimacy_table``, bit for bit the dynamics' functions)
        return kernels.legitimacy_table(
            self.legit_police, self.legit_election, p.legitimacy.election_weight,
            stage.result_known, self._losers, 1 - min(discount, 1.0), self.rumour, self.sara,
            self.polar, p.rumour.grievance_weight, p.polarisation.weight)

    def _crowd_deterrence(self) -> dict[int, float]:
        """P for each crowd's members: force at the crowd's place vs actives there (Davies
        et al.'s police-to-rioter ratio in Epstein's form)."""
        a = self.params.activation
        at_place: dict[int, float] = defaultdict(float)
        for c in self.crowds.values():
            at_place[c.district] += c.size
        force = [sum(u.control_power() for u in self._units_at(c.district))
                 for c in self.crowds.values()]
        actives = [at_place[c.district] + 1 for c in self.crowds.values()]
        p = dyn.arrest_probability(force, actives, a.k, a.risk_function)
        return dict(zip(self.crowds, p.tolist(), strict=True))

    def _standing_units_on(self, task: Task) -> np.ndarray:
        """The units (their places in ``units``, ascending) on ``task`` and not on the road,
        from the layout brought up to date."""
        lay = self._posture()
        return ((lay.task == _TASK_CODE[task]) & lay.standing).nonzero()[0]

    def _standing_on(self, task: Task) -> list[bool]:
        """Per district: does a unit on ``task`` stand there (not on the road)?"""
        units = self._standing_units_on(task)  # (first: it brings the layout up to date)
        here = self._layout.where[units]
        return np.bincount(here, minlength=self.n).astype(bool).tolist()

    def _units_at(self, d: int) -> list[SecurityUnit]:
        """Units standing (not travelling) in district ``d`` this tick."""
        return self.units_here.get(d, [])

    def street_share(self) -> np.ndarray:
        """Share of each district's residents visibly out besides the actives: supporters
        mobilised by their groups and by red, and what provocateur teams stir up."""
        return (self.mobilised + self.turn_mobilised
                + self.params.red.provocation_share * self.provocation())

    def _citizens(self, tick: Tick) -> None:
        """Every free citizen decides to be active or quiet (Epstein's rule A with the
        Granovetter gate; resting drop-outs stay home), in one compiled step
        (``wargame.citizens.step``). Only citizens with G > T can be active (or latent): its
        pass ``wargame.citizens.decide`` walks each group (``_build_groups``) and decides
        only them; everyone else is quiet."""
        pop, a, cp = self.pop, self.params.activation, self.params.crowd
        table = self._legitimacy_table(tick.stage).ravel()
        unfair = 1.0 - table  # 1 − L per group
        out = self.street_share()
        # Davies et al. (2013): participants drop out over time and rest before deciding again.
        dropout = cp.dropout_per_hour * (1 + 2 * self.weather)  # rain sends people home
        # Crowd members (the actives of a district whose crowd is out) weigh the risk where
        # the crowd stands and see the crowd as their local participation; quiet residents
        # keep judging from their own neighbourhood.
        crowd, p_crowd = np.zeros(self.n, dtype=bool), np.zeros(self.n)
        if self.crowds:
            for origin, val in self._crowd_deterrence().items():
                crowd[origin], p_crowd[origin] = True, val
        local_crowd = dyn.clip01(self.active_share + out)

        # Each neighbourhood's view (police seen, people out: Epstein's vision), resting and
        # drop-outs, then Epstein's rule with G = H · (1 − L), L by group, for the citizens
        # with G > T: one compiled pass (``wargame.citizens.step``) on ``rng_citizens``.
        srt = self._sorted
        counts, latent = np.zeros(self.n, dtype=np.int64), np.zeros(self.n, dtype=np.int64)
        hood_counts = np.zeros(pop.hood_district.size, dtype=np.int64)
        self._busy, self._resting, self.police_seen = citizens.step(
            self.rng_citizens, self._busy, self._resting, self._resting_mask, pop.state,
            pop.rest_hours, tick.hours, cp.rest_hours, float(dyn.per_day(dropout * 24, tick.hours)),
            pop.hood_district, self.hood_active_share, out, a.vision * a.visibility,
            self.presence, self.population_real, a.vision, a.k,
            citizens.RISK_FUNCTIONS[a.risk_function], self._group_start, unfair,
            srt["hardship"], self._group_order, srt["hood"], srt["district"], a.threshold,
            srt["risk_aversion"], srt["threshold"], crowd, p_crowd, local_crowd, a.granovetter,
            self._active_buffer, counts, hood_counts, latent)

        self.active_share = counts / self.citizens_per_district
        self.hood_active_share = hood_counts / self.citizens_per_hood
        self.tension = latent / self.citizens_per_district  # aggrieved enough, but quiet
        # Mean grievance of each Paslon's partisans per district, for supporter groups:
        # H · (1 − L) averaged over a group is its mean H times its 1 − L.
        self._last_group_grievance = (unfair * self._group_mean_hardship)[self.n:].reshape(
            -1, self.n)

    # ------------------------------------------------------------------ 8. crowds
    def _crowds(self, tick: Tick) -> None:
        cp = self.params.crowd
        actives_real = self.active_share * self.citizens_per_district * self.pop.scale
        for origin in list(self.crowds):
            c = self.crowds[origin]
            c.size = float(actives_real[origin])
            if c.size < cp.dissolve_size:
                self.log(tick, "crowd_dispersed", c.district, "Massa membubarkan diri",
                         "The crowd disperses")
                del self.crowds[origin]
                c.remove()
        for d in (actives_real >= cp.form_size).nonzero()[0]:
            d = int(d)
            if d in self.crowds:
                continue
            act = self.actives()
            aff = self.pop.affiliation[act[self.pop.district[act] == d]]
            counts = np.bincount(aff.astype(np.int64) + 1, minlength=len(self.shares) + 1)
            c = Crowd(self, origin=d, affiliation=int(np.argmax(counts)) - 1,
                      size=float(actives_real[d]), speed_kmh=cp.speed_kmh)
            self.crowds[d] = c
            why_id, why_en = self._crowd_causes(d)
            self.log(tick, "crowd_formed", d,
                     f"Massa terbentuk (~{int(c.size)} orang): {why_id}",
                     f"A crowd forms (~{int(c.size)} people): {why_en}")
        target = tick.stage.protest_target
        checkpoints = self._standing_on(Task.CHECKPOINT) if self.crowds else None
        for c in self.crowds.values():
            if target is not None and c.target_site is None:
                options = [(s.site_id, s.district, float(self.km[c.district, s.district]))
                           for s in self.sites if s.kind == target]
                c.choose_target(options, cp.distance_decay_km, self.rng_adjudication)
            slow = 0.3 if checkpoints[c.district] else 1.0
            c.step_tick(tick.hours, cp.max_hours_on_march, slow * (1 - self.weather))
            if c.flares_up() and c.unique_id not in self._crowds_with_incident():
                at_target = c.target_site is not None and \
                    self.site_by_id[c.target_site].district == c.district
                kind = "protest" if at_target else "unrest"
                why = (f"crowd from {self.setting.districts[c.origin].name} reaches "
                       f"{self.site_by_id[c.target_site].name}" if at_target else
                       f"crowd of {self.setting.districts[c.origin].name} residents gathers")
                self.open_incident(tick, kind, c.district, c.size, why,
                                   site=c.target_site if at_target else None,
                                   crowd_id=c.unique_id)

    def _detected_teams(self, d: int) -> int:
        """Provocateur teams at work in ``d`` that blue knows of (reports name only those)."""
        return sum(1 for t in self.teams if t.agitating and t.active and t.detected
                   and t.district == d)

    def _crowd_causes(self, d: int) -> tuple[str, str]:
        """What pushed a district's residents out: for the turn report (provocateurs only
        where detected — the report is read by blue)."""
        teams = self._detected_teams(d)
        mob = 100 * (self.mobilised[d] + self.turn_mobilised[d])
        parts = [(f"{mob:.1f}% warga dimobilisasi", f"{mob:.1f}% of residents mobilised")]
        if self.rumour[d] >= 0.2:
            parts.append((f"beban hoaks {self.rumour[d]:.2f}", f"hoax load {self.rumour[d]:.2f}"))
        if teams:
            parts.append((f"{teams} kelompok provokator", f"{teams} provocateur team(s)"))
        parts.append((f"ketegangan laten {self.tension[d]:.0%}",
                      f"latent tension {self.tension[d]:.0%}"))
        return "; ".join(p[0] for p in parts), "; ".join(p[1] for p in parts)

    # ------------------------------------------------------------------ 9. incidents
    def _crowds_with_incident(self) -> set[int]:
        return {i.crowd_id for i in self.incidents if i.open and i.crowd_id is not None}

    def open_incident(self, tick: Tick, kind: str, district: int, size: float, cause: str,
                      site: str | None = None, crowd_id: int | None = None) -> Incident:
        inc = Incident(id=len(self.incidents), kind=kind, district=district, tick=tick.index,
                       turn=tick.turn, crowd_size=float(size), cause=cause, site=site,
                       crowd_id=crowd_id)
        inc.history.append((tick.index, 0))
        # Reported at once where units or intelligence reach; otherwise when it turns kuning.
        seen = min(1.0, 0.2 + self.intel_coverage[district]
                   + (0.5 if self._units_at(district) else 0.0))
        inc.reported = bool(self.rng_adjudication.random() < seen)
        self.incidents.append(inc)
        self.log(tick, "incident", district, f"Insiden ({kind}) status hijau: {cause}",
                 f"Incident ({kind}) at green: {cause}", incident=inc.id)
        return inc

    def _adjudicate(self, tick: Tick) -> None:
        ip, lp = self.params.incident, self.params.legitimacy
        h = tick.hours
        crowd_by_id = {c.unique_id: c for c in self.crowds.values()}
        open_incs = [i for i in self.incidents if i.open]
        by_place: dict[int, list[Incident]] = defaultdict(list)
        for inc in open_incs:
            c = crowd_by_id.get(inc.crowd_id) if inc.crowd_id is not None else None
            if inc.crowd_id is not None:
                if c is None or c.district != inc.district or c.travelling:
                    self._close(tick, inc, "the crowd dispersed or moved on")
                    continue
                inc.crowd_size = c.size
            by_place[inc.district].append(inc)
        excess = np.zeros(self.n)
        # Ambulances on the spot treat casualties (per person-hour), shared by the
        # district's incidents this tick (counted where casualties occur).
        care: dict[int, float] = {}
        # Each unit's control power this tick (strength and fatigue hold within the tick).
        power_of: dict[SecurityUnit, float] = {}
        provocation = self.provocation()
        for d, incs in by_place.items():
            units = self._units_at(d)
            total = sum(i.crowd_size for i in incs) or 1.0
            teams = float(provocation[d])
            detected = self._detected_teams(d)
            talks = sum(u.negotiation_power() for u in units if u.task == Task.NEGOTIATE)
            for inc in incs:
                # Units committed to this incident act on it whole; the rest of the force
                # on the spot is shared among the incidents there by crowd size.
                share = inc.crowd_size / total
                acting = [u for u in units if u.incident in (None, inc.id)
                          and u.acts_at_level(inc.level, inc.max_level)]
                for u in acting:
                    if u not in power_of:
                        power_of[u] = u.control_power()
                power = sum(power_of[u] * (1.0 if u.incident == inc.id else share)
                            for u in acting)
                if inc.kind == "tps_disruption":
                    n_tps = max(1, self.tps[d].total)
                    power *= min(1.0, ip.tps_reach / n_tps)
                need = ip.required_ratio[inc.level] * inc.crowd_size
                f = power / need if need > 0 else np.inf
                inc.last_power, inc.last_need = power, need
                inc.last_acting = tuple(u.name for u in acting if power_of[u] > 0)
                inc.teams = detected
                for u in acting:  # above the highest colour the crowd ever reached
                    over = u.profile.control_level - (max(inc.level, inc.max_level) + 1)
                    if over > 0:
                        excess[d] += u.strength * over * inc.crowd_size / total
                # ESIM (Stott et al. 2007): a paramilitary show of force at a crowd event
                # treats the whole crowd as a threat — it counts as force above need.
                if inc.level == 0:
                    excess[d] += sum(u.strength for u in units
                                     if u.task == Task.SHOW_OF_FORCE) * share
                # Negotiation with the korlap halves the hazard at full strength (one
                # negotiating person-weight per 100 in the crowd); provocateurs raise it.
                calm = min(1.0, talks * share / max(inc.crowd_size / 100.0, 1e-9))
                inc.negotiated = inc.negotiated or calm > 0
                factor = (1 + self.params.red.provocation_escalation * teams) * (1 - 0.5 * calm)
                before = inc.level
                inc.level, inc.hours_controlled = dyn.escalation_step(
                    inc.level, f, inc.hours_controlled, h, tuple(ip.escalation_hours),
                    ip.control_hours, float(self.rng_adjudication.random()), factor)
                inc.hours_open += h
                self.recorder.note_level(d, max(inc.level, before))
                if inc.level != before:
                    self._level_changed(tick, inc, before)
                if inc.level >= 1:
                    contact = min(inc.crowd_size, ip.contact_max)
                    injured = int(self.rng_adjudication.poisson(
                        h * ip.injury_rate[inc.level] * contact / 1000.0))
                    inc.injured += injured
                    self.recorder.injured += injured
                    # Ambulances on the spot treat casualties (per person-hour).
                    if d not in care:
                        care[d] = sum(u.strength * u.profile.medical * h for u in units
                                      if u.profile.medical > 0)
                    treat = min(injured, int(care[d]))
                    care[d] -= treat
                    self.recorder.treated += treat
                    if inc.site:
                        self.site_by_id[inc.site].disrupted_hours += h
                if inc.open and inc.crowd_id is None and inc.level == 0 and \
                        inc.hours_open >= ip.event_hours:
                    self._close(tick, inc, "ended without escalation")
        self._fires(tick)
        # Disproportionate force erodes police legitimacy (Stott et al.; Perkap 1/2009).
        if np.count_nonzero(excess):
            self.repression_loss(lp.force_penalty * np.minimum(excess / 100.0, 1.0) * h / 24.0)

    def _fires(self, tick: Tick) -> None:
        """Fires set at merah burn until Damkar put them out; a fire left burning for
        ``incident.fire_hours`` damages the site."""
        for s in self.sites:
            if s.fire_hours <= 0:
                continue
            crews = sum(u.strength * u.profile.firefighting * tick.hours
                        for u in self._units_at(s.district) if u.profile.firefighting > 0)
            if crews >= 1.0:
                s.fire_hours = 0.0
                self.log(tick, "fire_out", s.district, f"Damkar memadamkan api di {s.name}",
                         f"Fire brigade puts out the fire at {s.name}")
                continue
            s.fire_hours += tick.hours
            if s.fire_hours >= self.params.incident.fire_hours and not s.damaged:
                s.damaged = True
                self.log(tick, "site_damaged", s.district, f"{s.name} rusak terbakar",
                         f"{s.name} is damaged by fire")

    def _level_changed(self, tick: Tick, inc: Incident, before: int) -> None:
        inc.history.append((tick.index, inc.level))
        why_id, why_en = inc.why()
        if inc.level < 0:
            self._close(tick, inc, f"brought under control — {why_en}")
            return
        inc.max_level = max(inc.max_level, inc.level)
        if inc.level >= 1:
            inc.reported = True
        word = "naik" if inc.level > before else "turun"
        word_en = "escalates" if inc.level > before else "calms"
        self.log(tick, "escalation", inc.district,
                 f"Insiden #{inc.id} ({inc.kind}) {word} ke {LEVELS[inc.level]}: {why_id}",
                 f"Incident #{inc.id} ({inc.kind}) {word_en} to {LEVELS[inc.level]}: {why_en}",
                 incident=inc.id, level=inc.level)
        if inc.level == 2 and before < 2:
            ip, lp = self.params.incident, self.params.legitimacy
            d = inc.district
            self.legit_election[d] = max(0.0, self.legit_election[d] - lp.red_incident_shock)
            self.legit_police[d] = max(0.0, self.legit_police[d] - lp.red_incident_shock)
            if inc.site:
                site = self.site_by_id[inc.site]
                if site.fire_hours <= 0 and not site.damaged:
                    site.fire_hours = 1e-9  # arson: burning from now on
                    self.log(tick, "fire", d, f"Massa membakar di {site.name}",
                             f"The crowd sets fires at {site.name}")
                guards = [u for u in self._units_at(d) if u.site == site.site_id]
                site.staff_at_risk = not guards
                self.log(tick, "evacuation" if guards else "staff_at_risk", d,
                         f"Staf {site.name} dievakuasi oleh {guards[0].name}" if guards else
                         f"Staf {site.name} terjebak tanpa pengamanan",
                         f"{site.name} staff evacuated by {guards[0].name}" if guards else
                         f"{site.name} staff trapped with no guard to evacuate them")
            if tick.stage.tps_open and not inc.tps_counted and inc.kind != "tps_disruption":
                n = ip.tps_per_incident * max(1, int(np.ceil(inc.crowd_size / 200)))
                self._tps_disrupted(inc, n)
        if inc.kind == "tps_disruption" and inc.level >= 1 and not inc.tps_counted:
            self._tps_disrupted(inc, self.params.incident.tps_per_incident)

    def _tps_disrupted(self, inc: Incident, n: int) -> None:
        c = self.tps[inc.district]
        n = min(n, c.total - c.disrupted)
        c.disrupted += n
        self.recorder.tps_disrupted += n
        inc.tps_counted = True

    def _close(self, tick: Tick, inc: Incident, why: str) -> None:
        lay = self._posture()  # units committed to it stay on the spot, as presence
        for i in (lay.incident == inc.id).nonzero()[0].tolist():
            u = self.units[i]
            u.incident, u.task = None, Task.PRESENCE
            self.posture_changed(u)
        if inc.crowd_id is not None:
            for c in self.crowds.values():
                if c.unique_id == inc.crowd_id:
                    c.contained_at = (c.district, c.size)
        inc.open = False
        inc.level = max(inc.level, 0)
        inc.closed_tick = tick.index
        self.log(tick, "incident_closed", inc.district, f"Insiden #{inc.id} selesai: {why}",
                 f"Incident #{inc.id} closed: {why}", incident=inc.id)

    # ------------------------------------------------------------------ 10-11. arrests, jail
    def _arrests(self, tick: Tick) -> None:
        """Epstein's cop rule as a capacity: units arrest random actives where they stand."""
        pop = self.pop
        act = self.actives()
        if act.size == 0:
            return
        place = pop.district[act].copy()
        for origin, c in self.crowds.items():
            place[pop.district[act] == origin] = c.district
        capacity = self.arrest_per_hour * tick.hours
        want = dyn.stochastic_round(capacity / pop.scale, self.rng_adjudication)
        order = np.lexsort((self.rng_adjudication.random(act.size), place))
        sorted_place = place[order]
        starts = np.searchsorted(sorted_place, np.arange(self.n))
        rank = np.arange(act.size) - starts[sorted_place]
        chosen = act[order[rank < want[sorted_place]]]
        if chosen.size:
            pop.state[chosen] = JAILED
            pop.jail_hours[chosen] = self.rng_adjudication.uniform(
                0, self.params.jail.max_hours, chosen.size)
            self.recorder.arrests += int(chosen.size) * pop.scale
            per_district = np.bincount(pop.district[chosen], minlength=self.n) * pop.scale
            self.repression_loss(self.params.legitimacy.arrest_penalty * per_district
                                 / self.population_real)

    def repression_loss(self, loss: np.ndarray) -> None:
        """Repression costs police legitimacy where it happens, and part of the loss is for
        good: the level engagement can restore falls too (Lemos et al. 2016's ratchet;
        Rasler 1996: repression dampens now and feeds protest later)."""
        if not np.count_nonzero(loss):
            return
        self.legit_police = dyn.clip01(self.legit_police - loss)
        self.legit_police0 = dyn.clip01(self.legit_police0 - self.params.legitimacy.ratchet * loss)

    def _jail(self, hours: float) -> None:
        pop = self.pop
        busy = self._busy
        jailed = busy[pop.state[busy] == JAILED]
        if jailed.size == 0:
            return
        pop.jail_hours[jailed] -= hours
        released = jailed[pop.jail_hours[jailed] <= 0]
        pop.state[released] = QUIET
        pop.jail_hours[released] = 0.0
        if released.size:
            self._busy = busy[pop.state[busy] != QUIET]

    def actives(self) -> np.ndarray:
        """The active citizens, ascending (found among the few busy ones)."""
        busy = self._busy
        return busy[self.pop.state[busy] == ACTIVE]

    # ------------------------------------------------------------------ reporting
    def log(self, tick: Tick, kind: str, district: int | None, text_id: str, text_en: str,
            **extra: Any) -> None:
        """Record what happened and why, for turn reports and the event log.
        ``district`` None means the whole regency."""
        self.events.append({"tick": tick.index, "turn": tick.turn, "stage": tick.stage.id,
                            "time": tick.start_text, "kind": kind,
                            "district": None if district is None else self.district_ids[district],
                            "text_id": text_id, "text_en": text_en, **extra})
