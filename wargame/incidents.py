"""Incidents: disturbances on the Perkap 16/2006 ladder, hijau (0) → kuning (1) → merah (2).

An incident is a record, not a decider: it is created by a crowd reaching a place, a rally
clash or a TPS scuffle, and adjudicated each tick by ``wargame.dynamics.escalation_step``
against the force on the spot that may act at its level.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LEVELS = ("hijau", "kuning", "merah")
LEVELS_EN = ("green: orderly", "yellow: disorderly", "red: law-breaking")


@dataclass
class Incident:
    id: int
    kind: str  # "rally", "tps_disruption", "protest", "unrest"
    district: int
    tick: int
    turn: int
    crowd_size: float
    cause: str
    site: str | None = None
    crowd_id: int | None = None  # unique_id of the Crowd agent feeding it
    level: int = 0
    max_level: int = 0
    hours_controlled: float = 0.0
    hours_open: float = 0.0
    open: bool = True
    injured: int = 0
    tps_counted: bool = False
    reported: bool = False  # known to blue (reported by a unit, intelligence or the public)
    negotiated: bool = False
    # Why it moved last: the force that could act at its colour vs what the crowd needed.
    last_power: float = 0.0
    last_need: float = 0.0
    last_acting: tuple[str, ...] = ()
    teams: int = 0  # provocateur teams at work there that blue has detected
    closed_tick: int | None = None
    history: list[tuple[int, int]] = field(default_factory=list)  # (tick, level) changes

    @property
    def level_name(self) -> str:
        return LEVELS[self.level]

    def why(self) -> tuple[str, str]:
        """The adjudication behind the last change, in Bahasa Indonesia and English."""
        who = ", ".join(self.last_acting[:4]) or "-"
        prov = f"; {self.teams} kelompok provokator" if self.teams else ""
        prov_en = f"; {self.teams} provocateur team(s) at work" if self.teams else ""
        return (f"kekuatan di lokasi {self.last_power:.0f} dari {self.last_need:.0f} yang "
                f"dibutuhkan ({who}){prov}",
                f"force on the spot {self.last_power:.0f} of {self.last_need:.0f} needed "
                f"({who}){prov_en}")
