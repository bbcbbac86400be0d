"""The `wargame` command line: one obvious entry point per use, errors as readable lines."""

from __future__ import annotations

import csv
import json

import pytest
from conftest import BANYUWANGI, TUTORIAL
from typer.testing import CliRunner

from wargame.cli import app
from wargame.metrics import OUTCOMES


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def test_validate_bundled_tutorial_exits_zero(runner):
    result = runner.invoke(app, ["validate", TUTORIAL])
    assert result.exit_code == 0, result.output
    assert "tutorial: valid (5 districts, 12 units, 4 stages, digest " in result.stdout


def test_validate_a_file_by_path(runner, tutorial_data, write_toml):
    path = write_toml(tutorial_data, "copy.toml")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "valid" in result.stdout


def test_validate_broken_file_prints_file_field_message_lines(runner, tutorial_data,
                                                              write_toml):
    tutorial_data["districts"][1]["population"] = -5
    tutorial_data["edges"][2]["a"] = "atlantis"
    tutorial_data["units"][0]["kind"] = "marines"
    path = write_toml(tutorial_data, "broken.toml")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    err = result.stderr.splitlines()
    assert f"{path}: districts[1](utara).population: Input should be greater than 0" in err
    assert f"{path}: units[0](polsek-kota).kind: " in result.stderr
    assert all(line.startswith(f"{path}: ") for line in err)
    assert "Traceback" not in result.output
    assert "valid (" not in result.stdout


def test_validate_invalid_toml_exits_nonzero_without_traceback(runner, tmp_path):
    path = tmp_path / "syntax.toml"
    path.write_text("[meta\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code != 0
    assert result.stderr.startswith(f"{path}: <root>: not valid TOML")
    assert "Traceback" not in result.output


def test_validate_missing_file_and_unknown_name(runner, tmp_path):
    missing = runner.invoke(app, ["validate", str(tmp_path / "nope.toml")])
    assert missing.exit_code != 0
    assert "file not found" in missing.stderr
    unknown = runner.invoke(app, ["validate", "atlantis"])
    assert unknown.exit_code != 0
    assert "no such file or bundled scenario" in unknown.stderr
    assert "Traceback" not in missing.output + unknown.output


def test_run_broken_file_fails_like_validate(runner, tutorial_data, write_toml):
    tutorial_data["calendar"]["stages"][1]["end"] = "2024-11-01"
    path = write_toml(tutorial_data, "broken.toml")
    result = runner.invoke(app, ["run", str(path), "--json"])
    assert result.exit_code != 0
    assert f"{path}: calendar.stages[1](quiet).end: ends 2024-11-01" in result.stderr
    assert result.stdout == ""


def test_schema_prints_json_schema(runner):
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert "properties" in schema
    assert {"meta", "districts", "edges", "candidates", "units", "calendar", "params"} <= set(
        schema["properties"])
    assert set(schema["required"]) >= {"meta", "districts", "candidates", "calendar"}


def test_scenarios_lists_both_bundled_names(runner):
    result = runner.invoke(app, ["scenarios"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    assert {TUTORIAL, BANYUWANGI} <= set(names)
    assert names == sorted(names)
    assert "INVALID" not in result.stdout
    assert "Tutorial: Sukamaju Regency (fictional)" in result.stdout


def test_run_json_prints_one_object_with_all_outcomes(runner):
    result = runner.invoke(app, ["run", TUTORIAL, "--json", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.strip().splitlines()) == 1
    out = json.loads(result.stdout)
    assert {"scenario", "seed", "metrics"} <= set(out)
    assert out["doctrine"] == "preemptive" and out["red"] == "opportunist"  # the defaults
    assert out["scenario"] == TUTORIAL
    assert out["seed"] == 3
    assert set(OUTCOMES) <= set(out["metrics"])
    # same seed on the command line → same numbers
    again = runner.invoke(app, ["run", TUTORIAL, "--json", "--seed", "3"])
    assert json.loads(again.stdout) == out


def test_run_timeline_writes_one_row_per_district_per_turn(runner, tmp_path):
    path = tmp_path / "out" / "timeline.csv"
    result = runner.invoke(app, ["run", TUTORIAL, "--seed", "1", "--timeline", str(path)])
    assert result.exit_code == 0, result.output
    assert f"timeline written to {path}" in result.stdout
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 5 * 7
    pairs = {(int(r["turn"]), r["district"]) for r in rows}
    assert pairs == {(t, d) for t in range(7)
                     for d in ["kota", "utara", "barat", "selatan", "timur"]}
    assert {"turn", "stage", "time", "district", "tension", "active_fraction", "rumour",
            "legitimacy", "level", "crowd"} <= set(rows[0])
    stages = [r["stage"] for r in rows if r["district"] == "kota"]
    assert stages == ["campaign"] * 2 + ["quiet"] + ["voting"] * 2 + ["recap"] * 2
    for r in rows:
        assert 0.0 <= float(r["active_fraction"]) <= 1.0
        assert int(r["level"]) in (-1, 0, 1, 2)


def test_run_without_json_prints_a_readable_summary(runner):
    result = runner.invoke(app, ["run", TUTORIAL, "--seed", "2"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("Tutorial: Sukamaju Regency (fictional) — seed 2")
    assert "1,700 synthetic citizens (1 : 100)" in text
    assert "38 ticks in 7 turns" in text
    assert "outcomes" in text
    for name in OUTCOMES:
        assert name in text
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)


def test_run_scale_option_changes_the_population(runner):
    result = runner.invoke(app, ["run", TUTORIAL, "--scale", "50"])
    assert result.exit_code == 0, result.output
    assert "3,400 synthetic citizens (1 : 50)" in result.stdout


def test_no_arguments_shows_help(runner):
    result = runner.invoke(app, [])
    assert "validate" in result.output and "run" in result.output
