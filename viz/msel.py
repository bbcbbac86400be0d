"""The MSEL panel (white cell): scheduled injects with status; fire, hold, ad-hoc injects."""

from __future__ import annotations

from typing import Any

import solara

from viz.html import Table
from viz.hub import Session, get_hub
from viz.i18n import pick, t
from wargame.injects import LIBRARY
from wargame.orders import FireInject, HoldInject

ALL = "*"


def queued(s: Session) -> dict[str, str]:
    """Inject id → 'fire'/'hold' for white's orders queued this turn."""
    with s.exercise.lock:
        orders = s.exercise.submitted.get("white")
        return {ln.inject: ln.order.split("_")[0] for ln in (orders.lines if orders else [])}


def _when(item: dict[str, Any]) -> str:
    if item["turn"] is not None:
        return f"{t('turn')} {item['turn'] + 1}"
    trig = item["trigger"]
    if trig:
        op, x = (">", trig["above"]) if trig.get("above") is not None else ("<", trig["below"])
        return f"trigger {trig['field']} {op} {x}"
    return "ad hoc"


@solara.component
def MselList(s: Session, msel: list[dict[str, Any]], pending: dict[str, str]):
    """The MSEL as one table (cheap to re-render on every push) and one fire/hold control."""
    rows = [[m["id"], _when(m), m["status"] + (f" ({m['fired_turn'] + 1})"
             if m["fired_turn"] is not None else ""), pending.get(m["id"], ""),
             pick(m["text_id"], m["text_en"])[:160]] for m in msel]
    Table(["id", t("turn"), "status", t("queued"), "text"], rows, classes=["wg-msel-table"])
    open_ids = [m["id"] for m in msel if m["status"] == "pending" and m["id"] not in pending]
    chosen, set_chosen = solara.use_state(None)
    target = chosen if chosen in open_ids else (open_ids[0] if open_ids else None)
    if target is None:
        return
    with solara.Row(style={"align-items": "center"}):
        solara.Select("inject", values=open_ids, value=target, on_value=set_chosen)
        solara.Button(t("fire"), small=True, color="error", classes=["wg-fire"],
                      on_click=lambda: get_hub().white_line(s.id, FireInject(inject=target)))
        solara.Button(t("hold"), small=True, classes=["wg-hold"],
                      on_click=lambda: get_hub().white_line(s.id, HoldInject(inject=target)))


@solara.component
def AdHoc(s: Session, districts: list[str]):
    kind, set_kind = solara.use_state(next(iter(LIBRARY)))
    district, set_district = solara.use_state(ALL)
    magnitude, set_magnitude = solara.use_state(LIBRARY[next(iter(LIBRARY))][0])

    def choose(k: str):
        set_kind(k)
        set_magnitude(LIBRARY[k][0])

    def fire():
        get_hub().white_line(s.id, FireInject(inject=kind, magnitude=float(magnitude),
                                              district=None if district == ALL else district))

    with solara.Column(classes=["wg-adhoc"]):
        solara.Text(t("adhoc"), style={"font-weight": "bold"})
        solara.Select("inject", values=list(LIBRARY), value=kind, on_value=choose)
        solara.Text(pick(LIBRARY[kind][1], LIBRARY[kind][2]), style={"font-size": "0.85em"})
        solara.Select(t("district"), values=[ALL, *districts], value=district,
                      on_value=set_district)
        solara.InputFloat(t("magnitude"), value=magnitude, on_value=set_magnitude)
        solara.Button(t("fire"), color="error", on_click=fire, classes=["wg-adhoc-fire"])


@solara.component
def MselPanel(s: Session, view: dict[str, Any], version: int):
    pending = queued(s)
    with solara.Card(t("msel"), classes=["wg-msel"]):
        with solara.Column(style={"max-height": "420px", "overflow-y": "auto"}):
            MselList(s, view["msel"], pending)
        adhoc = [f"{k} → {v}" for k, v in pending.items() if k in LIBRARY]
        if adhoc:
            solara.Text(f"{t('queued')}: " + ", ".join(adhoc))
        AdHoc(s, [d["id"] for d in view["districts"]])
