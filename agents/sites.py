"""Sites: fixed places that crowds target and units guard (KPU, Bawaslu, PPK, warehouse,
and each district's TPS, gathered as one cluster per district)."""

from __future__ import annotations

import numpy as np
from mesa.discrete_space import FixedAgent


class ElectionSite(FixedAgent):
    """KPU office, Bawaslu, a PPK, the logistics warehouse, the police HQ …"""

    def __init__(self, model, *, site_id: str, kind: str, district: int, name: str) -> None:
        super().__init__(model)
        self.site_id = site_id
        self.kind = kind
        self.name = name
        self.cell = model.space[district]
        self.disrupted_hours = 0.0
        self.damaged = False
        self.fire_hours = 0.0  # burning for this long (0 = no fire)
        self.staff_at_risk = False

    @property
    def district(self) -> int:
        return self.cell.coordinate


class TpsCluster(FixedAgent):
    """All TPS (polling stations) of one district, by vulnerability class.

    On voting day each class draws disruption events at the stage rate (per 100 TPS per
    day), weighted by class and district vulnerability, reduced by how completely the TPS
    are guarded (the police–TPS ratio of the class pattern).
    """

    CLASS_WEIGHT = (1.0, 2.0, 4.0)  # kurang rawan, rawan, sangat rawan [I]

    def __init__(self, model, *, district: int, counts: tuple[int, int, int]) -> None:
        super().__init__(model)
        self.cell = model.space[district]
        self.counts = np.array(counts, dtype=float)
        self.disrupted = 0
        # (fixed: what every tick of voting day needs, as plain floats)
        self._per_class = tuple(self.counts.tolist())
        self._all = float(self.counts.sum())
        self._weighted = float((self.counts * self.CLASS_WEIGHT).sum()) / 100.0
        self._need: dict[tuple[float, float, float], tuple[float, ...]] = {}

    @property
    def district(self) -> int:
        return self.cell.coordinate

    @property
    def total(self) -> int:
        return int(self._all)

    def guard_coverage(self, guards: float, ratio: tuple[float, float, float]) -> float:
        """Share of TPS guarded to pattern, filling the most vulnerable classes first."""
        need = self._need.get(ratio)
        if need is None:  # (per class, then their sum: as numpy works them out)
            per_class = (self.counts * np.asarray(ratio)).tolist()
            need = self._need[ratio] = (*per_class, float(np.sum(per_class)))
        if need[3] <= 0:
            return 1.0
        counts = self._per_class
        covered = 0.0
        left = guards
        for i in (2, 1, 0):
            take = min(left, need[i])
            covered += take / need[i] * counts[i] if need[i] > 0 else counts[i]
            left -= take
        return float(covered / self._all)

    def disruption_events(self, rate_per_100_day: float, hours: float, vulnerability: float,
                          coverage: float, deterrence: float,
                          rng: np.random.Generator) -> int:
        lam = (rate_per_100_day * self._weighted * (1 + vulnerability) * hours / 24.0
               * (1 - deterrence * coverage))
        return int(rng.poisson(max(lam, 0.0)))
