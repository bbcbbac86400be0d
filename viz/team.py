"""Team console (``/team/<code>``): the side's own picture only, its orders and its report."""

from __future__ import annotations

from typing import Any

import solara

from viz.html import Table
from viz.hub import Session, get_hub
from viz.i18n import t
from viz.live import use_live
from viz.orders_form import OrdersForm
from viz.panels import Countdown, Header, IncidentFeed, MapPanel, ReportPanel, report_lines


@solara.component
def OwnForces(view: dict[str, Any]):
    with solara.Details(summary=t("own_units")):
        if view["side"] == "blue":
            Table(
                ["unit", "kind", "district", "→", "task", "org", "ETA h"],
                [[u["name"], u["kind"], u["district"], u["destination"], u["task"],
                  u["strength"], u["eta_hours"]] for u in view["units"]])
        else:
            Table(["team", "district", "→", "active", "arrested"],
                                   [[x["id"], x["district"], x["destination"], x["active"],
                                     x["arrested"]] for x in view["teams"]])
            solara.Text(f"means: {view['means']} · result: {view['result']}")


@solara.component
def Team(s: Session, side: str):
    version = use_live(s.id)
    view = s.exercise.observe(side)
    Header(view, f"{t('team')} — {t('role_' + side)} — {s.name}")
    Countdown(s.settings)
    if not s.human(side):
        solara.Info(t("ai_played"), dense=True)
    with solara.Columns([3, 2]):
        with solara.Column():
            MapPanel(view, s.exercise, version, t("map_own"), shared=s.id)
            IncidentFeed(view["incidents"])
            OwnForces(view)
        with solara.Column():
            OrdersForm(s, side, view, version)
            ReportPanel(report_lines(s.exercise, side))


@solara.component
def TeamPage(code=""):
    found = get_hub().by_code(code)
    if found is None or found[1] not in ("blue", "red"):
        solara.Error(t("unknown_code"))
    else:
        Team(found[0], found[1])
