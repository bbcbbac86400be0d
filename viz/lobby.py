"""Lobby (``/``): create an exercise, see its join codes, list exercises, join with a code."""

from __future__ import annotations

import tomllib
from typing import Any

import solara

from viz.html import Rich, Table
from viz.hub import ROLES, Session, get_hub
from viz.i18n import t
from viz.live import use_clock
from wargame.catalog import bundled_names, load_bundled
from wargame.players import doctrine_names, red_names
from wargame.scenario import Scenario, ScenarioError, parse_scenario

PERSON = "person"
PAGE = {"white": "facilitator", "blue": "team", "red": "team", "observer": "observer"}


def parse_upload(name: str, text: str) -> tuple[Scenario | None, list[tuple[str, str]]]:
    """A scenario from uploaded TOML, or the problems found, one per field path."""
    try:
        return parse_scenario(tomllib.loads(text), name), []
    except tomllib.TOMLDecodeError as exc:
        return None, [("<toml>", str(exc))]
    except ScenarioError as exc:
        return None, list(exc.problems)


@solara.component
def ScenarioUpload(on_scenario, problems: list, set_problems):
    text, set_text = solara.use_state("")

    def check(name: str, body: str):
        sc, errs = parse_upload(name, body)
        set_problems(errs)
        on_scenario(sc)

    solara.FileDrop(label=t("upload"), lazy=False,
                    on_file=lambda f: check(f["name"], (f["data"] or b"").decode("utf-8")))
    with solara.Details(summary="TOML"):
        solara.InputTextArea("TOML", value=text, on_value=set_text, rows=4,
                             continuous_update=True)
        solara.Button("OK", on_click=lambda: check("pasted.toml", text), classes=["wg-check"])
    if problems:
        with solara.Column(classes=["wg-upload-errors"]):
            solara.Error(t("scenario_errors"), dense=True)
            for path, msg in problems:
                solara.Text(f"{path or '<root>'}: {msg}", classes=["wg-problem"],
                            style={"color": "#b71c1c"})


@solara.component
def Codes(s: Session):
    with solara.Column(classes=["wg-codes"]):
        Rich([(t("codes"), True), (f" — {s.name}", False)])
        for role in ROLES:
            if role == "red" and not s.human("red"):
                continue
            code = s.codes[role]
            path = f"/{PAGE[role]}/{code}"
            with solara.Row(style={"align-items": "center"}):
                solara.Text(f"{t('role_' + role)}: ")
                solara.Text(code, style={"font-family": "monospace", "font-weight": "bold"},
                            classes=[f"wg-code-{role}"])
                with solara.Link(path):
                    solara.Button(path, text=True, small=True)


@solara.component
def NewExercise(on_created):
    scenario, set_scenario = solara.use_state("banyuwangi-pilkada-2024")
    uploaded, set_uploaded = solara.use_state(None)
    problems, set_problems = solara.use_state([])
    seed, set_seed = solara.use_state(1)
    name, set_name = solara.use_state("")
    blue, set_blue = solara.use_state(PERSON)
    red, set_red = solara.use_state("opportunist")
    minutes, set_minutes = solara.use_state(20)
    lng = solara.use_reactive("id")
    error, set_error = solara.use_state("")

    def create():
        # Every value is re-checked on the server: a client can send any value for a widget
        # (solara does not check a Select's value against its options). A scenario is a
        # bundled name or uploaded content, never a path; players are bundled names only.
        try:
            sc = uploaded if uploaded is not None else load_bundled(scenario)
            s = get_hub().create(sc, seed, blue=None if blue == PERSON else blue,
                                 red=None if red == PERSON else red, name=str(name),
                                 lang=lng.value, minutes=minutes)
        except (ValueError, ScenarioError) as exc:
            set_error(str(exc))
            return
        set_error("")
        on_created(s)

    with solara.Card(t("new_exercise"), classes=["wg-new"]):
        solara.Select(t("scenario"), values=bundled_names(), value=scenario,
                      on_value=set_scenario, disabled=uploaded is not None)
        ScenarioUpload(set_uploaded, problems, set_problems)
        if uploaded is not None:
            solara.Success(f"{t('uploaded')}: {uploaded.meta.name}", dense=True)
        solara.InputText(t("name"), value=name, on_value=set_name)
        solara.InputInt(t("seed"), value=seed, on_value=set_seed)
        solara.Select(t("blue_by"), values=[PERSON, *doctrine_names()], value=blue,
                      on_value=set_blue)
        solara.Select(t("red_by"), values=[PERSON, *red_names()], value=red, on_value=set_red)
        solara.InputInt(t("minutes"), value=minutes, on_value=set_minutes)
        solara.ToggleButtonsSingle(value=lng, values=["id", "en"])
        solara.Button(t("create"), on_click=create, color="primary", classes=["wg-create"],
                      disabled=bool(problems))
        if error:
            solara.Error(f"{t('not_created')}: {error}", dense=True, classes=["wg-create-error"])


@solara.component
def JoinBox():
    code, set_code = solara.use_state("")
    error, set_error = solara.use_state(False)
    router = solara.use_router()

    def join():
        found = get_hub().by_code(code)
        set_error(found is None)
        if found:
            router.push(f"/{PAGE[found[1]]}/{found[0].codes[found[1]]}")

    with solara.Card(t("join"), classes=["wg-join"]):
        solara.InputText(t("code"), value=code, on_value=set_code, continuous_update=True)
        solara.Button(t("join"), on_click=join, color="primary", classes=["wg-join-btn"])
        if error:
            solara.Error(t("unknown_code"), dense=True)


def _row(s: Session) -> dict[str, Any]:
    return {"name": s.name, "id": s.id, "turn": f"{min(s.exercise.turn + 1, _turns(s))}/"
            f"{_turns(s)}", "blue": s.blue or PERSON, "red": s.red or PERSON,
            "seed": s.exercise.seed}


def _turns(s: Session) -> int:
    return s.exercise.model.ticks[-1].turn + 1


@solara.component
def LobbyPage():
    created, set_created = solara.use_state(None)
    use_clock(5.0)  # the list of exercises refreshes by itself
    hub = get_hub()
    with solara.Columns([1, 1]):
        with solara.Column():
            NewExercise(set_created)
            if created is not None:
                with solara.Card(classes=["wg-created"]):
                    Codes(created)
        with solara.Column():
            JoinBox()
            with solara.Card(t("exercises"), classes=["wg-exercises"]):
                rows = [_row(s) for s in list(hub.sessions.values())]
                Table(["name", "id", t("turn"), "blue", "red", "seed"],
                      [list(r.values()) for r in rows])
