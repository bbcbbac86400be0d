"""Read-only summaries of an exercise for charts: per-turn series and the map's state.

Only reads what the protocol and the recorder already hold (under the exercise lock);
no model logic.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from wargame.exercise import Exercise

SERIES = ("tension", "active_fraction", "incidents", "legitimacy", "personnel")


def _weights(view: dict[str, Any]) -> dict[str, float]:
    total = sum(d["population"] for d in view["districts"]) or 1
    return {d["id"]: d["population"] / total for d in view["districts"]}


def turn_series(ex: Exercise, view: dict[str, Any]) -> dict[str, list[float]]:
    """Per completed turn: population-weighted tension, active fraction and legitimacy (from
    the recorder's timeline), incidents opened, mean personnel committed."""
    w = _weights(view)
    with ex.lock:
        rows = list(ex.model.recorder.timeline)
        reports = [(r.start, r.end, r.metrics.get("personnel_hours", 0.0)) for r in ex.reports]
        incident_turns = [i.turn for i in ex.model.incidents]
    turns = len(reports)
    out: dict[str, list[float]] = {k: [0.0] * turns for k in SERIES}
    for r in rows:
        t = r["turn"]
        if t < turns:
            for k in ("tension", "active_fraction", "legitimacy"):
                out[k][t] += r[k] * w.get(r["district"], 0.0)
    for t in incident_turns:
        if 0 <= t < turns:
            out["incidents"][t] += 1
    prev = 0.0
    for t, (start, end, ph) in enumerate(reports):
        hours = (dt.datetime.fromisoformat(end) - dt.datetime.fromisoformat(start))
        h = max(hours.total_seconds() / 3600, 1e-9)
        out["personnel"][t] = (ph - prev) / h
        prev = ph
    return out


def map_state(view: dict[str, Any], ex: Exercise | None = None) -> dict[str, Any]:
    """What the map draws: per district the last turn's colour level and a tension value
    (ground truth for white/observer, blue's estimate for blue), markers of units, crowds
    and teams as the side sees them."""
    side = view["side"]
    level: dict[str, int] = {}
    tension: dict[str, float] = {}
    if side == "white" and ex is not None:
        with ex.lock:
            last = [r for r in ex.model.recorder.timeline if r["turn"] == ex.turn - 1]
        level = {r["district"]: r["level"] for r in last}
    if side == "white":
        tension = {r["district"]: r["tension"] for r in view["truth"]}
    elif side == "blue":
        tension = {e["district"]: e["tension"] for e in view["estimates"]}
    for inc in view.get("incidents", []):
        if inc.get("open"):
            level[inc["district"]] = max(level.get(inc["district"], -1), inc["level"])
    personnel: dict[str, int] = {}
    for u in view.get("units", []):
        personnel[u["district"]] = personnel.get(u["district"], 0) + u["strength"]
    if side == "red":
        personnel = {p["district"]: p["personnel"] for p in view["police_visible"]}
    crowds: dict[str, int] = {}
    for c in view.get("crowds", []):
        size = c.get("size", c.get("size_estimate", 0))
        crowds[c["district"]] = crowds.get(c["district"], 0) + size
    teams = [t["district"] for t in view.get("teams", view.get("provocateurs", []))
             if not t.get("arrested")]
    return {"level": level, "tension": tension, "personnel": personnel, "crowds": crowds,
            "teams": teams}
