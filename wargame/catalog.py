"""Bundled scenarios: a scenario is named by its file stem in `scenarios/`, or given as a path."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from wargame.scenario import Scenario, ScenarioError, load_scenario_file


def bundled_dir() -> Path:
    return Path(str(resources.files("scenarios")))


def bundled_names() -> list[str]:
    """Names of the scenarios shipped with the engine."""
    return sorted(p.stem for p in bundled_dir().glob("*.toml"))


def resolve(name_or_path: str | Path) -> Path:
    """A bundled name (`tutorial`) or a path to a TOML file."""
    p = Path(name_or_path)
    if p.suffix == ".toml" or p.exists():
        return p
    candidate = bundled_dir() / f"{name_or_path}.toml"
    if candidate.exists():
        return candidate
    known = ", ".join(bundled_names())
    raise ScenarioError(str(name_or_path), [("", f"no such file or bundled scenario "
                                             f"(bundled: {known})")])


def load_bundled(name: str) -> Scenario:
    """A bundled scenario by name only, never a path: for names that come from a browser."""
    if name not in bundled_names():
        raise ScenarioError(str(name), [("", f"not a bundled scenario (bundled: "
                                             f"{', '.join(bundled_names())})")])
    return load_scenario_file(bundled_dir() / f"{name}.toml")


def load(name_or_path: str | Path) -> Scenario:
    """Load and validate a bundled scenario by name, or a scenario file by path."""
    return load_scenario_file(resolve(name_or_path))
