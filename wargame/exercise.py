"""The exercise protocol: the one way every front end drives the engine.

    ex = Exercise(scenario, seed, blue=load_player("preemptive", "blue"))
    view = ex.observe("blue")            # a side's own picture (fog of war)
    ex.submit(Orders(side="blue", ...))  # sealed orders; returns a preview of verdicts
    report = ex.advance()                # adjudicate: white, blue, red orders; run the turn
    ex.report(turn, side="blue")         # what that side may read of a turn

The browser, the CLI, the batch runner and the tests all use it; nothing else steps the
model. Sides without a submission this turn are asked of their player (a doctrine or red
AI), if they have one; a side with neither simply holds its posture.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from wargame.catalog import load
from wargame.command import Referee
from wargame.model import WargameModel
from wargame.observation import SIDES, observe, timeline_rows
from wargame.orders import Orders, Verdict, describe
from wargame.players import Player
from wargame.scenario import Scenario

# Event kinds each player side may read in a turn report (white reads everything).
_BLUE_KINDS = {"incident", "escalation", "incident_closed", "crowd_formed", "crowd_dispersed",
               "hoax", "rally", "protest_call", "inject", "reinforcement", "team_detected",
               "team_arrested", "peace_declaration", "fire", "fire_out", "site_damaged",
               "evacuation", "staff_at_risk"}
_RED_KINDS = {"incident", "escalation", "incident_closed", "rally", "protest_call", "inject",
              "team_arrested", "hoax", "fire", "site_damaged"}


@dataclass
class TurnReport:
    """What happened in one turn and why: orders and their verdicts, injects, incidents."""

    turn: int
    stage: str
    start: str
    end: str
    verdicts: dict[str, list[Verdict]]
    events: list[dict[str, Any]]
    metrics: dict[str, float]
    summary: dict[str, Any] = field(default_factory=dict)

    def for_side(self, side: str, model: WargameModel) -> dict[str, Any]:
        """The part of this report ``side`` may read, as plain data."""
        if side == "white":
            events = self.events
        else:
            kinds = _BLUE_KINDS if side == "blue" else _RED_KINDS
            reported = {i.id for i in model.incidents if i.reported}
            events = [e for e in self.events if e["kind"] in kinds
                      and (e.get("incident") is None or e["incident"] in reported)
                      and (e["kind"] != "hoax" or side == "blue" or e.get("side") == "red")
                      and (e["kind"] != "team_detected" or side == "blue")]
        out = {"turn": self.turn, "stage": self.stage, "start": self.start, "end": self.end,
               "verdicts": [v.model_dump(mode="json") for v in self.verdicts.get(side, [])]
               if side != "white" else {s: [v.model_dump(mode="json") for v in vs]
                                        for s, vs in self.verdicts.items()},
               "events": events}
        if side == "white":
            out["metrics"] = self.metrics
            out["summary"] = self.summary
        return out

    def lines(self, side: str, model: WargameModel, lang: str = "en") -> list[str]:
        """A trainee-readable account of the turn for ``side``."""
        data = self.for_side(side, model)
        key = "text_en" if lang == "en" else "text_id"
        word = "Turn" if lang == "en" else "Giliran"
        out = [f"{word} {self.turn + 1} ({self.stage}) {self.start[:16]} → {self.end[:16]}"]
        verdicts = data["verdicts"] if side != "white" else [
            v for vs in data["verdicts"].values() for v in vs]
        for v in verdicts:
            line = Verdict.model_validate(v)
            if line.accepted:
                eta = ((f" (arrives in {line.eta_hours:.1f} h)" if lang == "en" else
                        f" (tiba dalam {line.eta_hours:.1f} jam)") if line.eta_hours else "")
                out.append(f"  ✔ {describe(line.line)}{eta}")
            else:
                why = line.reason_en if lang == "en" else line.reason_id
                out.append(f"  ✘ {describe(line.line)}: {why}")
        for e in data["events"]:
            if e["kind"] == "order":
                continue
            where = f"[{e['district']}] " if e.get("district") else ""
            out.append(f"  {e['time'][5:16]} {where}{e[key]}")
        return out


class Exercise:
    """One exercise run: a model, its referee, its players and the turn-by-turn record."""

    def __init__(self, scenario: Scenario | str, seed: int = 0, *,
                 blue: Player | None = None, red: Player | None = None,
                 scale: int | None = None) -> None:
        self.scenario = load(scenario) if isinstance(scenario, str) else scenario
        self.seed = seed
        self.model = WargameModel(self.scenario, seed=seed, scale=scale)
        self.referee = Referee(self.model)
        self.players: dict[str, Player | None] = {"blue": blue, "red": red, "white": None}
        self.submitted: dict[str, Orders] = {}
        self.reports: list[TurnReport] = []
        self.orders_log: list[Orders] = []  # every applied submission, in order
        self.lock = threading.RLock()  # browsers call in from several threads

    # ------------------------------------------------------------------ protocol
    @property
    def turn(self) -> int:
        return self.model.turn

    @property
    def finished(self) -> bool:
        return self.model.finished

    def observe(self, side: str) -> dict[str, Any]:
        """``side``'s view of the current turn (fog of war for blue and red)."""
        with self.lock:
            view = observe(self.model, side)
            view["submitted"] = sorted(self.submitted)
            if self.reports:
                view["last_report"] = self.reports[-1].for_side(side, self.model)
            return view

    def check(self, orders: Orders) -> list[Verdict]:
        """Validate orders without submitting them (live validation in a form)."""
        with self.lock:
            return self.referee.check(orders)

    def submit(self, orders: Orders) -> list[Verdict]:
        """Hand in a side's sealed orders for this turn (replacing an earlier submission).
        Returns the verdicts they would get now; they are applied when the turn advances."""
        with self.lock:
            if self.finished:
                raise RuntimeError("the exercise is over")
            self.submitted[orders.side] = orders
            return self.referee.check(orders)

    def advance(self) -> TurnReport:
        """Adjudicate the turn: white's, then blue's, then red's orders; run its ticks."""
        with self.lock:
            if self.finished:
                raise RuntimeError("the exercise is over")
            m = self.model
            turn = m.turn
            first_event = len(m.events)
            verdicts: dict[str, list[Verdict]] = {}
            for side in ("white", "blue", "red"):
                orders = self.submitted.get(side)
                player = self.players.get(side)
                if orders is None and player is not None:
                    orders = player.decide(observe(m, side))
                if orders is None:
                    continue
                if orders.side != side:
                    raise ValueError(f"{side}'s player returned orders for {orders.side}")
                verdicts[side] = self.referee.apply(orders)
                self.orders_log.append(orders)
            start = m.current_tick.start.isoformat()
            stage = m.current_tick.stage.id
            m.run_turn()
            end = m.ticks[m.tick_index - 1].end.isoformat()
            report = TurnReport(turn=turn, stage=stage, start=start, end=end,
                                verdicts=verdicts, events=m.events[first_event:],
                                metrics=m.metrics(),
                                summary=self._summary(turn))
            self.reports.append(report)
            self.submitted.clear()
            return report

    def run(self) -> dict[str, float]:
        """Play every remaining turn with the sides' players."""
        while not self.finished:
            self.advance()
        return self.model.metrics()

    def report(self, turn: int | None = None, side: str = "white") -> dict[str, Any]:
        if side not in SIDES:
            raise ValueError(f"unknown side {side!r}")
        with self.lock:
            rep = self.reports[-1 if turn is None else turn]
            return rep.for_side(side, self.model)

    def _summary(self, turn: int) -> dict[str, Any]:
        rows = timeline_rows(self.model, turn)
        return {"max_tension": max((r["tension"] for r in rows), default=0.0),
                "red_districts": [r["district"] for r in rows if r["level"] >= 2],
                "open_incidents": sum(1 for i in self.model.incidents if i.open)}
