"""Outcomes of a run (the analyst's metrics) and its per-turn, per-district timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from wargame.rounding import rounded

if TYPE_CHECKING:
    from wargame.calendar import Tick
    from wargame.model import WargameModel

# The outcome names every front end can rely on (README, ODD §7 and `wargame run --json`).
OUTCOMES = (
    "incidents_total", "incidents_red", "district_turns_red", "peak_active_fraction",
    "mean_active_fraction", "injured", "arrests", "tps_disrupted", "legitimacy_final",
    "personnel_hours",
)


class Recorder:
    """Collects what the model did, tick by tick and turn by turn."""

    def __init__(self, model: WargameModel) -> None:
        self.model = model
        self.active_fraction: list[float] = []
        self.tension: list[float] = []
        self.injured = 0
        self.treated = 0
        self.arrests = 0
        self.tps_disrupted = 0
        self.money_politics = 0
        self.money_politics_detected = 0
        self.turn_level = np.full(model.n, -1)  # highest colour per district this turn
        self.district_turns_red = 0
        self.timeline: list[dict[str, Any]] = []

    def record_tick(self, tick: Tick) -> None:
        m = self.model
        # (a count over the size: the same double as the mean of the boolean mask)
        self.active_fraction.append(m.actives().size / m.pop.size)
        w = m.citizens_per_district
        self.tension.append(float((m.tension * w).sum() / w.sum()))

    def note_level(self, district: int, level: int) -> None:
        """An incident in ``district`` stood at ``level`` during this tick."""
        self.turn_level[district] = max(self.turn_level[district], level)

    def record_turn(self, turn: int) -> None:
        m = self.model
        self.district_turns_red += int((self.turn_level >= 2).sum())
        tick = m.ticks[m.tick_index - 1]
        time = tick.end.isoformat()
        n = m.n
        # the six fields rounded to 6 places, as round() rounds each (one call for all)
        at6 = rounded(np.concatenate((m.tension, m.active_share, m.rumour, m.legit_police,
                                      m.legit_election, self.perceived_legitimacy())), 6)
        for i, (d, level) in enumerate(zip(m.district_ids, self.turn_level.tolist(),
                                           strict=True)):
            self.timeline.append({
                "turn": turn, "stage": tick.stage.id, "time": time,
                "district": d, "tension": at6[i],
                "active_fraction": at6[n + i],
                "rumour": at6[2 * n + i],
                "legitimacy_police": at6[3 * n + i],
                "legitimacy_election": at6[4 * n + i],
                "legitimacy": at6[5 * n + i],
                "level": level,
                "crowd": int(m.crowds[i].size) if i in m.crowds else 0,
            })
        self.turn_level[:] = -1

    def perceived_legitimacy(self) -> np.ndarray:
        m = self.model
        w = m.params.legitimacy.election_weight
        return (1 - w) * m.legit_police + w * m.legit_election

    def metrics(self) -> dict[str, float]:
        m = self.model
        pop_w = m.population_real / m.population_real.sum()
        af = np.array(self.active_fraction) if self.active_fraction else np.zeros(1)
        return {
            "incidents_total": len(m.incidents),
            "incidents_red": sum(1 for i in m.incidents if i.max_level >= 2),
            "incidents_kuning": sum(1 for i in m.incidents if i.max_level >= 1),
            "district_turns_red": self.district_turns_red,
            "peak_active_fraction": float(af.max()),
            "mean_active_fraction": float(af.mean()),
            "peak_tension": float(max(self.tension, default=0.0)),
            "injured": self.injured,
            "injured_untreated": self.injured - self.treated,
            "sites_damaged": sum(1 for s in m.sites if s.damaged),
            "arrests": self.arrests,
            "tps_disrupted": self.tps_disrupted,
            "money_politics": self.money_politics,
            "legitimacy_final": float((self.perceived_legitimacy() * pop_w).sum()),
            # (summed in the units' order, one after another, as the units' own sum would)
            "personnel_hours": float(sum(m.unit_ledger.hours.tolist())),
        }
