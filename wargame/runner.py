"""Headless runs: the Python API behind `wargame run` (and, later, batch comparisons)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np

from wargame.catalog import load
from wargame.model import WargameModel
from wargame.scenario import Scenario


def run_scenario(scenario: Scenario | str, seed: int = 0, scale: int | None = None,
                 timeline: str | Path | None = None) -> dict[str, Any]:
    """Run a whole calendar headless and return ``{"scenario", "seed", "metrics"}``.

    Same scenario + seed → identical result, on any machine: every draw comes from the
    model's own numpy Generator.
    """
    sc = load(scenario) if isinstance(scenario, str) else scenario
    model = WargameModel(sc, seed=seed, scale=scale)
    metrics = model.run()
    if timeline is not None:
        write_timeline(model, timeline)
    return {"scenario": sc.meta.id, "seed": seed, "metrics": metrics, "model": model}


def write_timeline(model: WargameModel, path: str | Path) -> None:
    """Per-turn, per-district values as CSV (one row per district per turn)."""
    rows = model.recorder.timeline
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["turn"])
        writer.writeheader()
        writer.writerows(rows)


def summary_lines(model: WargameModel, metrics: dict[str, float], seed: int) -> list[str]:
    """A readable summary of a run, for the terminal."""
    sc = model.setting
    lines = [f"{sc.meta.name_en} — seed {seed}",
             f"{model.n_citizens:,} synthetic citizens (1 : {model.pop.scale}), "
             f"{len(model.units)} units, {len(model.ticks)} ticks in "
             f"{model.ticks[-1].turn + 1} turns"]
    by_stage: dict[str, list[float]] = {}
    for tick, a, t in zip(model.ticks, model.recorder.active_fraction, model.recorder.tension,
                          strict=True):
        s = by_stage.setdefault(tick.stage.id, [0.0, 0.0])
        s[0], s[1] = max(s[0], a), max(s[1], t)
    lines.append("stage            peak active   peak tension")
    for st in sc.calendar.stages:
        a, t = by_stage.get(st.id, [0.0, 0.0])
        lines.append(f"  {st.name_en[:14]:<14} {a:>10.2%} {t:>13.1%}")
    worst = np.argsort([-sum(1 for i in model.incidents if i.district == d and i.max_level >= 2)
                        for d in range(model.n)])[:3]
    lines.append("outcomes")
    for k, v in metrics.items():
        lines.append(f"  {k:<24} {v:,.4g}" if isinstance(v, float) else f"  {k:<24} {v:,}")
    reds = [model.district_ids[i] for i in worst
            if any(x.district == i and x.max_level >= 2 for x in model.incidents)]
    if reds:
        lines.append("districts with most merah incidents: " + ", ".join(reds))
    return lines
