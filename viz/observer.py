"""Observer view (``/observer/<code>``): outcomes (metrics, charts, map colours), no controls."""

from __future__ import annotations

import solara

from viz.hub import Session, get_hub
from viz.i18n import t
from viz.live import use_live
from viz.panels import ChartsPanel, Header, MapPanel, MetricsTable


@solara.component
def Observer(s: Session):
    version = use_live(s.id)
    view = s.exercise.observe("white")
    Header(view, f"{t('observer')} — {s.name}")
    with solara.Columns([3, 2]):
        MapPanel(view, s.exercise, version, t("map_truth"), shared=s.id)
        MetricsTable(view["metrics"])
    ChartsPanel(s.exercise, view, version, shared=s.id)


@solara.component
def ObserverPage(code=""):
    found = get_hub().by_code(code)
    if found is None or found[1] != "observer":
        solara.Error(t("unknown_code"))
    else:
        Observer(found[0])
