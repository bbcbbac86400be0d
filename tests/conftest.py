"""Shared fixtures and helpers for the wargame test suite.

* ``tutorial`` / ``banyuwangi``: the bundled scenarios, validated (session-scoped: they are
  immutable pydantic models).
* ``variant(scenario, **overrides)``: a re-validated copy of a scenario with some fields
  changed. Keys are dotted paths (``"params.legitimacy.police_initial"``) or, to fit Python
  keyword syntax, double-underscore paths (``params__legitimacy__police_initial``); integer
  segments index lists (``"units.3.strength"``).
* ``to_toml(data)``: a tiny TOML writer (the project has no tomli-w dependency) so that broken
  scenarios can be written to disk and loaded through the real file loader.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from wargame import catalog
from wargame.scenario import Scenario, parse_scenario

TUTORIAL = "tutorial"
BANYUWANGI = "banyuwangi-pilkada-2024"


# ---------------------------------------------------------------------------- UI


@pytest.fixture
def hub(tmp_path):
    """A UI hub on a temporary store (with its default exercise), installed as the process's
    hub for components rendered by ``solara.render``."""
    from viz import hub as hubmod
    from viz.i18n import lang

    h = hubmod.Hub.open(tmp_path / "exercises.sqlite")
    hubmod.set_hub(h)
    lang.set("id")
    yield h
    hubmod.set_hub(None)
    lang.set("id")
    h.pool.shutdown(wait=True)
    h.store.close()


# ---------------------------------------------------------------------------- scenarios


@pytest.fixture(scope="session")
def tutorial() -> Scenario:
    return catalog.load(TUTORIAL)


@pytest.fixture(scope="session")
def banyuwangi() -> Scenario:
    return catalog.load(BANYUWANGI)


@pytest.fixture()
def tutorial_data() -> dict[str, Any]:
    """The raw TOML data of tutorial.toml (a fresh, mutable dict for each test)."""
    path = catalog.bundled_dir() / f"{TUTORIAL}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _split(path: str) -> list[str]:
    return path.replace("__", ".").split(".")


def set_path(data: Any, path: str, value: Any) -> None:
    """Set ``data[a][b][0][c] = value`` for the path ``"a.b.0.c"`` (in place)."""
    parts = _split(path)
    node = data
    for p in parts[:-1]:
        node = node[int(p)] if isinstance(node, list) else node[p]
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def variant(scenario: Scenario, **overrides: Any) -> Scenario:
    """A re-validated copy of ``scenario`` with the given (dotted) fields replaced."""
    data = copy.deepcopy(scenario.model_dump(mode="json"))
    for path, value in overrides.items():
        set_path(data, path, value)
    return parse_scenario(data, f"<variant of {scenario.meta.id}>")


@pytest.fixture(scope="session")
def make_variant():
    """The ``variant`` helper as a fixture, for tests that prefer injection to imports."""
    return variant


def high_tension(scenario: Scenario, level: float = 0.7) -> Scenario:
    """Low initial legitimacy: produces activity, crowds and arrests in the tutorial."""
    return variant(scenario, **{"params.legitimacy.police_initial": level,
                                "params.legitimacy.election_initial": level})


# ---------------------------------------------------------------------------- TOML writer

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k: str) -> str:
    return k if _BARE_KEY.match(k) else json.dumps(k)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # JSON escapes are valid TOML basic strings
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    if v is None:
        raise TypeError("TOML has no null: leave the key out instead")
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def _is_table_array(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def _table(data: dict[str, Any], prefix: str, out: list[str]) -> None:
    for k, v in data.items():
        if v is None or isinstance(v, dict) or _is_table_array(v):
            continue
        out.append(f"{_key(k)} = {_value(v)}")
    for k, v in data.items():
        name = f"{prefix}.{_key(k)}" if prefix else _key(k)
        if isinstance(v, dict):
            out.append(f"\n[{name}]")
            _table(v, name, out)
        elif _is_table_array(v):
            for item in v:
                out.append(f"\n[[{name}]]")
                _table(item, name, out)


def to_toml(data: dict[str, Any]) -> str:
    """Serialise plain data (as tomllib returns it) to TOML text. ``None`` values are dropped."""
    out: list[str] = []
    _table(data, "", out)
    return "\n".join(out) + "\n"


@pytest.fixture()
def write_toml(tmp_path: Path):
    """Write data as a TOML file under tmp_path and return its path."""

    def write(data: dict[str, Any], name: str = "scenario.toml") -> Path:
        path = tmp_path / name
        path.write_text(to_toml(data), encoding="utf-8")
        return path

    return write


# ---------------------------------------------------------------------------- exercises
# (added for the turn-decision tests: orders, fog of war, doctrines, injects, red cell)

EXTRA_UNITS = [
    {"id": "reskrim", "kind": "reskrim", "name": "Sat Reskrim Polres", "strength": 20,
     "home": "kota", "task": "reserve"},
    {"id": "cyber", "kind": "cyber", "name": "Tim Siber Polres", "strength": 8,
     "home": "kota", "task": "counter_hoax"},
    {"id": "binmas", "kind": "binmas", "name": "Sat Binmas Polres", "strength": 10,
     "home": "kota", "task": "engage"},
    {"id": "negosiator", "kind": "negotiator", "name": "Tim Negosiator Polwan",
     "strength": 10, "home": "kota", "task": "reserve"},
]


@pytest.fixture(scope="session")
def tutorial_full(tutorial) -> Scenario:
    """The tutorial with the unit kinds it lacks (Reskrim, cyber, Binmas, negotiators)."""
    units = [u.model_dump(mode="json", exclude_none=True) for u in tutorial.units]
    return variant(tutorial, units=units + copy.deepcopy(EXTRA_UNITS))


@pytest.fixture(scope="session")
def played():
    """``played(scenario, blue, red, seed)``: a finished Exercise with those players, run
    once per session and shared (tests must only read it). ``scenario`` is a bundled name."""
    from wargame.exercise import Exercise
    from wargame.players import load_player

    cache: dict[tuple[str, str | None, str | None, int], Any] = {}

    def get(scenario: str, blue: str | None, red: str | None, seed: int = 0):
        key = (scenario, blue, red, seed)
        if key not in cache:
            ex = Exercise(scenario, seed, blue=load_player(blue, "blue"),
                          red=load_player(red, "red"))
            ex.run()
            cache[key] = ex
        return cache[key]

    return get


def seen_during_turn(ex, state):
    """Spy on a running exercise: ``state(model)`` as every tick's citizens decide.

    Per-turn state (mobilisation drives, Gakkumdu, weather) is set by the turn's orders and
    injects and ends with the turn, so it has to be observed while the turn runs.
    """
    seen = []
    model = ex.model
    original = model._citizens

    def spy(tick):
        seen.append(state(model))
        return original(tick)

    model._citizens = spy
    return seen
