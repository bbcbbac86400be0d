"""Supporter groups: the organised supporters of one Paslon in one district.

They decide when to hold a campaign rally and, once a result is known, whether to call
their people out in protest. Both decisions put supporters on the street — a visible
share that enters every citizen's Granovetter threshold comparison.
"""

from __future__ import annotations

import numpy as np
from mesa import Agent
from numpy.typing import NDArray


def decide(*, hours: float, stage, share: NDArray, losing: NDArray, grievance: NDArray,
           threshold: float, partisan_share: float, vulnerability: NDArray,
           draws: NDArray) -> tuple[NDArray, NDArray, NDArray]:
    """Every group's rally and protest call this tick, and the share of its district's
    residents it puts on the street. Returns (rally, protest_call, mobilised) arrays.

    Rally: at the stage's rally rate, more often where the Paslon is strong (``share``) and
    the district is vulnerable. Protest call: at the stage's protest rate, by the losing
    side, more likely the more aggrieved its supporters are (mean G relative to T).
    Mobilisation = stage mobilisation × how aggrieved × this Paslon's partisans.
    One row of ``draws`` (two uniform numbers from the model's generator) per group; one
    group per element of the other arrays (all the groups decide at once, as arrays).
    """
    days = hours / 24.0
    rally_rate = stage.threat.rally * 2 * share * (1 + vulnerability)
    rally = draws[:, 0] < 1 - np.exp(-rally_rate * days)
    drive = np.minimum(np.maximum(grievance / max(threshold, 1e-9), 0.0), 3.0)
    protest_rate = stage.threat.protest * np.where(losing, 1.0, 0.1) * drive
    protest = draws[:, 1] < 1 - np.exp(-protest_rate * days)
    side = np.where(losing | (not stage.result_known), 1.0, 0.2)
    base = stage.mobilisation * side * drive
    burst = np.where(rally, 0.05, 0.0) + np.where(protest, 0.15, 0.0)
    mobilised = partisan_share * share * np.minimum(1.0, base + burst)
    return rally, protest, mobilised


class SupporterGroup(Agent):
    """Tim pemenangan / relawan of one Paslon in one district. The groups decide together
    (``decide``, one array operation); each keeps its own record."""

    def __init__(self, model, *, candidate: int, district: int, share: float) -> None:
        super().__init__(model)
        self.candidate = candidate
        self.district = district
        self.share = share  # local support share of this Paslon
        self.rallies = 0
        self.protest_calls = 0
