"""Rule-file doctrines: headless blue players written as data.

A doctrine file (TOML) names an ordered list of *plays*, each a standard police measure
with its parameters and the stages it applies in. Every turn the doctrine reads blue's
view (never ground truth) and turns each play into order lines, taking units from a pool
so that no unit gets two orders. The plays are the vocabulary of the Polri doctrine
pre-emptive → preventive → law enforcement; the bundled doctrines differ only in which
plays they run and with what parameters.

    [doctrine]
    id = "preemptive"
    name = "..."; name_en = "..."; description = "..."

    [[plays]]
    play = "engage"          # see PLAYS for the list and each play's parameters
    stages = ["campaign"]    # optional: only in these stages
    top = 6                  # play-specific parameters
"""

from __future__ import annotations

import functools
import math
import tomllib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from wargame.orders import (
    Arrest,
    Deploy,
    Gakkumdu,
    Orders,
    PeaceDeclaration,
    Reinforce,
    Respond,
    engine_orders,
)
from wargame.scenario import ScenarioError, Task, read_toml

COMMITTED = {"respond", "negotiate", "disperse"}


class Play(BaseModel):
    """One play of a doctrine: which measure, when, with what. Numbers must be finite."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    play: str
    stages: list[str] = Field(default_factory=list, description="empty = every stage")
    kinds: list[str] = Field(default_factory=list, description="unit kinds the play uses")
    top: int = Field(5, ge=0, description="how many districts (ranked by `by`)")
    by: Literal["tension", "vulnerability", "rawan_tps", "rumour", "population"] = Field(
        "tension", description="how to rank districts")
    personnel: int = Field(10, ge=1, description="personnel per detachment")
    task: str = "presence"
    mode: Literal["ladder", "negotiate", "disperse"] = Field(
        "ladder", description="respond: ladder, negotiate or disperse")
    min_level: int = Field(0, ge=0, le=2, description="respond to incidents at least this")
    margin: float = Field(1.2, gt=0, description="respond: force sent / force needed")
    share: float = Field(1.0, gt=0, le=1, description="share of the kinds' pool to use")
    site_kinds: list[str] = Field(default_factory=list)
    source: str = "brimob"
    when_incidents: int = Field(1, ge=0, description="reinforce: known incidents at "
                                "min_level or above that trigger the request")
    when_tension: float = Field(1.0, description="reinforce: or estimated tension above")
    threshold: float = Field(0.0, description="only districts whose rank value exceeds this")
    standby: bool = Field(True, description="respond (ladder): also send the next rung, "
                          "ready for lapis ganti should the crowd turn")
    tasks: list[str] = Field(default_factory=lambda: ["presence"],
                             description="recall: tasks whose units come home")


class DoctrineFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    doctrine: dict[str, str]
    plays: list[Play]


# How to rank a district: from its map entry and blue's estimate of it ({} if none).
_RANK_BY: dict[str, Callable[[dict[str, Any], dict[str, Any]], float]] = {
    "tension": lambda d, est: est.get("tension", 0.0),
    "rumour": lambda d, est: est.get("rumour", 0.0),
    "vulnerability": lambda d, est: d["vulnerability"],
    "rawan_tps": lambda d, est: d["tps"]["rawan"] + 2 * d["tps"]["sangat_rawan"]
    + d["vulnerability"],
    "population": lambda d, est: d["population"],
}
# The rankings read from the map alone: the same every turn while the map is.
_MAP_RANKS = frozenset({"vulnerability", "rawan_tps", "population"})


@dataclass
class Planner:
    """The working state of one decision: the view, the unit pool and the lines so far.

    The view does not change while the plays run (only ``free`` and ``lines`` do), so
    what the plays look up over and over (the units by kind and task, by incident, by
    kind, task and destination, the guarded sites, the districts in rank order) is
    indexed once per decision. Rankings by the map alone outlive the decision: the
    doctrine hands each planner the same ``map_order``, which keeps them with the map
    (the view's ``districts`` list, shared by every view of a run) they were ranked on.
    """

    view: dict[str, Any]
    km: dict[str, dict[str, float]]  # shortest road distance between districts
    lines: list[Any] = field(default_factory=list)
    free: dict[str, int] = field(default_factory=dict)  # unit id -> personnel not yet used
    units: dict[str, dict[str, Any]] = field(default_factory=dict)
    # by -> (the districts list ranked, its (-value, id) order), for the _MAP_RANKS
    map_order: dict[str, tuple[list[dict[str, Any]], list[tuple[float, str]]]] = field(
        default_factory=dict)
    _by_kind: dict[str, list[dict[str, Any]]] | None = field(default=None, init=False,
                                                              repr=False)
    _order: dict[str, list[tuple[float, str]]] = field(default_factory=dict, init=False,
                                                       repr=False)  # by -> (-value, id)
    _on_tasks: dict[tuple[str, frozenset[str] | None], list[dict[str, Any]]] = field(
        default_factory=dict, init=False, repr=False)  # (kind, tasks) -> units
    _guarded_sites: set[str] | None = field(default=None, init=False, repr=False)
    _at_incident: dict[int, list[dict[str, Any]]] | None = field(default=None, init=False,
                                                                 repr=False)
    _bound_for: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = field(
        default_factory=dict, init=False, repr=False)  # (kind, task) -> destination -> units

    @classmethod
    def of_view(cls, view: dict[str, Any], km: dict[str, dict[str, float]],
                map_order: dict[str, tuple[list[dict[str, Any]], list[tuple[float, str]]]]
                ) -> Planner:
        """The planner of a decision on ``view``: every unit free to take an order (not
        committed to an incident, not arresting a provocateur it can see) with all its
        personnel, and those units by kind, gathered in one pass over the view's units
        (rather than one pass for the units, one for their personnel and one for the
        kinds, each of them over every unit every turn)."""
        teams = {t["district"] for t in view.get("provocateurs", [])}
        units: dict[str, dict[str, Any]] = {}
        free: dict[str, int] = {}
        by_kind: dict[str, list[dict[str, Any]]] = {}
        for u in view["units"]:
            task = u["task"]
            if task in COMMITTED or (task == "arrest" and u["district"] in teams):
                continue
            uid = u["id"]
            units[uid] = u
            free[uid] = u["strength"]
            same = by_kind.get(u["kind"])
            if same is None:
                by_kind[u["kind"]] = [u]
            else:
                same.append(u)
        p = cls(view=view, km=km, units=units, free=free, map_order=map_order)
        p._by_kind = by_kind
        return p

    @property
    def stage(self) -> str:
        return self.view["stage"]["id"]

    def hours(self, a: str, b: str, speed: float) -> float:
        return self.km[a].get(b, math.inf) / speed

    def ranked(self, by: str, top: int, threshold: float = 0.0) -> list[str]:
        """The ``top`` districts by ``by`` (highest first, then by id) above ``threshold``."""
        order = self._order.get(by)
        if order is None:
            districts = self.view["districts"]
            kept = self.map_order.get(by) if by in _MAP_RANKS else None
            if kept is not None and kept[0] is districts:
                order = kept[1]
            else:
                value = _RANK_BY[by]
                est = {e["district"]: e for e in self.view.get("estimates", [])}
                rows = [(-value(d, est.get(d["id"], {})), d["id"]) for d in districts]
                # NaN never passes a threshold: left out, it cannot upset the sort either.
                order = sorted(r for r in rows if r[0] == r[0])
                if by in _MAP_RANKS:
                    self.map_order[by] = (districts, order)
            self._order[by] = order
        return [d for key, d in order if -key > threshold][:top]

    def pool(self, kinds: list[str], tasks: set[str] | None = None) -> list[dict[str, Any]]:
        """Units of ``kinds`` with personnel left this turn (optionally on ``tasks``), the
        most personnel first."""
        return self.sorted_pool(self.candidates(kinds, tasks))

    def pool_key(self, u: dict[str, Any]) -> tuple[int, str]:
        """A unit's place in ``pool`` order: the most personnel left first, then by id
        (ids are unique, so no two units tie)."""
        return -self.free[u["id"]], u["id"]

    def sorted_pool(self, units: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``units`` (some of ``candidates``) in ``pool`` order."""
        return sorted(units, key=self.pool_key)

    def first(self, kinds: list[str], tasks: set[str] | None = None,
              where: Callable[[dict[str, Any]], bool] | None = None
              ) -> dict[str, Any] | None:
        """The first unit of ``pool(kinds, tasks)`` that passes ``where`` (None: the first),
        or None: for plays that take one unit, found without sorting the whole pool (the
        sort key ends in the unique id, so the least key is the first unit)."""
        units = self.candidates(kinds, tasks)
        if where is not None:
            units = [u for u in units if where(u)]
        return min(units, key=self.pool_key, default=None)

    def candidates(self, kinds: list[str], tasks: set[str] | None = None
                   ) -> list[dict[str, Any]]:
        """The units of ``pool``, in no particular order: for plays that rank them by
        their own key (which ends in the unique id) and need not pay for sorting twice."""
        free = self.free
        key = None if tasks is None else frozenset(tasks)
        return [u for kind in dict.fromkeys(kinds) for u in self._of_kind_on(kind, key)
                if free[u["id"]] > 0]

    def _of_kind_on(self, kind: str, tasks: frozenset[str] | None) -> list[dict[str, Any]]:
        """The units of ``kind`` on ``tasks`` (None: on any), in the view's order."""
        units = self._on_tasks.get((kind, tasks))
        if units is None:
            units = self._on_tasks[kind, tasks] = [
                u for u in self.of_kind(kind) if tasks is None or u["task"] in tasks]
        return units

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        """The units of ``kind``, in the view's order."""
        if self._by_kind is None:
            by_kind: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
            for u in self.units.values():
                by_kind[u["kind"]].append(u)
            self._by_kind = dict(by_kind)
        return self._by_kind.get(kind, [])

    def bound_for(self, kind: str, task: str, d: str) -> list[dict[str, Any]]:
        """The units of ``kind`` on ``task`` in (or bound for) district ``d``, in the view's
        order."""
        by_place = self._bound_for.get((kind, task))
        if by_place is None:
            by_place = self._bound_for[kind, task] = {}
            for u in self.of_kind(kind):
                if u["task"] == task:
                    by_place.setdefault(u["destination"], []).append(u)
        return by_place.get(d, [])

    def at_incident(self, incident: int) -> list[dict[str, Any]]:
        """All the view's units committed to ``incident`` (free or not), in the view's
        order."""
        if self._at_incident is None:
            at: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
            for u in self.view["units"]:
                if u["incident"] is not None:
                    at[u["incident"]].append(u)
            self._at_incident = dict(at)
        return self._at_incident.get(incident, [])

    def site_guarded(self, site: str) -> bool:
        """Is a unit (free to take orders) already guarding ``site``?"""
        if self._guarded_sites is None:
            self._guarded_sites = {u["site"] for u in self.units.values()
                                   if u["task"] == "guard_site"}
        return site in self._guarded_sites

    def take(self, u: dict[str, Any], personnel: int | None) -> int | None:
        """Reserve personnel of a unit; returns the detachment size (None = the whole)."""
        left = self.free[u["id"]]
        if personnel is None or personnel >= left:
            self.free[u["id"]] = 0
            return None if left == u["strength"] else left
        self.free[u["id"]] = left - personnel
        return personnel

    def deploy(self, u: dict[str, Any], to: str, task: str, personnel: int | None = None,
               site: str | None = None) -> None:
        if task not in u["tasks"]:
            return
        size = self.take(u, personnel)
        self.lines.append(Deploy(unit=u["id"], to=to, task=Task(task), personnel=size,
                                 site=site))


# ----------------------------------------------------------------------------- plays
def _engage(p: Planner, play: Play) -> None:
    """Pre-emptive: village officers engage at home; roving outreach units (Binmas) split
    into detachments dialoguing in the top districts."""
    for u in p.pool(["bhabinkamtibmas", "babinsa"], tasks={"presence", "reserve"}):
        p.deploy(u, u["district"], "engage")
    targets = p.ranked(play.by, play.top, play.threshold)
    kinds = play.kinds or ["binmas"]
    for d in targets:
        if _keep(p, d, "engage", kinds):
            continue
        if (u := p.first(kinds)) is not None:
            p.deploy(u, d, "engage", play.personnel)


def _peace(p: Planner, play: Play) -> None:
    done = set(p.view.get("peace_declared", []))
    # Led by the Binmas / Bhabinkamtibmas / Babinsa already in the district.
    leaders = {u["district"] for u in p.view["units"]
               if u["engagement"] > 0 and u["eta_hours"] == 0}
    for d in p.ranked(play.by, play.top, play.threshold):
        if d not in done and d in leaders:
            p.lines.append(PeaceDeclaration(district=d))


def _counter_hoax(p: Planner, play: Play) -> None:
    # Each unit's line leaves the others' free personnel alone: sort only those sent.
    for u in p.sorted_pool([u for u in p.candidates(play.kinds or ["cyber"])
                            if u["task"] != "counter_hoax"]):
        p.deploy(u, u["district"], "counter_hoax")


def _keep(p: Planner, d: str, task: str, kinds: list[str]) -> bool:
    """Is a unit of ``kinds`` already on ``task`` in (or bound for) ``d``? Keep it there."""
    here = [u for kind in dict.fromkeys(kinds) for u in p.bound_for(kind, task, d)]
    for u in here:
        p.free[u["id"]] = 0
    return bool(here)


def _intel(p: Planner, play: Play) -> None:
    kinds = play.kinds or ["intelkam"]
    for d in p.ranked(play.by, play.top, play.threshold):
        if _keep(p, d, "intel", kinds):
            continue
        if (u := p.first(kinds)) is not None:
            p.deploy(u, d, "intel", play.personnel)


def _patrol(p: Planner, play: Play) -> None:
    """Preventive presence (KRYD cooling-system patrols, or a show of force) in the top
    districts, by detachments from units in reserve."""
    for d in p.ranked(play.by, play.top, play.threshold):
        if _keep(p, d, play.task, play.kinds):
            continue
        if (u := p.first(play.kinds, tasks={"reserve", "presence"})) is not None:
            p.deploy(u, d, play.task, play.personnel)


def _guard_tps(p: Planner, play: Play) -> None:
    """Guard TPS by vulnerability pattern (police per TPS of each class), the most
    vulnerable districts first, with the given share of the kinds' personnel."""
    ratio = p.view["norms"]["tps_guard_ratio"]
    # Only deploying changes the pool: the unit sent goes once it has nobody left.
    pool = p.candidates(play.kinds, tasks={"reserve", "presence"})
    budget = int(sum(p.free[u["id"]] for u in pool) * play.share)
    tps_of: dict[str, dict[str, int]] = {}
    for x in p.view["districts"]:
        tps_of.setdefault(x["id"], x["tps"])
    guarded: dict[str, int] = {}  # personnel of the kinds already guarding TPS, by place
    for u in p.view["units"]:
        if u["task"] == "guard_tps" and u["kind"] in play.kinds:
            guarded[u["destination"]] = guarded.get(u["destination"], 0) + u["strength"]
    km, free = p.km, p.free
    for d in p.ranked("rawan_tps", len(p.view["districts"])):
        tps = tps_of[d]
        need = math.ceil(tps["kurang_rawan"] * ratio[0] + tps["rawan"] * ratio[1]
                         + tps["sangat_rawan"] * ratio[2])
        need -= guarded.get(d, 0)
        while need > 0 and budget > 0:
            if not pool:
                return
            # (p.hours, written out: it is asked of every unit in the pool for each pick)
            u = min(pool, key=lambda x: (km[x["district"]].get(d, math.inf) / x["speed_kmh"],
                                         -free[x["id"]], x["id"]))
            size = min(need, budget, p.free[u["id"]])
            p.deploy(u, d, "guard_tps", size)
            if p.free[u["id"]] == 0:
                pool.remove(u)
            need -= size
            budget -= size


def _guard_sites(p: Planner, play: Play) -> None:
    for s in p.view["sites"]:
        if s["kind"] not in play.site_kinds:
            continue
        if p.site_guarded(s["id"]):
            continue
        nearest = min(p.candidates(play.kinds, tasks={"reserve", "presence"}),
                      key=lambda u: (p.hours(u["district"], s["district"], u["speed_kmh"]),
                                     u["id"]), default=None)
        if nearest is not None:
            p.deploy(nearest, s["district"], "guard_site", play.personnel, site=s["id"])


def _respond(p: Planner, play: Play) -> None:
    """Law enforcement: meet each known incident with enough force, nearest units first.
    ``ladder`` sends units able to act at the incident's colour (Perkap 16/2006);
    ``disperse`` sends them to break the crowd up now; ``negotiate`` sends negotiators."""
    need_ratio = p.view["norms"]["required_ratio"]
    for inc in sorted(p.view["incidents"], key=lambda i: (-i["level"], -i["crowd_estimate"])):
        if not inc["open"] or inc["level"] < play.min_level:
            continue
        lvl = max(inc["level"], 0)
        task = {"ladder": "respond", "negotiate": "negotiate", "disperse": "disperse"}[play.mode]
        if play.mode == "negotiate":
            if inc["negotiated"] or lvl > 1:
                continue
            power_of = lambda u: u["negotiation"]  # noqa: E731
            need = inc["crowd_estimate"] / 100.0 * play.margin
        else:
            power_of = lambda u: u["control_power"]  # noqa: E731
            need = need_ratio[lvl] * inc["crowd_estimate"] * play.margin
        # Only what acts at this colour counts: standby units of the next rung do not.
        have = sum(u["strength"] * power_of(u) for u in p.at_incident(inc["id"])
                   if play.mode != "ladder" or u["control_level"] == lvl + 1)
        if have >= need:
            continue
        # Negotiators come from units free to talk; the rope line stays on the line.
        free_tasks = {"reserve", "presence"} | ({"guard_site"} if play.mode != "negotiate"
                                                else set())
        ok = [u for u in p.candidates(play.kinds, tasks=free_tasks)
              if power_of(u) > 0 and task in u["tasks"]
              and (play.mode == "negotiate" or u["control_level"] > lvl)
              and not (play.mode == "disperse" and u["kind"] == "brimob" and lvl < 2)
              and not (play.mode == "disperse" and u["tni"])]
        if play.mode == "ladder":  # the rung that acts now (Perkap: one rung at a time)
            ok = [u for u in ok if u["control_level"] == lvl + 1]
        # The play's kinds are in order of preference; nearest first within a kind.
        ok.sort(key=lambda u: (play.kinds.index(u["kind"]) if play.mode == "negotiate" else 0,
                               p.hours(u["district"], inc["district"], u["speed_kmh"]),
                               u["id"]))
        have = _send(p, ok, inc, play.mode, need, have, power_of)
        if play.mode == "ladder" and play.standby and lvl < 2:
            # Lapis ganti: the next rung stands by, sized for the next colour's need.
            nxt = [u for u in p.candidates(play.kinds, tasks={"reserve", "presence"})
                   if u["control_level"] == lvl + 2 and "respond" in u["tasks"]]
            nxt.sort(key=lambda u: (p.hours(u["district"], inc["district"], u["speed_kmh"]),
                                    u["id"]))
            ready = sum(u["strength"] * u["control_power"] for u in p.at_incident(inc["id"])
                        if u["control_level"] == lvl + 2)
            _send(p, nxt, inc, "ladder", need_ratio[lvl + 1] * inc["crowd_estimate"]
                  * play.margin, ready, power_of)


def _send(p: Planner, units: list[dict[str, Any]], inc: dict[str, Any], mode: str,
          need: float, have: float, power_of: Callable[[dict[str, Any]], float]) -> float:
    """Commit units (or detachments) to an incident until ``need`` is met."""
    for u in units:
        if have >= need:
            break
        want = math.ceil((need - have) / power_of(u))
        size = p.take(u, want)
        p.lines.append(Respond(unit=u["id"], incident=inc["id"], mode=mode, personnel=size))
        have += (size or u["strength"]) * power_of(u)
    return have


def _arrest(p: Planner, play: Play) -> None:
    teams = p.view.get("provocateurs", [])
    if not teams:
        return
    arresting = {u["destination"] for u in p.view["units"] if u["task"] == "arrest"}
    for team in teams:
        if team["district"] in arresting:
            continue
        u = p.first(play.kinds or ["reskrim"], where=lambda u: "arrest" in u["tasks"])
        if u is not None:
            size = p.take(u, play.personnel)
            p.lines.append(Arrest(unit=u["id"], district=team["district"]))
            if size is not None:  # arrest orders move whole units: detach first
                p.lines[-1] = Deploy(unit=u["id"], to=team["district"], task=Task.ARREST,
                                     personnel=size)


def _reinforce(p: Planner, play: Play) -> None:
    norms = p.view["norms"]
    left = norms["brimob_left"] if play.source == "brimob" else norms["tni_left"]
    if left <= 0 or any(r["source"] == play.source for r in p.view["pending_reinforcements"]):
        return
    hot = [i for i in p.view["incidents"] if i["open"] and i["level"] >= play.min_level]
    tension = max((e["tension"] for e in p.view["estimates"]), default=0.0)
    if len(hot) < max(play.when_incidents, 1) and tension < play.when_tension:
        return
    to = hot[0]["district"] if hot else p.ranked("tension", 1)[0]
    p.lines.append(Reinforce(source=play.source, personnel=min(play.personnel, left), to=to))


def _gakkumdu(p: Planner, play: Play) -> None:
    for d in p.ranked(play.by, play.top, play.threshold):
        if any(u["district"] == d and u["eta_hours"] == 0 and p.free[u["id"]] > 0
               for u in p.of_kind("reskrim")):
            p.lines.append(Gakkumdu(district=d))
        elif (u := p.first(["reskrim"], tasks={"reserve", "presence"})) is not None:
            p.deploy(u, d, "presence", play.personnel)


def _recall(p: Planner, play: Play) -> None:
    """Units sent out (on the play's tasks) come home to reserve once no known incident or
    provocateur needs them where they are."""
    busy = {i["district"] for i in p.view["incidents"] if i["open"]}
    busy |= {t["district"] for t in p.view.get("provocateurs", [])}
    # Each unit's line leaves the others' free personnel alone: sort only those sent.
    for u in p.sorted_pool([u for u in p.candidates(play.kinds, tasks=set(play.tasks))
                            if u["district"] not in busy and u["eta_hours"] == 0 and (
                                u["district"] != u["home"] or u["task"] != u["home_task"])]):
        task = u["home_task"] if u["home_task"] in u["tasks"] else "reserve"
        task = "reserve" if task == "guard_site" else task
        p.deploy(u, u["home"], task)


PLAYS: dict[str, Callable[[Planner, Play], None]] = {
    "engage": _engage, "peace_declaration": _peace, "counter_hoax": _counter_hoax,
    "intel": _intel, "patrol": _patrol, "guard_tps": _guard_tps, "guard_sites": _guard_sites,
    "respond": _respond, "arrest": _arrest, "reinforce": _reinforce, "gakkumdu": _gakkumdu,
    "recall": _recall,
}


@functools.lru_cache(maxsize=16)
def _road_km(districts: tuple[str, ...],
             edges: tuple[tuple[str, str, float], ...]) -> dict[str, dict[str, float]]:
    """Shortest road distances between districts. A doctrine is loaded afresh for every
    run, but runs share a few maps: computed once per map, shared read-only."""
    g = nx.Graph()
    g.add_nodes_from(districts)
    g.add_edges_from((a, b, {"km": km}) for a, b, km in edges)
    return {a: dict(d) for a, d in nx.all_pairs_dijkstra_path_length(g, weight="km")}


@functools.lru_cache(maxsize=32)
def parse_doctrine(text: str) -> DoctrineFile:
    """The doctrine of a rule file's text (raises ``tomllib.TOMLDecodeError`` or pydantic's
    ``ValidationError``).

    A batch loads the same few doctrines for each of hundreds of runs, and reading the
    TOML costs more than many a turn's decision: parsed once per text in a process. A
    ``DoctrineFile`` is frozen, so the runs share it; each gets its own ``RuleDoctrine``.
    """
    return DoctrineFile.model_validate(tomllib.loads(text))


class RuleDoctrine:
    """A blue player that runs a doctrine file's plays in order each turn."""

    def __init__(self, spec: DoctrineFile, source: str = "<doctrine>") -> None:
        for i, play in enumerate(spec.plays):
            if play.play not in PLAYS:
                raise ScenarioError(source, [(f"plays[{i}].play", f"unknown play "
                                              f"'{play.play}' (known: {', '.join(PLAYS)})")])
        self.spec = spec
        self.id = spec.doctrine.get("id", Path(source).stem)
        self._km: dict[str, dict[str, float]] | None = None
        self._map_order: dict[str, tuple[list[dict[str, Any]], list[tuple[float, str]]]] = {}

    @classmethod
    def from_file(cls, path: str | Path) -> RuleDoctrine:
        try:
            spec = parse_doctrine(Path(path).read_text(encoding="utf-8"))
        except ValidationError as exc:
            raise ScenarioError(str(path), [(".".join(map(str, e["loc"])), e["msg"])
                                            for e in exc.errors()]) from None
        except (OSError, ValueError):  # missing, not UTF-8 or not TOML: as for every file,
            read_toml(path)  # the ScenarioError naming the file and the problem
            raise
        return cls(spec, str(path))

    def decide(self, view: dict[str, Any]) -> Orders:
        if self._km is None:  # the district graph is fixed: distances once per game
            self._km = _road_km(tuple(d["id"] for d in view["districts"]),
                                tuple((e["a"], e["b"], e["km"]) for e in view["edges"]))
        p = Planner.of_view(view, self._km, self._map_order)
        for play in self.spec.plays:
            if play.stages and p.stage not in play.stages:
                continue
            PLAYS[play.play](p, play)
        # Every line was validated as the plays made it: not checked again line by line.
        return engine_orders("blue", p.lines)
