"""The red cell's pieces: provocateur teams (provokator) that agitate crowds.

A team is small, mobile and hard to see: it raises the share of people visibly out on the
street in the district where it works (Granovetter's instigators, Brichoux & Johnson's
committed activists) and makes incidents there escalate faster. Blue finds teams through
intelligence and takes them out with plain-clothes arrests (step 7 of the Sispamkota
escalation script).
"""

from __future__ import annotations

from agents.movement import Traveller


class ProvocateurTeam(Traveller):
    """A provocateur team of the red cell."""

    def __init__(self, model, *, team_id: str, size: int, district: int,
                 speed_kmh: float) -> None:
        super().__init__(model)
        self.team_id = team_id
        self.size = size
        self.active = False  # dormant until the red cell sends it somewhere
        self.detected = False
        self.arrested = False
        self._init_travel(speed_kmh)
        self.cell = model.space[district]

    @property
    def agitating(self) -> bool:
        """A team works where it stands, once it has arrived and while free."""
        return not self.arrested and not self.travelling

    def step_tick(self, hours: float) -> None:
        if not self.arrested:
            self.travel(hours)
