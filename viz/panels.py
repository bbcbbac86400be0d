"""Panels shared by several pages: header, map, charts, metrics, incidents, report, clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipyvuetify as v
import solara
import traitlets

from viz.charts import Chart, map_figure, series_figure
from viz.html import Table
from viz.i18n import LEVEL_NAMES, lang, pick, t
from viz.series import map_state, turn_series
from wargame.exercise import Exercise


@solara.component
def Header(view: dict[str, Any], title: str):
    stage = view["stage"]
    turn = min(view["turn"] + 1, view["turns"])
    with solara.Row(style={"align-items": "baseline", "flex-wrap": "wrap"}):
        solara.Text(title, style={"font-size": "1.3em", "font-weight": "bold"})
        solara.Text(f"{t('turn')} {turn}/{view['turns']}", classes=["wg-turn"],
                    style={"font-size": "1.2em"})
        solara.Text(f"{t('stage')}: {pick(stage['name'], stage['name_en'])}")
        solara.Text(view["time"][:16].replace("T", " "))
        if view["finished"]:
            solara.Success(t("finished"), dense=True)


@solara.component
def MapPanel(view: dict[str, Any], ex: Exercise, version: int, title: str,
             shared: str | None = None):
    """``shared``: an exercise id — pages of the same exercise share the drawn picture."""
    lng = lang.value
    state = map_state(view, ex)
    key = (shared, view["side"], view["turn"], lng, "map") if shared else None
    with solara.Card(title, classes=["wg-map-card"]):
        Chart(lambda: map_figure(view, state, title, lng), [version, lng, view["side"]],
              kind="map", key=key)


@solara.component
def ChartsPanel(ex: Exercise, view: dict[str, Any], version: int,
                previous: dict[str, list[float]] | None = None, run: int = 0,
                shared: str | None = None):
    lng = lang.value
    current = turn_series(ex, view)
    key = (shared, view["turn"], lng, "series") if shared else None
    with solara.Card(t("charts"), classes=["wg-charts-card"]):
        Chart(lambda: series_figure(current, previous, lng),
              [version, lng, run, previous is not None], kind="series", key=key)


@solara.component
def MetricsTable(metrics: dict[str, float], previous: dict[str, float] | None = None):
    cols = ["", t("current")] + ([t("previous")] if previous else [])
    rows = [[k, _fmt(v)] + ([_fmt(previous.get(k, 0))] if previous else [])
            for k, v in metrics.items()]
    with solara.Card(t("metrics"), classes=["wg-metrics"]):
        Table(cols, rows)


def _fmt(v: float) -> str:
    return f"{v:,.3f}" if isinstance(v, float) and not float(v).is_integer() else f"{v:,.0f}"


@solara.component
def IncidentFeed(incidents: list[dict[str, Any]], limit: int = 12):
    rows = [[f"#{i['id']}", i["district"], i["kind"], LEVEL_NAMES[max(i["level"], 0)][lang.value],
             f"~{i['crowd_estimate']}", t("open") if i["open"] else t("closed"),
             i.get("cause", "")] for i in sorted(incidents, key=lambda i: -i["id"])[:limit]]
    with solara.Card(t("incident_feed"), classes=["wg-incidents"]):
        Table(["#", t("district"), "", "", t("crowd"), "", ""], rows)


@solara.component
def ReportPanel(lines: list[str]):
    with solara.Card(t("report"), classes=["wg-report"]):
        if not lines:
            solara.Text(t("no_report"))
        else:
            solara.Preformatted("\n".join(lines))


class CountdownWidget(v.VuetifyTemplate):
    """Counts down in the browser (no server round trip every second)."""

    template_file = (__file__, "countdown.vue")
    deadline = traitlets.Float(0).tag(sync=True)  # epoch milliseconds
    label = traitlets.Unicode("").tag(sync=True)
    overdue = traitlets.Unicode("").tag(sync=True)


@solara.component
def Countdown(settings: dict[str, Any]):
    """Time left in the turn (the facilitator sets minutes per turn; display only)."""
    minutes = settings.get("minutes") or 0
    if not minutes:
        return
    start = dt.datetime.fromisoformat(settings["turn_started"]).timestamp()
    CountdownWidget.element(deadline=(start + minutes * 60) * 1000, label=t("deadline"),
                            overdue=t("overdue"))


def report_lines(ex: Exercise, side: str) -> list[str]:
    with ex.lock:
        if not ex.reports:
            return []
        return ex.reports[-1].lines(side, ex.model, lang.value)
