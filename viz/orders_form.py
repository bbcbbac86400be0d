"""The orders form of a team, in the users' terms, with live validation by the referee."""

from __future__ import annotations

import datetime as dt
from typing import Any

import solara
from pydantic import ValidationError

from viz.hub import Session, get_hub
from viz.i18n import pick, t
from wargame import orders as o

KINDS = {"blue": ["deploy", "respond", "arrest", "reinforce", "peace_declaration", "gakkumdu"],
         "red": ["hoax", "mobilise", "provoke"]}
FIELDS = {"deploy": ["unit", "to", "task", "personnel", "site"],
          "respond": ["unit", "incident", "mode", "personnel"], "arrest": ["unit", "district"],
          "reinforce": ["source", "personnel", "to"], "peace_declaration": ["district"],
          "gakkumdu": ["district"], "hoax": ["district"], "mobilise": ["district", "candidate"],
          "provoke": ["team", "district"]}
LINE = {"deploy": o.Deploy, "respond": o.Respond, "arrest": o.Arrest, "reinforce": o.Reinforce,
        "peace_declaration": o.PeaceDeclaration, "gakkumdu": o.Gakkumdu, "hoax": o.Hoax,
        "mobilise": o.Mobilise, "provoke": o.Provoke}
NONE = "—"


def build(kind: str, f: dict[str, Any]) -> o.BaseModel:
    """An order line from the form's fields (raises ValidationError if incomplete)."""
    data = {k: f.get(k) for k in FIELDS[kind]}
    if kind != "reinforce" and not data.get("personnel"):
        data.pop("personnel", None)  # 0 / empty: the whole unit
    return LINE[kind](**{k: v for k, v in data.items() if v is not None and v != NONE})


def remaining(view: dict[str, Any], draft: list) -> dict[str, int]:
    """Personnel of each own unit not yet given an order line in the draft."""
    left = {u["id"]: u["strength"] for u in view.get("units", [])}
    for ln in draft:
        unit = getattr(ln, "unit", None)
        if unit in left:
            n = getattr(ln, "personnel", None)
            left[unit] -= n if n else left[unit]
    return left


def verdict_text(v: o.Verdict) -> str:
    if v.accepted:
        eta = f" — {t('eta', h=v.eta_hours)}" if v.eta_hours else ""
        return f"✔ {t('accepted')}{eta}"
    return f"✘ {t('refused')}: {pick(v.reason_id, v.reason_en)}"


@solara.component
def LabeledSelect(label: str, options: list[tuple[Any, str]], value: Any, on_value):
    labels = [lab for _, lab in options]
    current = next((lab for v, lab in options if v == value), None)
    solara.Select(label, values=labels, value=current,
                  on_value=lambda lab: on_value(next(v for v, x in options if x == lab)))


