"""Generate the scenario-format reference (``docs/scenario-format.md``) from the schema.

The reference is derived from the pydantic models of :mod:`wargame.scenario`: every field's
TOML path, type, default, allowed values, constraints and description come from the code,
so the document cannot drift from what ``wargame validate`` accepts. Regenerate it with::

    uv run python -m wargame.schema_doc > docs/scenario-format.md

The output is deterministic: the same code gives the same bytes (no dates, no hashes of the
environment, fields in declaration order).
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
import tomllib
import types
from dataclasses import dataclass, field
from enum import Enum
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from wargame.scenario import (
    KindProfile,
    Scenario,
    ScenarioError,
    SiteKind,
    Task,
    UnitKind,
    _default_profiles,
    parse_scenario,
)

# Notes for fields whose schema carries no ``description``, keyed ``"Model.field"``. They
# say what the engine does with the field. ``_check_notes`` fails the render if a key no
# longer names a field, so a renamed field cannot leave a stale note behind.
_NOTES: dict[str, str] = {
    "Meta.id": "scenario identifier (shown by `wargame run --json`)",
    "Meta.name": "name in Bahasa Indonesia",
    "Meta.name_en": "name in English",
    "Meta.description": "free text shown to facilitators",
    "Meta.region": "free text: the area the scenario depicts",
    "District.id": "district identifier, used by edges, support tables, sites and units",
    "District.name": "display name of the kecamatan",
    "District.area_km2": "land area (informational; the engine does not use it yet)",
    "District.tps": "polling stations by vulnerability class; Linmas are created per TPS",
    "District.lat": "latitude of the district centre (map layout)",
    "District.lon": "longitude of the district centre (map layout)",
    "District.coast": "on the sea shore (informational; the engine does not use it yet)",
    "Edge.a": "district id at one end",
    "Edge.b": "district id at the other end",
    "Candidate.id": "candidate identifier",
    "Candidate.colour": "display colour, `#rrggbb`",
    "Candidate.home_district": "district id of the pair's home base (informational)",
    "Site.id": "site identifier, used by `units[].site` and crowd targets",
    "Site.kind": "what the site is; `calendar.stages[].protest_target` names a kind",
    "Site.district": "district id where the site stands",
    "Site.name": "display name",
    "Unit.id": "unit identifier",
    "Unit.kind": "unit kind: selects the profile in `params.unit_kinds`",
    "Unit.name": "display name",
    "Unit.task": "initial task",
    "Calendar.stages": "election stages in chronological order",
    "Stage.id": "stage identifier",
    "Stage.name_en": "English name",
    "Stage.start": "first day of the stage (TOML local date, e.g. 2024-11-27)",
    "Stage.turns": "decision turns in the stage",
    "Stage.ticks_per_turn": "engine ticks per turn; the stage's days are split evenly over "
    "turns × ticks_per_turn, so the tick length (hours) differs by stage",
    "Stage.threat": "base event rates of the stage",
    "ThreatProfile.rally": "campaign rallies per district per day (before local multipliers)",
    "ThreatProfile.hoax": "hoax / SARA events per district per day (before local multipliers)",
    "ThreatProfile.money_politics": "vote-buying cases per district per day (before local "
    "multipliers)",
    "ThreatProfile.protest": "protest calls per supporter group per day (before multipliers)",
    "KindProfile.speed_kmh": "travel speed on the district graph",
    "Trigger.field": "district field that is watched",
    "Trigger.above": "fires when the field exceeds this value",
    "Trigger.below": "fires when the field falls below this value",
    "InjectEffect.type": "what the inject does, with m its magnitude: `legitimacy_shock` "
    "(election legitimacy −m, police −m/2), `hoax` (rumour load +m), `rally` (m of the "
    "residents out on the street for the rest of the turn), `logistics_delay` (TPS disruption "
    "rate × (1 + m) until the polls close, election legitimacy −0.05·m), `disputed_recap` "
    "(losers' discount +m for the rest of the run, regency-wide), `weather` (travel × (1 − m) "
    "and more dropout for the rest of the turn, regency-wide), `tps_incident` (opens a TPS "
    "incident); see docs/ODD.md §7.18",
    "InjectEffect.district": "district affected (omit for all)",
    "InjectEffect.magnitude": "size of the effect (m above)",
    "Inject.id": "inject identifier",
    "Inject.trigger": "condition that fires the inject",
    "Inject.effect": "what happens when it fires",
    "Inject.text_id": "text shown to players, Bahasa Indonesia",
    "Inject.text_en": "text shown to players, English",
    "Scenario.meta": "identification and handling",
    "Scenario.districts": "kecamatan: the nodes of the district graph",
    "Scenario.edges": "adjacencies with road distances: the edges of the district graph",
    "Scenario.candidates": "fictional candidate pairs (Paslon), at least two",
    "Scenario.sites": "fixed places crowds can target and units can guard",
    "Scenario.units": "security units and their initial posture",
    "Scenario.calendar": "election stages, turns and ticks",
    "Scenario.params": "model parameters (uncertainties) with documented defaults",
    "Scenario.injects": "scripted events (MSEL): each fires once, at its turn, when its "
    "trigger first holds, or when the facilitator fires it",
    "Params.population": "synthetic population",
    "Params.activation": "citizens' decision rule",
    "Params.legitimacy": "legitimacy of police and election body",
    "Params.rumour": "rumour / hoax diffusion",
    "Params.polarisation": "effect of an evenly split race",
    "Params.jail": "detention after arrest",
    "Params.crowd": "crowd formation, marching and dispersal",
    "Params.incident": "incidents on the Perkap 16/2006 colour ladder",
    "Params.forces": "force levels and TPS guarding",
    "Params.reinforcements": "Brimob BKO and TNI assistance that a blue `reinforce` order can "
    "request",
}

# Names for the keys of tables (dicts) whose keys are free strings.
_KEY_NAMES: dict[str, str] = {"Candidate.support": "<district id>"}

# Cross-field checks made by ``wargame.scenario._reference_problems``, in its order.
_REFERENCE_CHECKS: tuple[str, ...] = (
    "`id`s are unique within `districts`, `candidates`, `sites`, `units`, `injects` and "
    "`calendar.stages`.",
    "`districts[].voters` does not exceed `districts[].population`.",
    "Both ends of every edge (`edges[].a`, `edges[].b`) are known districts; no edge joins a "
    "district to itself; no pair of districts is joined twice (in either direction).",
    "The district graph is connected (checked when there is more than one district and no "
    "earlier cross-field problem was found; the message names the smallest cut-off part).",
    "Every key of `candidates[].support` and every `candidates[].home_district` is a known "
    "district.",
    "For every district the support shares of all candidates sum to 1 (tolerance 0.001); a "
    "district missing from a candidate's `support` table counts as 0.",
    "`sites[].district` is a known district.",
    "`units[].home` and every `units[].area` entry are known districts; `units[].site` is a "
    "known site; a unit with task `guard_site` names a `site`.",
    "Every stage ends on or after its start; stages are in chronological order of `start`; a "
    "stage's `protest_target` kind has at least one site of that kind.",
    "Every inject has a `turn` or a `trigger`; a `trigger` gives exactly one of `above` and "
    "`below`; `effect.at_trigger` is set only on a triggered inject; `turn` is before the last "
    "turn (turns are counted from 0 over the whole calendar); `effect.district` and "
    "`trigger.district` are known districts.",
    "`params.crowd.dissolve_size` is below `params.crowd.form_size`.",
    "`params.incident.required_ratio` does not decrease up the ladder (hijau ≤ kuning ≤ merah).",
)

MINIMAL_EXAMPLE = """\
[meta]
id = "mini"
name = "Contoh minimal"
name_en = "Minimal example"

