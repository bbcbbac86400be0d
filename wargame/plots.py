"""Distribution plots of a doctrine comparison: one PNG per outcome.

Box plots show the spread a mean and its interval hide (a doctrine can win on average and
still have the worst tail); each run is drawn on top as a jittered point. With a sweep
there is one panel per sweep point. Matplotlib is driven through its object API on an Agg
canvas — never ``pyplot`` — so no display is needed and a notebook's backend is left alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from wargame.stats import MAIN_OUTCOMES, point_columns

_LABELS = {
    "incidents_red": "incidents reaching merah",
    "district_turns_red": "district-turns at merah",
    "peak_active_fraction": "peak share of citizens active",
    "injured": "injured",
    "arrests": "arrests",
    "legitimacy_final": "perceived legitimacy at the end",
    "personnel_hours": "personnel-hours",
}


def _point_title(row: pd.Series, cols: Sequence[str]) -> str:
    return ", ".join(f"{c.rsplit('.', 1)[-1]}={row[c]}" for c in cols) or "all runs"


def plot_outcome(df: pd.DataFrame, outcome: str, path: Path,
                 doctrines: Sequence[str] | None = None) -> Path:
    """Box + strip plot of ``outcome`` per doctrine (one panel per sweep point)."""
    ok = df[df["status"] == "ok"]
    doctrines = list(doctrines or dict.fromkeys(df["doctrine"]))
    swept = point_columns(df)
    points = sorted(ok["point"].unique()) if "point" in ok.columns else [0]
    ncols = min(len(points), 3)
    nrows = math.ceil(len(points) / ncols) if points else 1
    fig = Figure(figsize=(max(4.0, 1.3 * len(doctrines) + 1.5) * ncols, 3.6 * nrows),
                 layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False, sharey=True)
    rng = np.random.default_rng(0)  # jitter only; fixed so the same runs give the same PNG
    for ax, p in zip(axes.flat, points, strict=False):
        sub = ok[ok["point"] == p] if "point" in ok.columns else ok
        data = [sub.loc[sub["doctrine"] == d, outcome].dropna().to_numpy(dtype=float)
                for d in doctrines]
        shown = [x if x.size else np.array([np.nan]) for x in data]
        ax.boxplot(shown, tick_labels=doctrines, showmeans=True, widths=0.55,
                   medianprops={"color": "black"},
                   meanprops={"marker": "D", "markerfacecolor": "white",
                              "markeredgecolor": "black", "markersize": 5})
        for i, x in enumerate(data, start=1):
            ax.scatter(i + rng.uniform(-0.18, 0.18, x.size), x, s=9, alpha=0.45,
                       color=f"C{(i - 1) % 10}", zorder=3, linewidths=0)
        if len(points) > 1 and not sub.empty:
            ax.set_title(_point_title(sub.iloc[0], swept), fontsize=9)
        ax.tick_params(axis="x", labelrotation=20 if len(doctrines) > 3 else 0)
        ax.grid(axis="y", alpha=0.3)
    for ax in list(axes.flat)[len(points):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(_LABELS.get(outcome, outcome))
    n = ok.groupby(["point", "doctrine"]).size().max() if "point" in ok.columns else len(ok)
    fig.suptitle(f"{outcome} per doctrine (box: quartiles, ◇ mean, dots: runs; "
                 f"up to {n} runs each)", fontsize=10)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    return path


def plot_outcomes(df: pd.DataFrame, out_dir: Path,
                  outcomes: Sequence[str] = MAIN_OUTCOMES,
                  doctrines: Sequence[str] | None = None) -> list[Path]:
    """``out_dir/<outcome>.png`` for each outcome present in ``df``."""
    if (df["status"] == "ok").sum() == 0:
        return []
    return [plot_outcome(df, o, Path(out_dir) / f"{o}.png", doctrines)
            for o in outcomes if o in df.columns]
