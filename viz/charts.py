"""Matplotlib figures (rendered to PNG on the server: no CDN, nothing to load in the browser)."""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from typing import Any

import solara
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from viz.i18n import LEVEL_NAMES, t
from viz.live import _context
from viz.series import SERIES

LEVEL_COLOURS = {0: "#2e9d45", 1: "#f2c418", 2: "#d7301f"}
TENSION = LinearSegmentedColormap.from_list("tension", ["#eef2f7", "#f4a582", "#b2182b"])


def map_figure(view: dict[str, Any], state: dict[str, Any], title: str, lng: str) -> Figure:
    """The district graph at (lon, lat): fill by colour level, else by tension; blue squares
    for personnel, red circles for crowds, black triangles for provocateur teams."""
    fig = Figure(figsize=(5.0, 6.2), dpi=80)
    ax = fig.subplots()
    pos = {d["id"]: (d["lon"], d["lat"]) for d in view["districts"]}
    for e in view["edges"]:
        (x1, y1), (x2, y2) = pos[e["a"]], pos[e["b"]]
        ax.plot([x1, x2], [y1, y2], color="#b0b7c3", lw=0.8, zorder=1)
    ids = [d["id"] for d in view["districts"]]
    xs = [pos[d][0] for d in ids]
    ys = [pos[d][1] for d in ids]
    lvls = [state["level"].get(d, -1) for d in ids]
    colours = [LEVEL_COLOURS[lv] if lv >= 0 else TENSION(state["tension"].get(d, 0.0))
               for d, lv in zip(ids, lvls, strict=True)]
    ax.scatter(xs, ys, s=260, c=colours, edgecolors="#333", linewidths=0.6, zorder=2)
    for d in view["districts"]:
        ax.text(pos[d["id"]][0], pos[d["id"]][1] - 0.022, d["name"], ha="center",
                fontsize=6.5, color="#222")
    for key, dx, marker, colour, k in (("personnel", 0.012, "s", "#1f4e9c", 2.5),
                                      ("crowds", -0.012, "o", "#d7301f", 1.5)):
        here = [d for d in ids if state[key].get(d)]
        ax.scatter([pos[d][0] + dx for d in here], [pos[d][1] + 0.012 for d in here],
                   s=[6 + state[key][d] ** 0.5 * k for d in here], marker=marker,
                   color=colour, zorder=3, alpha=0.85)
    if state["teams"]:
        ax.scatter([pos[d][0] for d in state["teams"]],
                   [pos[d][1] - 0.014 for d in state["teams"]], marker="^", color="black",
                   s=30, zorder=4)
    for lvl, c in LEVEL_COLOURS.items():
        ax.scatter([], [], color=c, s=60, label=LEVEL_NAMES[lvl][lng])
    ax.scatter([], [], marker="s", color="#1f4e9c", label=t("unit", lng))
    ax.scatter([], [], marker="o", color="#d7301f", label=t("crowd", lng))
    ax.legend(loc="lower left", fontsize=7, frameon=False, ncol=3)
    ax.set_title(title, fontsize=10)
    ax.set_aspect("equal")
    ax.tick_params(labelsize=6)
    fig.subplots_adjust(left=0.1, right=0.98, top=0.95, bottom=0.04)
    return fig


def series_figure(current: dict[str, list[float]],
                  previous: dict[str, list[float]] | None, lng: str) -> Figure:
    """Five small time series (per turn); a previous run, if given, dashed in grey."""
    fig = Figure(figsize=(9.6, 3.4), dpi=80)
    axes = fig.subplots(1, len(SERIES))
    for ax, key in zip(axes, SERIES, strict=True):
        if previous is not None:
            ax.plot(range(1, len(previous[key]) + 1), previous[key], color="#888", ls="--",
                    lw=1.2, label=t("previous", lng))
        ys = current[key]
        ax.plot(range(1, len(ys) + 1), ys, color="#1f4e9c", lw=1.6, marker="o", ms=2.5,
                label=t("current", lng))
        ax.set_title(t(key, lng), fontsize=9)
        ax.set_xlabel(t("turn", lng), fontsize=7)
        ax.tick_params(labelsize=6)
        ax.grid(alpha=0.3)
    if previous is not None:
        axes[0].legend(fontsize=6, frameon=False)
    fig.subplots_adjust(left=0.04, right=0.99, top=0.9, bottom=0.14, wspace=0.32)
    return fig


_DRAW = threading.Lock()  # one figure at a time: parallel draws only fight over the GIL
_CACHE: OrderedDict[tuple, bytes] = OrderedDict()


def png_of(make, key: tuple | None) -> bytes:
    """Draw ``make()`` to PNG once per ``key``: every browser showing the same exercise,
    turn, side and language gets the same picture (``None``: never cached)."""
    with _DRAW:
        if key is not None and key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
        buf = io.BytesIO()
        make().savefig(buf, format="png")
        data = buf.getvalue()
        if key is not None:
            _CACHE[key] = data
            while len(_CACHE) > 64:
                _CACHE.popitem(last=False)
        return data


# Charts are drawn by a small pool of ordinary (non-daemon) threads: the interpreter waits
# for a drawing in progress at exit instead of tearing native plotting code down under it.
_DRAWING = ThreadPoolExecutor(2, thread_name_prefix="wg-chart")


@solara.component
def Chart(make, dependencies: list, kind: str = "chart", key: tuple | None = None):
    """A figure as a PNG image, drawn in a background thread when ``dependencies`` change:
    the page updates at once and the new picture follows (one re-render, of this component
    only); the last picture stays meanwhile."""
    png, set_png = solara.use_state(b"")

    def draw():
        ctx = _context()
        cancelled = threading.Event()

        def run():
            data = png_of(make, key)
            if not cancelled.is_set():
                with ctx if ctx is not None else nullcontext():
                    set_png(data)

        _DRAWING.submit(run)
        return cancelled.set

    solara.use_effect(draw, dependencies)
    with solara.Div(classes=["wg-chart", f"wg-{kind}"]):
        if png:
            solara.Image(png)
        else:
            solara.ProgressLinear(True)
