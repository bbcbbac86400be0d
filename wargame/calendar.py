"""The election calendar unrolled into turns and ticks.

Stages have real dates; a stage's days are split evenly over its turns × ticks, so a tick
in the campaign spans more hours than a tick on voting day. Rates in the model are per
hour or per day and are scaled by each tick's length, so the same mechanism works at
every tempo.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wargame.scenario import Calendar, Stage


@dataclass(frozen=True, slots=True)
class Tick:
    index: int  # global tick number
    turn: int  # global turn number
    stage: Stage
    stage_index: int
    start: dt.datetime
    hours: float
    start_text: str  # ``start.isoformat()``, stamped on every event of the tick


    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(hours=self.hours)


# Calendars unrolled lately (by identity; each kept with its calendar, so that the id
# stays its own): every model of a batch unrolls the same few.
_UNROLLED: dict[int, tuple[Calendar, tuple[Tick, ...]]] = {}
_KEPT = 16


def unroll(calendar: Calendar) -> tuple[Tick, ...]:
    """Every tick of the calendar, in order: worked out once per (frozen) calendar, and
    shared, since ticks are immutable."""
    kept = _UNROLLED.get(id(calendar))
    if kept is not None and kept[0] is calendar:
        return kept[1]
    ticks = _unroll(calendar)
    if len(_UNROLLED) >= _KEPT:
        _UNROLLED.pop(next(iter(_UNROLLED)), None)
    _UNROLLED[id(calendar)] = (calendar, ticks)
    return ticks


def _unroll(calendar: Calendar) -> tuple[Tick, ...]:
    ticks: list[Tick] = []
    turn = 0
    for si, stage in enumerate(calendar.stages):
        start = dt.datetime.combine(stage.start, dt.time())
        days = (stage.end - stage.start).days + 1
        n = stage.turns * stage.ticks_per_turn
        hours = days * 24.0 / n
        for t in range(stage.turns):
            for k in range(stage.ticks_per_turn):
                i = t * stage.ticks_per_turn + k
                at = start + dt.timedelta(hours=i * hours)
                ticks.append(Tick(len(ticks), turn, stage, si, at, hours, at.isoformat()))
            turn += 1
    return tuple(ticks)


def turn_count(calendar: Calendar) -> int:
    return sum(s.turns for s in calendar.stages)
