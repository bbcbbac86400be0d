"""Security units: Polri, TNI (under Polri BKO) and Linmas. They are the blue side's pieces.

A unit's state (place, task, route, fatigue) is what orders change; the engine reads
each unit's contribution (presence, crowd control, arrests, engagement, intelligence)
from its kind's profile and its task. No doctrine is written here.
"""

from __future__ import annotations

import numpy as np

from agents.movement import Traveller
from wargame import kernels
from wargame.scenario import CIVIL_KINDS, KindProfile, Task, UnitKind

# Per task: (presence multiplier, fatigue per hour, share of the day on duty). [I] defaults.
# - presence: how much of the unit's visible deterrence the task brings out;
# - fatigue: routine shift work (patrol, engagement, intelligence) is sustainable and lets a
#   unit recover slowly, surge tasks tire it, reserve rests it (0..1 scale);
# - duty: personnel-hours count these hours of each day (shifts), not the whole day;
#   TPS guarding counts only while TPS are open.
TASK_TABLE: dict[Task, tuple[float, float, float]] = {
    Task.PRESENCE: (1.0, -0.002, 1 / 3),
    Task.SHOW_OF_FORCE: (2.0, 0.006, 0.5),
    Task.GUARD_TPS: (0.5, 0.003, 0.5),
    Task.GUARD_SITE: (0.3, 0.002, 0.5),
    Task.ESCORT: (0.5, 0.004, 0.5),
    Task.CHECKPOINT: (0.8, 0.004, 0.5),
    Task.ENGAGE: (0.3, -0.002, 1 / 3),
    Task.INTEL: (0.1, -0.002, 1 / 3),
    Task.COUNTER_HOAX: (0.0, -0.002, 1 / 3),
    Task.RESERVE: (0.1, -0.01, 0.0),
    Task.RESPOND: (0.5, 0.01, 0.5),
    Task.NEGOTIATE: (0.3, 0.006, 0.5),
    Task.DISPERSE: (0.8, 0.015, 0.5),
    Task.ARREST: (0.2, 0.006, 0.5),
}
TASK_PRESENCE = {t: v[0] for t, v in TASK_TABLE.items()}
TASK_FATIGUE = {t: v[1] for t, v in TASK_TABLE.items()}
TASK_DUTY = {t: v[2] for t, v in TASK_TABLE.items()}
TRAVEL_FATIGUE = 0.003
TRAVEL_DUTY = 0.5
# Tasks committed to a place's crowd (they act on incidents there first).
INCIDENT_TASKS = (Task.RESPOND, Task.NEGOTIATE, Task.DISPERSE)


def task_row(u: SecurityUnit) -> tuple[float, float, float, bool]:
    """A unit's strength, its task's fatigue per hour and share of the day on duty, and
    whether it guards TPS — what ``tick_units`` needs, fixed until its posture changes."""
    return float(u.strength), TASK_FATIGUE[u.task], TASK_DUTY[u.task], u.task == Task.GUARD_TPS


def task_table(units: list[SecurityUnit]) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                  np.ndarray]:
    """``task_row`` of every unit, as four columns."""
    rows = [task_row(u) for u in units]
    return (np.array([r[0] for r in rows], dtype=float),
            np.array([r[1] for r in rows], dtype=float),
            np.array([r[2] for r in rows], dtype=float),
            np.array([r[3] for r in rows], dtype=bool))


class UnitLedger:
    """Every unit's fatigue and personnel-hours, as two arrays in the order the units were
    made — the model's ``units`` order, as each unit is listed when it is made. The engine
    updates all units at once each tick (``tick_units``) and reads fatigue as a vector; a
    unit reads and writes its own entry (``SecurityUnit.fatigue``, ``.personnel_hours``)."""

    def __init__(self, capacity: int = 64) -> None:
        self._data = np.zeros((2, capacity))
        self.size = 0

    def add(self) -> int:
        """A new unit's entry (fatigue and personnel-hours 0)."""
        if self.size == self._data.shape[1]:
            self._data = np.concatenate([self._data, np.zeros_like(self._data)], axis=1)
        self.size += 1
        return self.size - 1

    @property
    def fatigue(self) -> np.ndarray:
        """Fatigue per unit (a view: writing to it changes the units' fatigue)."""
        return self._data[0, :self.size]

    @property
    def hours(self) -> np.ndarray:
        """Personnel-hours worked so far per unit (a view)."""
        return self._data[1, :self.size]


