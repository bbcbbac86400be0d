"""Scenario overrides by dotted path (``wargame.overrides``) and ``wargame run --set``."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from wargame.cli import app
from wargame.overrides import (
    apply_overrides,
    flatten,
    parse_set,
    parse_sweep,
    split_path,
    split_values,
)
from wargame.scenario import ScenarioError


def _error(sc, overrides) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        apply_overrides(sc, overrides)
    return info.value


def test_sets_nested_params_and_list_items_by_index_and_by_id(tutorial):
    unit = tutorial.units[1]
    sc = apply_overrides(tutorial, {"params.legitimacy.police_initial": 0.7,
                                    "districts[3].population": 120000,
                                    f"units[{unit.id}].strength": 77})
    assert sc.params.legitimacy.police_initial == 0.7
    assert sc.districts[3].population == 120000
    assert sc.units[1].strength == 77
    # the original is untouched (scenarios are immutable) and the digest tells them apart
    assert tutorial.params.legitimacy.police_initial != 0.7
    assert sc.digest() != tutorial.digest()


def test_a_partial_unit_kind_override_keeps_that_kinds_other_defaults(tutorial):
    sc = apply_overrides(tutorial, {"params.unit_kinds.brimob.speed_kmh": 55})
    brimob, before = sc.params.unit_kinds["brimob"], tutorial.params.unit_kinds["brimob"]
    assert brimob.speed_kmh == 55
    assert brimob.control_power == before.control_power
    assert brimob.control_level == 3


def test_values_are_type_checked_by_revalidation(tutorial):
    sc = apply_overrides(tutorial, {"params.forces.strength_multiplier": "1.5"})
    assert sc.params.forces.strength_multiplier == 1.5  # pydantic's usual coercion


def test_no_overrides_returns_the_same_scenario(tutorial):
    assert apply_overrides(tutorial, {}) is tutorial


def test_unknown_field_names_the_path_and_suggests_close_matches(tutorial):
    err = _error(tutorial, {"params.legitimacy.police_inital": 0.7})
    (line,) = err.lines()
    assert "params.legitimacy.police_inital: unknown path" in line
    assert "did you mean params.legitimacy.police_initial" in line


def test_unknown_table_higher_up_is_named(tutorial):
    err = _error(tutorial, {"params.legitmacy.police_initial": 0.7})
    assert "no field 'legitmacy' in params" in err.lines()[0]
    assert "params.legitimacy" in err.lines()[0]


def test_unknown_item_id_and_index_out_of_range(tutorial):
    err = _error(tutorial, {"units[samapta-9].strength": 3, "districts[30].population": 1})
    lines = err.lines()
    assert len(lines) == 2
    assert "units[samapta-9].strength: unknown path: no item with id 'samapta-9'" in lines[0]
    assert "did you mean units[samapta]" in lines[0]
    assert "districts has 5 items" in lines[1]


def test_cannot_descend_into_a_number(tutorial):
    err = _error(tutorial, {"params.forces.strength_multiplier.x": 1})
    assert "is a float, not a table" in err.lines()[0]


def test_bad_value_names_the_path_and_the_problem(tutorial):
    err = _error(tutorial, {"params.legitimacy.police_initial": 1.7})
    (line,) = err.lines()
    assert "params.legitimacy.police_initial: Input should be less than or equal to 1" in line
    assert "set by override params.legitimacy.police_initial=1.7" in line
    err = _error(tutorial, {f"units[{tutorial.units[0].id}].strength": "lots"})
    assert f"units[0]({tutorial.units[0].id}).strength" in err.lines()[0]
    assert "valid integer" in err.lines()[0]


def test_a_new_key_of_an_open_table_reaches_the_reference_checks(tutorial):
    cand = tutorial.candidates[0].id
    err = _error(tutorial, {f"candidates[{cand}].support.atlantis": 0.0})
    assert any("unknown district 'atlantis'" in line for line in err.lines())


def test_split_path():
    assert split_path("units[samapta-1].area[0]") == [
        ("key", "units"), ("item", "samapta-1"), ("key", "area"), ("item", "0")]
    with pytest.raises(ValueError):
        split_path("a..b")


def test_parse_set_reads_json_values_else_strings():
    got = parse_set(["a.b=1", "c=x", "d=[1, 2]", "e=true", "f=0.25", "g=guard_tps", "a.b=2"])
    assert got == {"a.b": 2, "c": "x", "d": [1, 2], "e": True, "f": 0.25, "g": "guard_tps"}
    with pytest.raises(ScenarioError) as info:
        parse_set(["no-equals-sign"])
    assert "expected PATH=VALUE" in info.value.lines()[0]


def test_parse_sweep_splits_at_top_level_commas():
    assert split_values("1,[2,3],'a,b'") == ["1", "[2,3]", "'a,b'"]
    assert parse_sweep(["p.x=0.5,1,2", "p.y=[1,2],[3,4]"]) == {
        "p.x": [0.5, 1, 2], "p.y": [[1, 2], [3, 4]]}
    with pytest.raises(ScenarioError):
        parse_sweep(["p.x=1,,2"])


def test_flatten_turns_toml_dotted_keys_into_paths():
    assert flatten({"params": {"forces": {"strength_multiplier": 2}}, "units[a].x": 1}) == {
        "params.forces.strength_multiplier": 2, "units[a].x": 1}


def test_cli_run_set_unknown_path_is_a_clear_error():
    result = CliRunner().invoke(app, ["run", "tutorial", "--set",
                                      "params.legitimacy.police_inital=0.7"])
    assert result.exit_code == 2
    assert "params.legitimacy.police_inital" in result.output
    assert "did you mean params.legitimacy.police_initial" in result.output
    assert "Traceback" not in result.output


def test_cli_run_set_applies_before_the_exercise(tutorial):
    result = CliRunner().invoke(app, ["run", "tutorial", "--json", "--doctrine", "none",
                                      "--red", "none", "--set",
                                      "params.legitimacy.police_initial=0.5"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["overrides"] == {"params.legitimacy.police_initial": 0.5}