[[districts]]
id = "kota"
name = "Kota"
area_km2 = 25.0
population = 60000
voters = 45000
villages = 6
tps = { kurang_rawan = 85, rawan = 5 }
lat = -8.20
lon = 114.37

[[districts]]
id = "desa"
name = "Desa"
area_km2 = 120.0
population = 30000
voters = 22500
villages = 5
tps = { kurang_rawan = 45 }
lat = -8.10
lon = 114.35

[[edges]]
a = "kota"
b = "desa"
km = 14.0

[[candidates]]
id = "paslon1"
name = "Paslon 1"
colour = "#1f77b4"
support = { kota = 0.5, desa = 0.45 }

[[candidates]]
id = "paslon2"
name = "Paslon 2"
colour = "#d62728"
support = { kota = 0.5, desa = 0.55 }

[[sites]]
id = "kpu"
kind = "kpu_office"
district = "kota"
name = "Kantor KPU"

[[units]]
id = "polsek-kota"
kind = "polsek"
name = "Polsek Kota"
strength = 30
home = "kota"

[[calendar.stages]]
id = "recap"
name = "Rekapitulasi"
name_en = "Recapitulation"
start = 2024-11-28
end = 2024-11-29
turns = 2
ticks_per_turn = 6
result_known = true
mobilisation = 0.05
protest_target = "kpu_office"
threat = { protest = 0.3, hoax = 0.2 }
"""

_BROKEN_EXAMPLE_EDITS = """\
edges[0].b = "pasar"            # a district that does not exist
candidates[1].support.desa = 0.6  # shares in 'desa' now sum to 1.05
units[0].colour = "blue"        # a field units do not have"""