def tick_units(units: list[SecurityUnit], ledger: UnitLedger, hours: float, tps_open: bool,
               speed: float, strength: np.ndarray, rate: np.ndarray, duty: np.ndarray,
               guard: np.ndarray, standing: np.ndarray) -> None:
    """One tick of every unit: the travelling ones move (``speed`` < 1 in bad weather);
    then each logs personnel-hours on duty and fatigue for its task — travel counts as
    half a day on duty and tires; a unit that arrives this tick tires at its task's rate;
    TPS guarding counts only while the TPS are open. The bookkeeping is done for all
    units at once, on the ``ledger``'s arrays (``task_table`` gives the task columns;
    ``standing`` says which units are not on the road as the tick begins)."""
    n = len(units)
    moved = (~standing).nonzero()[0].tolist()
    on_road = np.zeros(n, dtype=bool)
    for i in moved:
        u = units[i]
        u.travel(hours * speed)
        if u.route:
            on_road[i] = True
        else:  # arrived: it now stands and works here
            u.model.posture_changed(u)
    kernels.unit_bookkeeping(hours, tps_open, strength, rate, duty, guard, standing, on_road,
                             TRAVEL_DUTY, TRAVEL_FATIGUE, ledger.hours, ledger.fatigue)


class SecurityUnit(Traveller):
    """A unit of personnel at a district node of the graph."""

    def __init__(self, model, *, unit_id: str, name: str, kind: UnitKind,
                 profile: KindProfile, strength: int, home: int, task: Task,
                 area: list[int] | None = None, site: str | None = None,
                 speed_kmh: float | None = None) -> None:
        super().__init__(model)
        self.unit_id = unit_id
        self.name = name
        self.kind = kind
        self.profile = profile
        self.strength = strength
        self.home = home
        self.task = task
        self.home_task = task  # the scenario's initial posture, to come back to
        self.area = list(area or [])
        self.site = site
        self.incident: int | None = None  # incident id, for respond / negotiate / disperse
        self.checkpoint_for = 0.0  # hours left at a checkpoint (0 = none)
        self._ledger: UnitLedger = model.unit_ledger
        self.entry = self._ledger.add()  # fatigue and personnel-hours live there
        self._init_travel(speed_kmh or profile.speed_kmh)
        self.cell = model.space[home]
        self._row_key: tuple | None = None
        self._row: tuple = ()

    @property
    def fatigue(self) -> float:
        """0 (fresh) … 1 (exhausted): tasks tire, rest restores."""
        return float(self._ledger._data[0, self.entry])

    @fatigue.setter
    def fatigue(self, value: float) -> None:
        self._ledger._data[0, self.entry] = value

    @property
    def personnel_hours(self) -> float:
        """Personnel-hours the unit has worked so far (strength × hours on duty)."""
        return float(self._ledger._data[1, self.entry])

    # --- what the unit brings, used by the engine's adjudication -------------------------
    @property
    def effectiveness(self) -> float:
        """Fatigue erodes what a unit can do (never below half)."""
        return 1.0 - 0.5 * self.fatigue

    def coverage(self) -> list[tuple[int, float]]:
        """Districts this unit's presence and engagement reach, with weights summing to 1.

        A unit in its home posture covers home + area (e.g. Polsek Rogojampi also covers
        Blimbingsari); a unit moved elsewhere covers only where it is.
        """
        if self.travelling:
            return []
        if self.district == self.home and self.area:
            places = [self.home, *self.area]
            return [(d, 1.0 / len(places)) for d in places]
        return [(self.district, 1.0)]

    def contributions(self) -> tuple[float, float, float, float, float]:
        """What the unit brings where it stands, at full effectiveness: (presence,
        engagement, intelligence, arrests per hour, armed TPS guards). The engine scales
        them by ``effectiveness`` (fatigue). A travelling unit brings nothing."""
        if self.travelling:
            return (0.0, 0.0, 0.0, 0.0, 0.0)
        p, task, n = self.profile, self.task, self.strength
        presence = n * p.presence * TASK_PRESENCE[task]
        engagement = n * p.engagement if task == Task.ENGAGE else 0.0
        intel = n * p.intel * (1.0 if task in (Task.INTEL, Task.ENGAGE) else 0.3)
        if task in (Task.INTEL, Task.COUNTER_HOAX, Task.ENGAGE, Task.NEGOTIATE):
            arrests = 0.0
        else:
            arrests = n * p.arrest_rate * (2.0 if task == Task.DISPERSE else 1.0)
        # The P-T-L pattern counts police (and TNI) per TPS; Linmas are the L, not the P.
        guards = (float(n) if task == Task.GUARD_TPS and p.control_level > 0
                  and self.kind not in CIVIL_KINDS else 0.0)
        return (presence, engagement, intel, arrests, guards)

    def layout_row(self) -> tuple[tuple[float, ...], list[tuple[int, float]], float]:
        """(``contributions()``, ``coverage()``, ``counter_hoax()``), remembered until the
        unit's task, strength, place or travelling changes (all they depend on)."""
        key = (self.task, self.strength, bool(self.route), self.cell.coordinate)
        if key != self._row_key:
            self._row_key = key
            self._row = (self.contributions(), self.coverage(), self.counter_hoax())
        return self._row

    def presence(self) -> float:
        return self.contributions()[0] * self.effectiveness

    def acts_at_level(self, level: int, reached: int | None = None) -> bool:
        """Perkap 16/2006: a unit acts on a crowd at its own rung of the ladder (Dalmas Awal
        at hijau, Dalmas Lanjut/TNI cordon at kuning, PHH Brimob at merah). A unit committed
        to an incident that has reached its rung (``reached``: the highest colour so far)
        keeps control as the crowd calms, until it is resolved. A unit ordered to disperse
        acts at every level it can handle — which may be disproportionate; a negotiator
        talks instead of pushing."""
        need = level + 1
        cap = self.profile.control_level
        if cap < need or self.task == Task.NEGOTIATE or self.route:
            return False
        if cap == need or self.task == Task.DISPERSE:
            return True
        return self.task == Task.RESPOND and reached is not None and cap <= reached + 1

    def control_power(self) -> float:
        return self.strength * self.profile.control_power * self.effectiveness

    def negotiation_power(self) -> float:
        if self.travelling or self.task != Task.NEGOTIATE:
            return 0.0
        return self.strength * self.profile.negotiation * self.effectiveness

    def arrest_capacity(self, hours: float) -> float:
        """Arrests the unit can make in ``hours`` among actives where it stands (Epstein's
        cop rule, as a rate per person-hour)."""
        return self.contributions()[3] * hours * self.effectiveness

    def engagement(self) -> float:
        return self.contributions()[1] * self.effectiveness

    def intel(self) -> float:
        return self.contributions()[2] * self.effectiveness

    def counter_hoax(self) -> float:
        if self.task != Task.COUNTER_HOAX:
            return 0.0
        return self.strength * max(self.profile.counter_hoax, 0.2)


class PoliceUnit(SecurityUnit):
    """Polri: Polsek, Samapta, Dalmas, Brimob, Intelkam, Binmas, Bhabinkamtibmas, …"""


class TniUnit(SecurityUnit):
    """TNI under Polri operational control (BKO): Koramil, Babinsa, Kodim, Lanal.
    TNI do not arrest (their profile's arrest rate is 0) and back Polri up with cordons."""


class LinmasUnit(SecurityUnit):
    """Linmas: unarmed civil-defence volunteers guarding TPS (2 per TPS)."""
