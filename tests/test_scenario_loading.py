"""Scenario files: the bundled ones load as designed; broken ones are rejected with the file,
the field path and what is wrong (never a traceback for the user to decode)."""

from __future__ import annotations

import tomllib
from collections import Counter
from typing import Any

import numpy as np
import pytest
from conftest import BANYUWANGI, TUTORIAL, to_toml
from pydantic import ValidationError

from wargame import catalog
from wargame.scenario import (
    CIVIL_KINDS,
    Scenario,
    ScenarioError,
    Task,
    UnitKind,
    load_scenario_file,
    parse_scenario,
)

TNI_KODIM = {UnitKind.KORAMIL, UnitKind.BABINSA, UnitKind.KODIM}
NOT_POLRESTA = {UnitKind.BRIMOB, UnitKind.LANAL} | TNI_KODIM | CIVIL_KINDS


def strength_by_kind(sc: Scenario) -> Counter[UnitKind]:
    c: Counter[UnitKind] = Counter()
    for u in sc.units:
        c[u.kind] += u.strength
    return c


# ---------------------------------------------------------------------------- bundled files


def test_bundled_names_include_the_reference_scenarios():
    names = catalog.bundled_names()
    assert {BANYUWANGI, TUTORIAL, "kpu-riot"} <= set(names)
    assert names == sorted(names)


@pytest.mark.parametrize("name", [TUTORIAL, BANYUWANGI])
def test_bundled_scenario_loads_and_is_valid(name):
    sc = catalog.load(name)
    assert sc.meta.id == name
    assert len(sc.districts) >= 2
    assert len(sc.candidates) == 2
    # loading the same file by path gives the same scenario
    assert load_scenario_file(catalog.bundled_dir() / f"{name}.toml") == sc
    assert sc.digest() == catalog.load(name).digest()


@pytest.mark.parametrize("name", [TUTORIAL, BANYUWANGI])
def test_support_shares_sum_to_one_in_every_district(name):
    sc = catalog.load(name)
    for d in sc.district_ids:
        assert sum(c.support[d] for c in sc.candidates) == pytest.approx(1.0, abs=1e-9)


def test_banyuwangi_has_25_districts(banyuwangi):
    assert len(banyuwangi.districts) == 25
    assert len(set(banyuwangi.district_ids)) == 25


def test_banyuwangi_force_totals_as_designed(banyuwangi):
    """[C] 1,296 = 850 Polresta + 316 Kodim 0825 + 100 Lanal + 30 Brimob (1 SST)."""
    by_kind = strength_by_kind(banyuwangi)
    polresta = sum(v for k, v in by_kind.items() if k not in NOT_POLRESTA)
    kodim = sum(by_kind[k] for k in TNI_KODIM)
    assert polresta == 850
    assert kodim == 316
    assert by_kind[UnitKind.LANAL] == 100
    assert by_kind[UnitKind.BRIMOB] == 30
    assert polresta + kodim + by_kind[UnitKind.LANAL] + by_kind[UnitKind.BRIMOB] == 1296
    # Linmas are created by the engine from linmas_per_tps, not listed in the file; the
    # local-government Damkar and ambulances are outside the joint force
    assert by_kind[UnitKind.LINMAS] == 0
    assert by_kind[UnitKind.DAMKAR] > 0 and by_kind[UnitKind.MEDIC] > 0


def test_banyuwangi_polsek_rogojampi_covers_blimbingsari(banyuwangi):
    units = {u.id: u for u in banyuwangi.units}
    rogojampi = units["polsek-rogojampi"]
    assert rogojampi.kind == UnitKind.POLSEK
    assert rogojampi.home == "rogojampi"
    assert rogojampi.area == ["blimbingsari"]
    # Blimbingsari has no Polsek of its own
    assert not any(u.kind == UnitKind.POLSEK and u.home == "blimbingsari"
                   for u in banyuwangi.units)


def test_banyuwangi_voter_weighted_paslon1_share_is_about_52_percent(banyuwangi):
    voters = np.array([d.voters for d in banyuwangi.districts], dtype=float)
    share = np.array([banyuwangi.candidates[0].support[d] for d in banyuwangi.district_ids])
    assert banyuwangi.candidates[0].name == "Paslon 1"
    assert float(voters @ share / voters.sum()) == pytest.approx(0.52, abs=0.005)


def test_tutorial_shape(tutorial):
    assert tutorial.district_ids == ["kota", "utara", "barat", "selatan", "timur"]
    assert sum(d.population for d in tutorial.districts) == 170_000
    assert sum(s.turns for s in tutorial.calendar.stages) == 7


# ---------------------------------------------------------------------------- broken data


def _drop_edges_of(data: dict[str, Any], district: str) -> None:
    data["edges"] = [e for e in data["edges"] if district not in (e["a"], e["b"])]


