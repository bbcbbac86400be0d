"""Scenario overrides: change one field of a validated scenario by its dotted path.

    apply_overrides(sc, {"params.legitimacy.police_initial": 0.7,
                         "districts[3].population": 120000,
                         "units[samapta-1].strength": 40})

Why a path language rather than editing TOML: doctrine comparisons and sweeps vary one or
two figures over many runs, and the analyst should name them the way the scenario format
reference (docs/scenario-format.md) and every validation message already name them.

Paths: ``a.b`` is key ``b`` of table ``a``; ``name[3]`` is item 3 (from 0) of list
``name``; ``name[some-id]`` is the item of ``name`` whose ``id`` is ``some-id`` (an
all-digit bracket is an index). The scenario is dumped to plain data, the values are set,
and the result is validated again with ``parse_scenario`` — so a value gets exactly the
type and range checks a value in the TOML file gets, with the same ``file: field: message``
error lines. An unknown path is refused *before* validation, with close matches.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

from wargame.scenario import Scenario, ScenarioError, parse_scenario

_SEGMENT = re.compile(r"([^.\[\]]+)?((?:\[[^\[\]]+\])*)")
_BRACKET = re.compile(r"\[([^\[\]]+)\]")

Step = str | int  # a mapping key or a list index


def split_path(path: str) -> list[tuple[str, str]]:
    """Split ``a.b[3].c[x-1]`` into steps: ``[("key","a"), ("key","b"), ("item","3"), …]``.

    Brackets are kept as text here; whether ``[3]`` is an index or an id is decided when
    the path is resolved against the data.
    """
    if not path or path.strip() != path:
        raise ValueError("empty path or surrounding spaces")
    steps: list[tuple[str, str]] = []
    for part in path.split("."):
        m = _SEGMENT.fullmatch(part)
        if not m or (not m.group(1) and not m.group(2)):
            raise ValueError(f"cannot read path segment {part!r}")
        if m.group(1):
            steps.append(("key", m.group(1)))
        elif not steps:
            raise ValueError("a path cannot start with [...]")
        steps.extend(("item", b) for b in _BRACKET.findall(m.group(2) or ""))
    return steps


def _label(steps: list[Step], ids: list[str | None]) -> str:
    """A canonical path: indices, with the item's id in parentheses as pydantic errors say it."""
    out = ""
    for step, ident in zip(steps, ids, strict=True):
        if isinstance(step, int):
            out += f"[{step}]" + (f"({ident})" if ident else "")
        else:
            out += ("." if out else "") + step
    return out


