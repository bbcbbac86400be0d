"""Crowds: the active citizens of one district, gathered, able to march on a site.

A crowd holds no citizens of its own: its members are the active citizens of its origin
district (wargame.population), so citizens are never created or lost. The crowd decides
where to go; the engine decides who is active, who is arrested and how an incident at the
crowd's place escalates.
"""

from __future__ import annotations

import numpy as np

from agents.movement import Traveller


class Crowd(Traveller):
    """Massa: a crowd formed from one district's actives, following one Paslon (or none)."""

    def __init__(self, model, *, origin: int, affiliation: int, size: int,
                 speed_kmh: float) -> None:
        super().__init__(model)
        self.origin = origin
        self.affiliation = affiliation
        self.size = size
        self.target_site: str | None = None
        self.hours_marching = 0.0
        self.peak_size = size
        # Where and at what size its last incident was brought under control: a contained
        # crowd opens a new incident only by moving on or growing by half.
        self.contained_at: tuple[int, float] | None = None
        self._init_travel(speed_kmh)
        self.cell = model.space[origin]

    def choose_target(self, sites: list[tuple[str, int, float]], decay_km: float,
                      rng: np.random.Generator) -> None:
        """Davies et al. (2013) spatial interaction: pick a target site with probability
        proportional to exp(−distance / decay). ``sites`` are (site id, district, km)."""
        if not sites or self.target_site is not None:
            return
        km = np.array([s[2] for s in sites], dtype=float)
        w = np.exp(-km / decay_km)
        choice = int(rng.choice(len(sites), p=w / w.sum()))
        self.target_site, node, _ = sites[choice]
        if node != self.district:
            self.set_destination(node)

    def flares_up(self) -> bool:
        """Is the crowd (again) an incident where it stands?"""
        if self.travelling:
            return False
        if self.contained_at is None:
            return True
        place, size = self.contained_at
        return place != self.district or self.size > 1.5 * size

    def step_tick(self, hours: float, max_hours: float, speed: float = 1.0) -> None:
        """March toward the target (``speed`` < 1 at a checkpoint or in the rain); a crowd
        that cannot get there in time gives up."""
        if self.travelling:
            self.hours_marching += hours
            if self.hours_marching > max_hours:
                self.route = []
            else:
                self.travel(hours * speed)
        self.peak_size = max(self.peak_size, self.size)