@dataclass(frozen=True)
class Row:
    """One field of the reference: its TOML path and what may be written there."""

    path: str
    type: str
    default: str
    constraints: str
    description: str


@dataclass
class Section:
    """One table of the scenario (a pydantic model) at one TOML path."""

    path: str
    model: type[BaseModel]
    rows: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class TypeDoc:
    """What a field's annotation means for a TOML author."""

    text: str
    constraints: tuple[str, ...] = ()
    model: type[BaseModel] | None = None
    suffix: str = ""  # path suffix for a nested model: "", "[]" or ".<key>"


# ---------------------------------------------------------------------------
# Types, constraints and defaults
# ---------------------------------------------------------------------------


def _constraint_texts(metadata: list[Any], sized: str = "") -> list[str]:
    """Readable constraints from pydantic / annotated-types metadata.

    ``sized`` is ``"items"`` for arrays and ``"characters"`` for strings, so that length
    limits read naturally.
    """
    out: list[str] = []
    lo = hi = None
    for m in metadata:
        for attr, sym in (("gt", ">"), ("ge", "≥"), ("lt", "<"), ("le", "≤")):
            val = getattr(m, attr, None)
            if val is not None:
                out.append(f"{sym} {_fmt(val)}")
        if getattr(m, "min_length", None) is not None:
            lo = m.min_length
        if getattr(m, "max_length", None) is not None:
            hi = m.max_length
        pattern = getattr(m, "pattern", None)
        if pattern is not None:
            out.append(f"matches `{pattern}`")
    def unit(n: int) -> str:
        if not sized:
            return ""
        return f" {sized[:-1]}" if n == 1 else f" {sized}"

    if lo is not None and lo == hi:
        out.append(f"exactly {lo}{unit(lo)}")
    else:
        if lo is not None:
            out.append(f"at least {lo}{unit(lo)}")
        if hi is not None:
            out.append(f"at most {hi}{unit(hi)}")
    return out


def _enum_values(enum: type[Enum]) -> str:
    return ", ".join(f"`{m.value}`" for m in enum)