def _suggest(wrong: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(wrong, list(candidates), n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(close)}?" if close else ""


def _child_obj(obj: Any, key: str) -> Any:
    """The model object (not the dumped data) under ``key``: tells a closed pydantic table
    (unknown keys are typos) from an open mapping such as ``support`` (new keys allowed)."""
    if isinstance(obj, BaseModel):
        return getattr(obj, key, None)
    if isinstance(obj, Mapping):
        for k, v in obj.items():
            if str(k) == key:
                return v
    return None


def resolve(data: Any, obj: Any, path: str) -> tuple[Any, Step, str]:
    """Find where ``path`` points in ``data`` (the dumped scenario); ``obj`` is the model.

    Returns the parent container, the final key or index and the canonical path label.
    Raises ``KeyError`` with a readable message (and close matches) for an unknown path.
    """
    try:
        raw = split_path(path)
    except ValueError as exc:
        raise KeyError(f"not a valid path ({exc})") from None
    node, model = data, obj
    steps: list[Step] = []
    ids: list[str | None] = []
    parent: Any = None
    for n, (kind, text) in enumerate(raw):
        last = n == len(raw) - 1
        where = _label(steps, ids) or "the scenario"
        if kind == "key":
            if not isinstance(node, dict):
                raise KeyError(f"{where} is a {type(node).__name__}, not a table: "
                               f"cannot take key '{text}'")
            if text not in node:
                open_map = isinstance(model, Mapping) and not isinstance(model, BaseModel)
                if last and open_map:  # a new key of a free-keyed table (e.g. support.<district>)
                    steps.append(text)
                    ids.append(None)
                    return node, text, _label(steps, ids)
                prefix = _label(steps, ids)
                options = [f"{prefix}.{k}" if prefix else k for k in node]
                guess = f"{prefix}.{text}" if prefix else text
                raise KeyError(f"no field '{text}' in {where}{_suggest(guess, options)}")
            parent, step = node, text
            node, model = node[text], _child_obj(model, text)
            steps.append(text)
            ids.append(None)
        else:
            if not isinstance(node, list):
                raise KeyError(f"{where} is not a list: cannot take item [{text}]")
            if text.isdigit():
                idx = int(text)
                if idx >= len(node):
                    raise KeyError(f"{where} has {len(node)} items: no item [{idx}] "
                                   f"(indices count from 0)")
            else:
                known = [x.get("id") for x in node if isinstance(x, dict)]
                if text not in known:
                    base = _label(steps, ids)
                    hint = _suggest(f"{base}[{text}]", [f"{base}[{k}]" for k in known
                                                        if isinstance(k, str)])
                    raise KeyError(f"no item with id '{text}' in {where}{hint}")
                idx = known.index(text)
            parent, step = node, idx
            node = node[idx]
            model = model[idx] if isinstance(model, list | tuple) and idx < len(model) else None
            ident = node.get("id") if isinstance(node, dict) else None
            steps.append(idx)
            ids.append(ident if isinstance(ident, str) else None)
    return parent, step, _label(steps, ids)


def _strip_ids(label: str) -> str:
    return re.sub(r"\([^()]*\)", "", label)


def apply_overrides(scenario: Scenario, overrides: Mapping[str, Any],
                    source: str | None = None) -> Scenario:
    """A re-validated copy of ``scenario`` with each path set to its value.

    Raises ``ScenarioError`` with one line per problem: unknown paths (with close matches)
    first; otherwise every validation problem of the changed scenario, each naming the
    override that caused it when the problem is at an overridden path.
    """
    if not overrides:
        return scenario
    source = source or f"{scenario.meta.id} (overrides)"
    data = copy.deepcopy(scenario.model_dump(mode="json"))
    problems: list[tuple[str, str]] = []
    labels: dict[str, str] = {}
    for path, value in overrides.items():
        try:
            parent, step, label = resolve(data, scenario, path)
        except KeyError as exc:
            problems.append((path, f"unknown path: {exc.args[0]}"))
            continue
        parent[step] = copy.deepcopy(value)
        labels[_strip_ids(label)] = path
    if problems:
        raise ScenarioError(source, problems)
    try:
        return parse_scenario(data, source)
    except ScenarioError as exc:
        named = []
        for where, msg in exc.problems:
            user = labels.get(_strip_ids(where))
            if user is not None:
                msg = f"{msg} (set by override {user}={json.dumps(overrides[user])})"
            named.append((where, msg))
        raise ScenarioError(source, named) from None


def parse_value(text: str) -> Any:
    """JSON when it reads as JSON (numbers, true/false, null, lists, objects), else the text
    itself — so ``0.7`` is a number, ``[1,2]`` a list and ``guard_tps`` a string."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_set(items: Iterable[str] | None, source: str = "--set") -> dict[str, Any]:
    """``["a.b=1", "c=x"]`` → ``{"a.b": 1, "c": "x"}`` (a later repeat of a path wins)."""
    out: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for item in items or []:
        path, sep, value = item.partition("=")
        path = path.strip()
        if not sep or not path:
            problems.append((item, "expected PATH=VALUE, e.g. params.rumour.diffusion=0.2"))
            continue
        out[path] = parse_value(value.strip())
    if problems:
        raise ScenarioError(source, problems)
    return out


def split_values(text: str) -> list[str]:
    """Split ``v1,v2,[1,2]`` at top-level commas (not inside brackets, braces or quotes)."""
    parts: list[str] = []
    depth, quote, cur = 0, "", ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
            continue
        cur += ch
    parts.append(cur.strip())
    return parts


def parse_sweep(items: Iterable[str] | None, source: str = "--sweep") -> dict[str, list[Any]]:
    """``["a.b=1,2,3"]`` → ``{"a.b": [1, 2, 3]}``: each value parsed as in ``parse_set``."""
    out: dict[str, list[Any]] = {}
    problems: list[tuple[str, str]] = []
    for item in items or []:
        path, sep, values = item.partition("=")
        path = path.strip()
        vals = [parse_value(v) for v in split_values(values)] if sep else []
        if not sep or not path or any(v == "" for v in vals):
            problems.append((item, "expected PATH=v1,v2,..., e.g. "
                                   "params.forces.strength_multiplier=0.8,1,1.2"))
            continue
        if path in out:
            problems.append((item, f"{path} is swept twice"))
            continue
        out[path] = vals
    if problems:
        raise ScenarioError(source, problems)
    return out


def flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested TOML tables → dotted paths (TOML reads ``a.b = 1`` as ``{"a": {"b": 1}}``)."""
    out: dict[str, Any] = {}
    for k, v in table.items():
        key = f"{prefix}.{k}" if prefix else str(k)
        if isinstance(v, Mapping):
            out.update(flatten(v, key))
        else:
            out[key] = v
    return out