def _mutate(data: dict[str, Any], case: str) -> None:
    """Apply one named breakage to tutorial data (in place)."""
    d = data
    match case:
        case "edge_unknown_district":
            d["edges"][2]["a"] = "atlantis"
        case "edge_unknown_district_b":
            d["edges"][0]["b"] = "atlantis"
        case "negative_population":
            d["districts"][1]["population"] = -5
        case "zero_villages":
            d["districts"][3]["villages"] = 0
        case "support_not_summing":
            d["candidates"][0]["support"]["barat"] = 0.70
        case "support_unknown_district":
            d["candidates"][1]["support"]["atlantis"] = 0.0
        case "unknown_unit_kind":
            d["units"][2]["kind"] = "marines"
        case "unknown_task":
            d["units"][0]["task"] = "nap"
        case "typo_in_district_field":
            d["districts"][0]["populaton"] = d["districts"][0]["population"]
        case "typo_top_level":
            d["unit"] = []
        case "typo_in_params":
            d["params"] = {"activation": {"treshold": 0.2}}
        case "duplicate_district_id":
            d["districts"].append(dict(d["districts"][0]))
        case "duplicate_unit_id":
            d["units"][1]["id"] = d["units"][0]["id"]
        case "disconnected_graph":
            _drop_edges_of(d, "timur")
        case "self_edge":
            d["edges"][0]["b"] = d["edges"][0]["a"]
        case "stage_end_before_start":
            d["calendar"]["stages"][1]["end"] = d["calendar"]["stages"][0]["end"]
        case "stages_out_of_order":
            stages = d["calendar"]["stages"]
            stages[0], stages[1] = stages[1], stages[0]
        case "guard_site_without_site":
            del d["units"][7]["site"]
        case "unknown_site":
            d["units"][7]["site"] = "istana"
        case "unit_home_unknown":
            d["units"][4]["home"] = "atlantis"
        case "voters_exceed_population":
            d["districts"][4]["voters"] = d["districts"][4]["population"] + 1
        case "bad_colour":
            d["candidates"][0]["colour"] = "blue"
        case "one_candidate":
            d["candidates"] = d["candidates"][:1]
        case "crowd_sizes_inverted":
            d["params"] = {"crowd": {"form_size": 100, "dissolve_size": 100}}
        case _:
            raise AssertionError(case)


# (case, expected field path, a fragment of the message)
BROKEN = [
    ("edge_unknown_district", "edges[2].a", "unknown district 'atlantis'"),
    ("edge_unknown_district_b", "edges[0].b", "unknown district 'atlantis'"),
    ("negative_population", "districts[1](utara).population", "greater than 0"),
    ("zero_villages", "districts[3](selatan).villages", "greater than or equal to 1"),
    ("support_not_summing", "candidates[*].support.barat",
     "support shares in 'barat' sum to 1.0800, not 1"),
    ("support_unknown_district", "candidates[1](paslon2).support.atlantis",
     "unknown district 'atlantis'"),
    ("unknown_unit_kind", "units[2](polsek-barat).kind", "'marines'"),
    ("unknown_task", "units[0](polsek-kota).task", "'nap'"),
    ("typo_in_district_field", "districts[0](kota).populaton", "unknown field"),
    ("typo_top_level", "unit", "unknown field"),
    ("typo_in_params", "params.activation.treshold", "unknown field"),
    ("duplicate_district_id", "districts[5].id", "duplicate id 'kota'"),
    ("duplicate_unit_id", "units[1].id", "duplicate id 'polsek-kota'"),
    ("disconnected_graph", "edges", "not connected: ['timur'] is cut off"),
    ("self_edge", "edges[0]", "edge from 'kota' to itself"),
    ("stage_end_before_start", "calendar.stages[1](quiet).end",
     "ends 2024-11-23 before it starts 2024-11-24"),
    ("stages_out_of_order", "calendar.stages[1](campaign).start", "chronological order"),
    ("guard_site_without_site", "units[7](dalmas).site", "task guard_site needs a site"),
    ("unknown_site", "units[7](dalmas).site", "unknown site 'istana'"),
    ("unit_home_unknown", "units[4](bhabin-kota).home", "unknown district 'atlantis'"),
    ("voters_exceed_population", "districts[4](timur).voters",
     "20001 voters exceed population 20000"),
    ("bad_colour", "candidates[0](paslon1).colour", "should match pattern"),
    ("one_candidate", "candidates", "at least 2 items"),
    ("crowd_sizes_inverted", "params.crowd.dissolve_size", "must be below"),
]