def _describe(annotation: Any, key_name: str = "<key>") -> TypeDoc:
    """Describe a type annotation: TOML type text, constraints and any nested model."""
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        inner = _describe(args[0], key_name)
        meta: list[Any] = []
        for extra in args[1:]:
            meta.extend(extra.metadata if isinstance(extra, FieldInfo) else [extra])
        sized = "characters" if args[0] is str else ""
        return TypeDoc(inner.text, (*inner.constraints, *_constraint_texts(meta, sized)),
                       inner.model, inner.suffix)
    if origin in (Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        inner = _describe(rest[0], key_name) if len(rest) == 1 else TypeDoc(
            " or ".join(_describe(a, key_name).text for a in rest))
        text = inner.text + (" (optional)" if len(rest) < len(args) else "")
        return TypeDoc(text, inner.constraints, inner.model, inner.suffix)
    if origin is Literal:
        return TypeDoc("string", (f"one of {', '.join(f'`{a}`' for a in args)}",))
    if origin is list:
        item = _describe(args[0], key_name)
        if item.model is not None:
            return TypeDoc("array of tables", item.constraints, item.model, "[]" + item.suffix)
        cons = tuple(f"each {c}" for c in item.constraints)
        return TypeDoc(f"array of {item.text}", cons)
    if origin is dict:
        key, val = args
        kdoc = _describe(key)
        if isinstance(key, type) and issubclass(key, Enum):
            key_name = f"<{_snake(key.__name__)}>"
        vdoc = _describe(val, key_name)
        if isinstance(key, type) and issubclass(key, Enum):
            keys = f"keys: one of {_enum_values(key)}"
        elif key_name != "<key>":
            keys = f"keys: {key_name.strip('<>')}s"
        else:
            keys = f"keys: {kdoc.text}"
        if vdoc.model is not None:
            return TypeDoc("table of tables", (keys, *vdoc.constraints), vdoc.model,
                           f".{key_name}" + vdoc.suffix)
        return TypeDoc(vdoc.text, (keys, *vdoc.constraints), None, f".{key_name}")
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return TypeDoc("table", (), annotation)
        if issubclass(annotation, Enum):
            return TypeDoc(f"string ({annotation.__name__})",
                           (f"one of {_enum_values(annotation)}",))
        simple = {bool: "boolean", int: "integer", float: "float", str: "string",
                  dt.date: "date"}
        if annotation in simple:
            return TypeDoc(simple[annotation])
    return TypeDoc(str(annotation))


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _fmt(value: Any) -> str:
    """A value as it would be written in TOML (for defaults and bounds)."""
    if isinstance(value, Enum):
        return f'"{value.value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if isinstance(value, float):
        text = repr(value)
        return text if len(text) <= 10 else f"{value:.6g}"
    return str(value)


def _default(info: FieldInfo, tdoc: TypeDoc) -> str:
    if info.is_required():
        return "**required**"
    if info.default_factory is not None:
        if info.default_factory is list:
            return "`[]`"
        if info.default_factory is _default_profiles:
            return "one profile per kind (table below)"
        try:
            value = info.default_factory()  # type: ignore[call-arg]
        except TypeError:  # a factory that needs the validated data
            return "(computed)"
        return f"`{_fmt(value)}`"
    value = info.default
    if value is PydanticUndefined:
        return "**required**"
    if value is None:
        return "omitted"
    if isinstance(value, BaseModel):
        return "all defaults (below)"
    return f"`{_fmt(value)}`"


def _escape(text: str) -> str:
    """Make free text safe inside a Markdown table cell."""
    return _cell(text).replace("*", "\\*")


def _cell(text: str) -> str:
    """Make text that may hold code spans safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


# ---------------------------------------------------------------------------
# Walking the schema
# ---------------------------------------------------------------------------


def _check_notes() -> None:
    """Fail loudly if a note names a field that no longer exists."""
    models = {s.model.__name__: s.model for s in _walk(Scenario, "", check=False)}
    for key in (*_NOTES, *_KEY_NAMES):
        model_name, _, field_name = key.partition(".")
        if model_name not in models or field_name not in models[model_name].model_fields:
            raise KeyError(f"schema_doc: note for unknown field {key!r}")


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _walk(model: type[BaseModel], path: str, check: bool = True) -> list[Section]:
    """Sections for ``model`` at ``path`` and, depth first, for every nested table."""
    section = Section(path, model)
    out = [section]
    nested: list[Section] = []
    for name, info in model.model_fields.items():
        key = f"{model.__name__}.{name}"
        tdoc = _describe(info.annotation, _KEY_NAMES.get(key, "<key>"))
        constraints = [*tdoc.constraints, *_constraint_texts(
            info.metadata, "items" if get_origin(info.annotation) is list else
            "characters" if info.annotation is str else "")]
        description = info.description or _NOTES.get(key, "") or (
            _model_doc(tdoc.model) if tdoc.model is not None else "")
        fpath = _join(path, name) + tdoc.suffix
        section.rows.append(Row(
            path=f"`{fpath}`",
            type=tdoc.text,
            default=_default(info, tdoc),
            constraints=_cell("; ".join(constraints)),
            description=_escape(description),
        ))
        if tdoc.model is not None:
            nested.extend(_walk(tdoc.model, fpath, check=False))
    out.extend(nested)
    return out


def _toml_header(path: str) -> str:
    """The TOML table header that opens a section (``[[districts]]``, ``[params.jail]``)."""
    plain = path.replace("[]", "")
    if path.endswith("[]"):
        return f"[[{plain}]]"
    return f"[{plain}]"


def _model_doc(model: type[BaseModel]) -> str:
    doc = model.__dict__.get("__doc__")
    return inspect.cleandoc(doc).split("\n\n")[0].replace("\n", " ") if doc else ""


# ---------------------------------------------------------------------------
# Vocabulary: enum values with the comments that explain them in the source
# ---------------------------------------------------------------------------


def _enum_comments(enum: type[Enum]) -> dict[str, str]:
    """Map each value of ``enum`` to the trailing comment of its line in the source."""
    try:
        source = inspect.getsource(enum)
    except (OSError, TypeError):
        return {}
    found = re.findall(r'^\s+\w+\s*=\s*"([^"]+)"\s*#\s*(.+)$', source, flags=re.M)
    return {value: comment.strip() for value, comment in found}


def _enum_table(enum: type[Enum]) -> list[str]:
    comments = _enum_comments(enum)
    lines = ["| value | meaning |", "| --- | --- |"]
    lines += [f"| `{m.value}` | {_escape(comments.get(str(m.value), ''))} |" for m in enum]
    return lines


# ---------------------------------------------------------------------------
# Examples, validated at render time so the document never shows a wrong one
# ---------------------------------------------------------------------------


def _minimal_ok() -> Scenario:
    return parse_scenario(tomllib.loads(MINIMAL_EXAMPLE), "mini.toml")


def _broken_messages() -> list[str]:
    """Errors for the minimal example with the edits of ``_BROKEN_EXAMPLE_EDITS``."""
    lines: list[str] = []
    structural = tomllib.loads(MINIMAL_EXAMPLE)
    structural["units"][0]["colour"] = "blue"
    try:
        parse_scenario(structural, "mini.toml")
    except ScenarioError as exc:
        lines += exc.lines()
    references = tomllib.loads(MINIMAL_EXAMPLE)
    references["edges"][0]["b"] = "pasar"
    references["candidates"][1]["support"]["desa"] = 0.6
    try:
        parse_scenario(references, "mini.toml")
    except ScenarioError as exc:
        lines += exc.lines()
    return lines


# ---------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------


def _profiles_table() -> list[str]:
    """Default profiles: scalar fields as one table, list fields (e.g. allowed tasks) after."""
    profiles = _default_profiles()
    fields = list(KindProfile.model_fields)
    cols = [f for f in fields if get_origin(KindProfile.model_fields[f].annotation) is not list]
    lists = [f for f in fields if f not in cols]
    lines = ["| kind | " + " | ".join(cols) + " |",
             "| --- | " + " | ".join("---:" for _ in cols) + " |"]
    for kind, prof in profiles.items():
        cells = [_fmt(getattr(prof, c)) for c in cols]
        lines.append(f"| `{kind.value}` | " + " | ".join(cells) + " |")
    for name in lists:
        lines += ["", f"Default `{name}` per kind:", "", f"| kind | {name} |", "| --- | --- |"]
        for kind, prof in profiles.items():
            items = ", ".join(f"`{getattr(v, 'value', v)}`" for v in getattr(prof, name))
            lines.append(f"| `{kind.value}` | {items} |")
    return lines


def _intro() -> list[str]:
    _minimal_ok()
    broken = _broken_messages()
    out = [
        "# Scenario format reference",
        "",
        "<!-- Generated by `uv run python -m wargame.schema_doc > docs/scenario-format.md` "
        "from the pydantic models in wargame/scenario.py. Do not edit by hand. -->",
        "",
        "A **scenario** is a human-written TOML file that describes one exercise area: its "
        "districts (kecamatan) as the nodes of a graph and the roads between them, the "
        "fictional candidate pairs (Paslon) and their support per district, the fixed sites "
        "(KPU office, Bawaslu, PPK, warehouse, …), the security units in their initial "
        "posture, the election calendar (stages → turns → ticks), the model parameters (the "
        "uncertain figures, each with a documented default) and scripted injects. The engine "
        "builds one run from a scenario and a seed. Three scenarios are bundled in `scenarios/`: "
        "`tutorial` (a small fictional regency), `banyuwangi-pilkada-2024` (the reference case, "
        "campaign to MK dispute) and `kpu-riot` (street-scale Sispamkota at the KPU office, one "
        "day in 30-minute ticks).",
        "",
        "## Validating a scenario",
        "",
        "```sh",
        "uv run wargame validate FILE.toml      # or a bundled name: uv run wargame validate "
        "tutorial",
        "uv run wargame schema                  # the same schema as JSON Schema",
        "```",
        "",
        "A valid file prints one summary line (districts, units, stages and the scenario's "
        "content digest) and exits with status 0. An invalid file exits with status 2 and "
        "prints **one line per problem**, in the form `file: field.path: message`. List items "
        "are named by index and, where they have one, by id: `units[3](brimob-sst).home`.",
        "",
        "Validation runs in two passes:",
        "",
        "1. **Structure**: types, ranges, allowed values, required fields and unknown fields "
        "(every table is closed: a misspelt key is an error, `unknown field`).",
        "2. **References**: the cross-field checks listed below. They run only when the "
        "structure is valid, so a file with structural errors may show more problems once "
        "those are fixed.",
        "",
        "For example, the minimal scenario below with these edits",
        "",
        "```text",
        _BROKEN_EXAMPLE_EDITS,
        "```",
        "",
        "gives, first (structure), and after removing `colour` (references):",
        "",
        "```text",
        *broken,
        "```",
        "",
        "### Cross-field checks",
        "",
        *[f"{i}. {text}" for i, text in enumerate(_REFERENCE_CHECKS, 1)],
        "",
        "## A minimal scenario",
        "",
        "Two districts, one road, two candidates, one site, one unit and one stage. Everything "
        "not written takes its default (`params` entirely).",
        "",
        "```toml",
        MINIMAL_EXAMPLE.rstrip("\n"),
        "```",
        "",
        "## Conventions",
        "",
        "- **Paths.** `a.b` is key `b` of table `a`; `a[]` is an array of tables, written "
        "`[[a]]` in TOML, one entry per item; `a.<key>` is a table whose keys you choose "
        "(district ids, unit kinds).",
        "- **Optional fields.** TOML has no null: leave an optional field out to get its "
        "default (shown as *omitted*).",
        "- **Dates** are TOML local dates (`2024-11-27`). A stage covers `end − start + 1` days, "
        "split evenly over `turns × ticks_per_turn` ticks, so a tick spans more hours in a long "
        "stage than on voting day. Rates are per day or per hour and are scaled by each tick's "
        "length.",
        "- **Sub-tables** such as `[params.crowd]` may give only some keys; the others keep "
        "their defaults. This holds for `params.unit_kinds` too: a "
        "`[params.unit_kinds.<kind>]` table overrides only the fields it names; the other "
        "fields keep **that kind's** default profile (table below), and the kinds not written "
        "keep theirs. (The generic defaults shown in the `params.unit_kinds.<unit_kind>` table "
        "apply to no bundled kind.)",
        "- **Linmas** need not be listed: the engine creates one Linmas unit per district with "
        "`params.forces.linmas_per_tps × TPS` members, task `guard_tps`. Listed Linmas units "
        "are added on top.",
        "- **Strengths.** `params.forces.joint_personnel` and `params.forces.strength_multiplier` "
        "scale every listed police and TNI unit (not Linmas).",
        "- **Confidence labels** in descriptions: [C] confirmed by a public source, [A] "
        "approximate, [I] illustrative model default awaiting calibration.",
        "",
    ]
    return out


def render_markdown() -> str:
    """The scenario-format reference as Markdown, generated from ``wargame.scenario``."""
    _check_notes()
    sections = _walk(Scenario, "")
    lines = _intro()
    lines += ["## Top level", ""]
    for section in sections:
        if section.path:
            title = f"`{section.path}`"
            lines += [f"## {title}" if section.path.count(".") == 0 else f"### {title}", ""]
            doc = _model_doc(section.model)
            header = _toml_header(section.path)
            where = f"TOML: `{header}`" + (
                " (inside its parent entry) or an inline table"
                if "[]" in section.path.rstrip("[]") else "")
            lines += [f"{doc} {where}.".strip() if doc else f"{where}.", ""]
        lines += ["| path | type | default | constraints / allowed values | description |",
                  "| --- | --- | --- | --- | --- |"]
        for r in section.rows:
            lines.append(f"| {r.path} | {r.type} | {r.default} | {r.constraints} | "
                         f"{r.description} |")
        lines.append("")
        if section.path == "params.unit_kinds.<unit_kind>":
            lines += ["#### Default profiles", "",
                      "What one person of each kind contributes, from `_default_profiles()` "
                      "(all [I]). `control_level`: 0 none, 1 hijau (Dalmas Awal), 2 kuning "
                      "(Dalmas Lanjut), 3 merah (PHH Brimob). Units whose profile has "
                      "`tni = true` are TNI under Polri BKO.", "",
                      *_profiles_table(), ""]
    lines += ["## Vocabulary", ""]
    for enum in (UnitKind, Task, SiteKind):
        lines += [f"### {enum.__name__}", "", _model_doc_enum(enum), "", *_enum_table(enum), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# Enum docstrings that would say something stale in the reference.
_ENUM_DOCS: dict[type[Enum], str] = {
    Task: "What a unit is doing. Orders change a unit's task and place (docs/ODD.md §7.1, "
    "§7.19); `respond`, `negotiate` and `disperse` are given by a `respond` order, the others "
    "by `deploy` (and `arrest` by an `arrest` order).",
}


def _model_doc_enum(enum: type[Enum]) -> str:
    if enum in _ENUM_DOCS:
        return _ENUM_DOCS[enum]
    doc = enum.__dict__.get("__doc__")
    if doc and not doc.startswith("An enumeration"):
        return inspect.cleandoc(doc)
    return {SiteKind: "Kinds of fixed site."}.get(enum, "")


def main() -> None:
    """Print the reference to standard output."""
    print(render_markdown(), end="")


if __name__ == "__main__":
    main()
