"""Facilitator console (white cell, ``/facilitator/<code>``): ground truth, MSEL, the clock."""

from __future__ import annotations

import solara

from viz.hub import Session, get_hub
from viz.i18n import t
from viz.live import use_live
from viz.lobby import Codes
from viz.msel import MselPanel
from viz.panels import (
    ChartsPanel,
    Countdown,
    Header,
    IncidentFeed,
    MapPanel,
    MetricsTable,
    ReportPanel,
    report_lines,
)
from wargame.orders import describe

SIDES = ("blue", "red", "white")


@solara.component
def TurnControl(s: Session, view: dict):
    took, set_took = solara.use_state(None)
    error, set_error = solara.use_state("")

    def advance():
        try:
            set_took(get_hub().advance(s.id))
            set_error("")
        except RuntimeError as exc:
            set_error(str(exc))

    with solara.Card(classes=["wg-turn-control"]):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            for side in ("blue", "red"):
                who = t("person") if s.human(side) else f"AI: {s.blue if side == 'blue' else s.red}"
                done = side in view["submitted"]
                mark = "✔ " + t("submitted") if done else "… " + t("not_submitted")
                solara.Text(f"{t('role_' + side)} ({who}): {mark}",
                            classes=[f"wg-status-{side}"],
                            style={"color": "#2e7d32" if done else "#8d6e00"})
            solara.v.Spacer()
            solara.InputInt(t("minutes"), value=s.settings.get("minutes", 0),
                            on_value=lambda m: get_hub().set_minutes(s.id, m or 0),
                            style={"max-width": "140px"})
            solara.Button(t("advance"), on_click=advance, color="primary",
                          disabled=view["finished"], classes=["wg-advance"])
        if took is not None:
            solara.Text(f"{took * 1000:.0f} ms", style={"font-size": "0.8em", "color": "#666"})
        if error:
            solara.Error(error, dense=True)


@solara.component
def OrdersView(s: Session, version: int):
    side, set_side = solara.use_state("blue")
    with s.exercise.lock:
        orders = s.exercise.submitted.get(side)
        lines = [describe(ln) for ln in orders.lines] if orders else []
    with solara.Card(t("view_orders"), classes=["wg-orders-view"]):
        solara.ToggleButtonsSingle(value=side, values=list(SIDES), on_value=set_side)
        solara.Preformatted("\n".join(lines) if lines else "—")


@solara.component
def SideReport(s: Session, version: int):
    side, set_side = solara.use_state("white")
    solara.ToggleButtonsSingle(value=side, values=list(SIDES), on_value=set_side)
    ReportPanel(report_lines(s.exercise, side))


@solara.component
def Facilitator(s: Session):
    version = use_live(s.id)
    view = s.exercise.observe("white")
    Header(view, f"{t('facilitator')} — {s.name}")
    Countdown(s.settings)
    TurnControl(s, view)
    with solara.Columns([3, 2]):
        with solara.Column():
            MapPanel(view, s.exercise, version, t("map_truth"), shared=s.id)
            ChartsPanel(s.exercise, view, version, shared=s.id)
            MetricsTable(view["metrics"])
        with solara.Column():
            IncidentFeed(view["incidents"])
            MselPanel(s, view, version)
            OrdersView(s, version)
            SideReport(s, version)
            with solara.Card():
                Codes(s)


@solara.component
def FacilitatorPage(code=""):
    found = get_hub().by_code(code)
    if found is None or found[1] != "white":
        solara.Error(t("unknown_code"))
    else:
        Facilitator(found[0])
