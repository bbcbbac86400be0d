"""Supporter groups: the organised supporters of one Paslon in one district.

They decide when to hold a campaign rally and, once a result is known, whether to call
their people out in protest. Both decisions put supporters on the street — a visible
share that enters every citizen's Granovetter threshold comparison.
"""

from __future__ import annotations

import math

from mesa import Agent


class SupporterGroup(Agent):
    """Tim pemenangan / relawan of one Paslon in one district."""

    def __init__(self, model, *, candidate: int, district: int, share: float) -> None:
        super().__init__(model)
        self.candidate = candidate
        self.district = district
        self.share = share  # local support share of this Paslon
        self.mobilised = 0.0  # share of district residents on the street this tick
        self.rallies = 0
        self.protest_calls = 0

    def decide(self, *, hours: float, stage, losing: bool, grievance: float, threshold: float,
               partisan_share: float, vulnerability: float,
               draws: tuple[float, float]) -> tuple[bool, bool]:
        """Decide this tick's rally and protest call. Returns (rally, protest_call).

        Rally: at the stage's rally rate, more often where the Paslon is strong and the
        district is vulnerable. Protest call: at the stage's protest rate, by the losing
        side, more likely the more aggrieved its supporters are (mean G relative to T).
        Mobilisation = stage mobilisation × how aggrieved × this Paslon's partisans.
        ``draws`` are two uniform numbers from the model's generator.
        """
        days = hours / 24.0
        rally_rate = stage.threat.rally * 2 * self.share * (1 + vulnerability)
        rally = draws[0] < 1 - math.exp(-rally_rate * days)
        drive = min(max(grievance / max(threshold, 1e-9), 0.0), 3.0)
        protest_rate = stage.threat.protest * (1.0 if losing else 0.1) * drive
        protest = draws[1] < 1 - math.exp(-protest_rate * days)
        side = 1.0 if losing or not stage.result_known else 0.2
        base = stage.mobilisation * side * drive
        burst = (0.05 if rally else 0.0) + (0.15 if protest else 0.0)
        self.mobilised = partisan_share * self.share * min(1.0, base + burst)
        self.rallies += rally
        self.protest_calls += protest
        return bool(rally), bool(protest)