@pytest.mark.parametrize(("case", "path", "fragment"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_scenario_is_rejected_with_field_path_and_message(
        tutorial_data, case, path, fragment):
    _mutate(tutorial_data, case)
    with pytest.raises(ScenarioError) as info:
        parse_scenario(tutorial_data, "broken.toml")
    err = info.value
    assert err.source == "broken.toml"
    matching = [msg for p, msg in err.problems if p == path]
    assert matching, f"no problem at {path!r}; got {err.problems}"
    assert any(fragment in msg for msg in matching), matching
    # every problem is one readable "file: field: message" line
    assert len(err.lines()) == len(err.problems)
    assert all(line.startswith("broken.toml: ") for line in err.lines())
    assert f"broken.toml: {path}: " in "\n".join(err.lines())
    assert "Traceback" not in str(err)


def test_every_problem_is_reported_not_only_the_first(tutorial_data):
    _mutate(tutorial_data, "edge_unknown_district")
    _mutate(tutorial_data, "support_not_summing")
    _mutate(tutorial_data, "guard_site_without_site")
    with pytest.raises(ScenarioError) as info:
        parse_scenario(tutorial_data, "x.toml")
    paths = {p for p, _ in info.value.problems}
    assert {"edges[2].a", "candidates[*].support.barat", "units[7](dalmas).site"} <= paths


def test_unmodified_tutorial_data_is_valid(tutorial_data, tutorial):
    """Guards the broken-file tests: the mutation, not the fixture, breaks the data."""
    assert parse_scenario(tutorial_data, "ok") == tutorial


# ---------------------------------------------------------------------------- real files


def test_toml_writer_round_trips_the_tutorial(tutorial_data, write_toml, tutorial):
    path = write_toml(tutorial_data, "roundtrip.toml")
    assert load_scenario_file(path) == tutorial


@pytest.mark.parametrize(("case", "path", "fragment"), [
    ("negative_population", "districts[1](utara).population", "greater than 0"),
    ("edge_unknown_district", "edges[2].a", "unknown district 'atlantis'"),
    ("stage_end_before_start", "calendar.stages[1](quiet).end", "before it starts"),
])
def test_broken_file_on_disk_names_the_file(tutorial_data, write_toml, case, path, fragment):
    _mutate(tutorial_data, case)
    file = write_toml(tutorial_data, f"{case}.toml")
    with pytest.raises(ScenarioError) as info:
        catalog.load(str(file))
    lines = info.value.lines()
    assert any(line.startswith(f"{file}: {path}: ") and fragment in line for line in lines), lines


def test_invalid_toml_syntax_gives_a_file_level_message(tmp_path):
    file = tmp_path / "syntax.toml"
    file.write_text('[meta]\nid = "x"\nname = \n', encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario_file(file)
    (path, msg), = info.value.problems
    assert path == ""
    assert msg.startswith("not valid TOML")
    assert info.value.lines()[0].startswith(f"{file}: <root>: not valid TOML")


def test_non_utf8_file_is_rejected(tmp_path):
    file = tmp_path / "latin1.toml"
    file.write_bytes('[meta]\nname = "Pendopo Sabha Swagata Blambangan é"\n'.encode("latin-1"))
    with pytest.raises(ScenarioError) as info:
        load_scenario_file(file)
    assert info.value.problems[0][1].startswith("not UTF-8 text")


def test_missing_file_is_reported_not_raised_as_oserror(tmp_path):
    file = tmp_path / "nope.toml"
    with pytest.raises(ScenarioError) as info:
        catalog.load(str(file))
    assert info.value.problems == [("", "file not found")]
    assert info.value.lines() == [f"{file}: <root>: file not found"]


def test_unknown_bundled_name_lists_the_bundled_scenarios():
    with pytest.raises(ScenarioError) as info:
        catalog.load("atlantis")
    msg = info.value.problems[0][1]
    assert "no such file or bundled scenario" in msg
    assert TUTORIAL in msg and BANYUWANGI in msg


def test_empty_file_reports_every_missing_section(tmp_path):
    file = tmp_path / "empty.toml"
    file.write_text("", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario_file(file)
    paths = {p for p, _ in info.value.problems}
    assert {"meta", "districts", "candidates", "calendar"} <= paths


def test_to_toml_writes_nested_tables():
    text = to_toml({"a": 1, "t": {"x": "y"}, "arr": [{"k": 1, "sub": {"z": 2.5}}, {"k": 2}]})
    assert tomllib.loads(text) == {"a": 1, "t": {"x": "y"},
                                   "arr": [{"k": 1, "sub": {"z": 2.5}}, {"k": 2}]}


def test_scenarios_are_immutable(tutorial):
    with pytest.raises(ValidationError, match="frozen"):
        tutorial.districts[0].population = 1  # type: ignore[misc]
    assert tutorial.units[7].task == Task.GUARD_SITE


def test_scenario_format_reference_is_in_step_with_the_schema():
    """docs/scenario-format.md is generated from the schema; regenerate it with
    `uv run python -m wargame.schema_doc > docs/scenario-format.md` after a schema change."""
    from pathlib import Path

    from wargame.schema_doc import render_markdown

    doc = Path(__file__).resolve().parent.parent / "docs" / "scenario-format.md"
    assert doc.read_text(encoding="utf-8").strip() == render_markdown().strip()