@solara.component
def Field(name: str, f: dict, set_field, view: dict, left: dict[str, int]):
    dist = [(d["id"], d["name"]) for d in view["districts"]]
    units = {u["id"]: u for u in view.get("units", [])}
    if name == "unit":
        LabeledSelect(t("unit"), [(u["id"], f"{u['name']} ({u['kind']}, {u['district']}, "
                                  f"{u['strength']} org, {t('remaining', n=left[u['id']])})")
                                 for u in units.values()], f.get("unit"),
                      lambda v: set_field("unit", v))
    elif name in ("to", "district"):
        LabeledSelect(t("district"), dist, f.get(name), lambda v: set_field(name, v))
    elif name == "task":
        tasks = units[f["unit"]]["tasks"] if f.get("unit") in units else []
        solara.Select(t("task"), values=tasks, value=f.get("task"),
                      on_value=lambda v: set_field("task", v))
    elif name == "site":
        sites = [(NONE, NONE)] + [(s["id"], s["name"]) for s in view["sites"]
                                  if s["district"] == f.get("to")]
        if f.get("task") == "guard_site":
            LabeledSelect("site", sites, f.get("site", NONE), lambda v: set_field("site", v))
    elif name == "personnel":
        solara.InputInt(t("personnel") + " (0 = all)" if f.get("unit") else t("personnel"),
                        value=f.get("personnel") or 0,
                        on_value=lambda v: set_field("personnel", v), continuous_update=True,
                        classes=["wg-personnel"])
    elif name == "incident":
        LabeledSelect(t("incident"), [(i["id"], f"#{i['id']} {i['district']} {i['kind']} "
                                      f"{i['level_name']} ~{i['crowd_estimate']}")
                                     for i in view["incidents"] if i["open"]],
                      f.get("incident"), lambda v: set_field("incident", v))
    elif name == "mode":
        solara.Select(t("mode"), values=["ladder", "negotiate", "disperse"],
                      value=f.get("mode", "ladder"), on_value=lambda v: set_field("mode", v))
    elif name == "source":
        solara.Select(t("source"), values=["brimob", "tni"], value=f.get("source", "brimob"),
                      on_value=lambda v: set_field("source", v))
    elif name == "candidate":
        LabeledSelect(t("candidate"), [(NONE, NONE)] + [(c["id"], c["name"])
                                                        for c in view["candidates"]],
                      f.get("candidate", NONE), lambda v: set_field("candidate", v))
    elif name == "team":
        LabeledSelect(t("provocateur"), [(x["id"], f"{x['id']} ({x['district']})")
                                         for x in view["teams"] if x["active"]],
                      f.get("team"), lambda v: set_field("team", v))


@solara.component
def OrdersForm(s: Session, side: str, view: dict[str, Any], version: int):
    kind, set_kind = solara.use_state(KINDS[side][0])
    fields, set_fields = solara.use_state({"mode": "ladder", "source": "brimob"})
    draft, set_draft = solara.use_state([])
    sealed, set_sealed = solara.use_state("")
    solara.use_effect(lambda: set_draft([]), [view["turn"]])  # a new turn, a new draft
    left = remaining(view, draft)
    try:
        line, problem = build(kind, fields), ""
    except ValidationError as exc:
        line, problem = None, "… " + ", ".join(str(e["loc"][0]) for e in exc.errors())
    lines = [*draft, line] if line is not None else draft
    verdicts = s.exercise.check(o.Orders(side=side, lines=lines)) if lines else []

    def set_field(k, v):
        set_fields({**fields, k: v})

    def submit():
        get_hub().submit(s.id, o.Orders(side=side, lines=draft))
        set_sealed(dt.datetime.now().strftime("%H:%M:%S"))

    with solara.Card(t("orders"), classes=["wg-orders-form"]):
        solara.Select(t("order_type"), values=KINDS[side], value=kind, on_value=set_kind)
        for name in FIELDS[kind]:
            Field(name, fields, set_field, view, left)
        if line is not None:
            v = verdicts[-1]
            (solara.Success if v.accepted else solara.Error)(
                verdict_text(v), dense=True, classes=["wg-preview"])
            solara.Button(t("add_line"), on_click=lambda: set_draft([*draft, line]),
                          classes=["wg-add"])
        elif problem:
            solara.Text(problem, style={"color": "#888", "font-size": "0.8em"})
    with solara.Card(t("draft"), classes=["wg-draft"]):
        if not draft:
            solara.Text(t("empty_draft"))
        for i, ln in enumerate(draft):
            with solara.Row(style={"align-items": "center"}):
                solara.Text(o.describe(ln), style={"font-family": "monospace"})
                solara.Text(verdict_text(verdicts[i]), classes=["wg-line-verdict"])
                solara.Button(t("remove"), small=True, text=True,
                              on_click=lambda i=i: set_draft(draft[:i] + draft[i + 1:]))
        solara.Button(t("submit"), on_click=submit, color="primary", classes=["wg-submit"],
                      disabled=view["finished"])
        if side in view["submitted"]:
            solara.Success(f"{t('sealed')} {sealed}", dense=True, classes=["wg-sealed"])
