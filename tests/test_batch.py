"""Batch comparisons (``wargame.batch`` and ``wargame compare``): common random numbers,
resume, failure rows, sweeps, Dask equivalence and the CLI's outputs. Small on purpose:
the tutorial scenario and two or three replications."""

from __future__ import annotations

import concurrent.futures as cf
import gc
import json
import weakref
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from wargame import batch
from wargame.cli import app
from wargame.exercise import Exercise
from wargame.metrics import OUTCOMES
from wargame.overrides import apply_overrides
from wargame.players import load_player

SWEEP_PATH = "params.rumour.diffusion"

# Local pools fork (the engine is then already imported in every worker); CPython 3.12 warns
# about forking whenever native library threads (OpenBLAS, Arrow) exist. See open_executor.
pytestmark = pytest.mark.filterwarnings(
    "ignore:This process .* is multi-threaded:DeprecationWarning")


@pytest.fixture(scope="module")
def crn_runs() -> pd.DataFrame:
    """Two doctrines × two sweep points × three replications, serial."""
    return batch.compare("tutorial", ["preemptive", "reactive"], runs=3, seed=11,
                         sweep={SWEEP_PATH: [0.1, 0.3]}, jobs=1)


@pytest.fixture()
def counted(monkeypatch) -> list[str]:
    """Record the key of every run actually executed (serial runs call batch.run_one)."""
    calls: list[str] = []
    real = batch.run_one

    def counting(task):
        calls.append(task["key"])
        return real(task)

    monkeypatch.setattr(batch, "run_one", counting)
    return calls


def _metrics(df: pd.DataFrame) -> pd.DataFrame:
    cols = ["doctrine", "point", "replication", *[c for c in df.columns if c in OUTCOMES]]
    return df[cols].sort_values(["point", "doctrine", "replication"]).reset_index(drop=True)


def test_common_random_numbers_same_seed_child_across_doctrines_and_points(crn_runs):
    df = crn_runs
    assert len(df) == 12 and (df["status"] == "ok").all()
    children = np.random.SeedSequence(11).spawn(3)
    for i, child in enumerate(children):
        rep = df[df["replication"] == i]
        assert len(rep) == 4
        assert set(rep["seed_entropy"]) == {str(child.entropy)}
        assert set(rep["spawn_key"]) == {json.dumps(list(child.spawn_key))}
    assert df["spawn_key"].nunique() == 3


def test_initial_populations_of_two_doctrines_are_identical_per_replication(crn_runs,
                                                                            tutorial):
    df = crn_runs[crn_runs["point"] == 0]
    pops = {}
    for _, row in df[df["replication"].isin([0, 1])].iterrows():
        ex = Exercise(tutorial, batch.seed_sequence(row),
                      blue=load_player(row["doctrine"], "blue"), red=load_player("opportunist",
                                                                                  "red"))
        pops[row["doctrine"], row["replication"]] = ex.model.pop
    for field in ("district", "hood", "hardship", "risk_aversion", "threshold", "affiliation",
                  "state"):
        a, b = pops["preemptive", 0], pops["reactive", 0]
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert not np.array_equal(pops["preemptive", 0].hardship, pops["preemptive", 1].hardship)


def test_a_row_is_reproduced_exactly_from_its_recorded_seed(crn_runs, tutorial):
    row = crn_runs[(crn_runs["doctrine"] == "reactive") & (crn_runs["point"] == 1)].iloc[2]
    sc = apply_overrides(tutorial, json.loads(row["overrides"]))
    metrics = Exercise(sc, batch.seed_sequence(row), blue=load_player("reactive", "blue"),
                       red=load_player("opportunist", "red")).run()
    for k in OUTCOMES:
        assert metrics[k] == row[k], k


def test_sweep_grid_records_override_values(tutorial):
    df = batch.compare(tutorial, ["preemptive"], runs=1, jobs=1,
                       sweep=batch.grid({SWEEP_PATH: [0.1, 0.3],
                                         "params.forces.strength_multiplier": [1, 1.5]}),
                       overrides={"params.legitimacy.police_initial": 0.8})
    assert len(df) == 4
    got = set(zip(df[SWEEP_PATH], df["params.forces.strength_multiplier"], strict=True))
    assert got == {(0.1, 1), (0.1, 1.5), (0.3, 1), (0.3, 1.5)}
    assert (df["params.legitimacy.police_initial"] == 0.8).all()  # fixed --set recorded too
    assert df.attrs["swept_columns"] == [SWEEP_PATH, "params.forces.strength_multiplier"]
    assert df["point"].nunique() == 4


def test_design_file_points_crossed_with_grid(tmp_path, tutorial):
    design = tmp_path / "design.toml"
    design.write_text('[[points]]\nparams.rumour.diffusion = 0.1\n\n'
                      '[[points]]\n"params.rumour.diffusion" = 0.2\n'
                      '"units[samapta].strength" = 40\n\n'
                      '[grid]\nparams.forces.strength_multiplier = [1.0, 2.0]\n',
                      encoding="utf-8")
    points = batch.load_design(design)
    assert points == [
        {SWEEP_PATH: 0.1, "params.forces.strength_multiplier": 1.0},
        {SWEEP_PATH: 0.1, "params.forces.strength_multiplier": 2.0},
        {SWEEP_PATH: 0.2, "units[samapta].strength": 40,
         "params.forces.strength_multiplier": 1.0},
        {SWEEP_PATH: 0.2, "units[samapta].strength": 40,
         "params.forces.strength_multiplier": 2.0}]
    # a point that does not set a swept path records the value it ran with
    df = batch.compare(tutorial, ["none"], red="none", runs=1, jobs=1, sweep=points[:3])
    samapta = next(u.strength for u in tutorial.units if u.id == "samapta")
    assert list(df["units[samapta].strength"]) == [samapta, samapta, 40]


def test_resume_recomputes_only_the_missing_run(tmp_path, counted):
    out = tmp_path / "cmp"
    first = batch.compare("tutorial", ["preemptive", "reactive"], runs=2, seed=5, jobs=1,
                          out=out, plots=False)
    assert len(counted) == 4
    lines = (out / batch.RUNS_JSONL).read_text(encoding="utf-8").splitlines()
    dropped = json.loads(lines[2])["key"]
    (out / batch.RUNS_JSONL).write_text("\n".join(lines[:2] + lines[3:]) + "\n",
                                        encoding="utf-8")
    counted.clear()
    again = batch.compare("tutorial", ["preemptive", "reactive"], runs=2, seed=5, jobs=1,
                          out=out, plots=False)
    assert counted == [dropped]
    assert again.attrs["manifest"]["counts"]["resumed"] == 3
    pd.testing.assert_frame_equal(_metrics(first), _metrics(again))
    # a torn last line (a crash mid-write) is skipped, and appending starts a fresh line
    with (out / batch.RUNS_JSONL).open("a", encoding="utf-8") as fh:
        fh.write('{"key": "torn')
    counted.clear()
    batch.compare("tutorial", ["preemptive", "reactive"], runs=3, seed=5, jobs=1, out=out,
                  plots=False)
    assert len(counted) == 2  # only replication 2 is new
    assert len(batch.read_jsonl(out / batch.RUNS_JSONL)) == 6


def test_a_failing_doctrine_gives_failed_rows_and_the_batch_completes(tmp_path):
    out = tmp_path / "boom"
    df = batch.compare("tutorial", ["preemptive", "tests.helpers_batch:Boom"], runs=2,
                       jobs=2, out=out, plots=False)
    boom = df[df["doctrine"] == "tests.helpers_batch:Boom"]
    assert len(boom) == 2 and (boom["status"] == "failed").all()
    assert (boom["error_type"] == "RuntimeError").all()
    assert boom["error"].str.contains("boom").all()
    assert (df[df["doctrine"] == "preemptive"]["status"] == "ok").all()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["failed"] == {"preemptive": 0, "tests.helpers_batch:Boom": 2}
    assert summary["doctrines"]["tests.helpers_batch:Boom"]["injured"]["n"] == 0
    assert df.attrs["manifest"]["counts"]["failed"] == 2


def _planned(tutorial, doctrines: list[str], runs: int) -> list[dict]:
    return batch.plan(tutorial, doctrines, red="opportunist", runs=runs, entropy=4,
                      overrides={}, points=[{}], scale=None, source="<tutorial>")[0]


class _Recording(cf.ThreadPoolExecutor):
    """An executor that notes what it is given."""

    def __init__(self) -> None:
        super().__init__(max_workers=1)
        self.given: list[list[dict]] = []

    def submit(self, fn, /, *args, **kwargs):
        self.given.append(args[0])
        return super().submit(fn, *args, **kwargs)


def test_an_executor_runs_the_doctrines_of_a_replication_together(tutorial):
    """Each replication's doctrines go to one worker, back to back (they share the citizens
    they draw), and the rows are those of running the tasks one by one."""
    tasks = _planned(tutorial, ["preemptive", "reactive", "repressive"], 2)
    pooled: list[dict] = []
    with _Recording() as executor:
        batch._execute(tasks, executor, pooled.append)
    assert [[(t["replication"], t["doctrine"]) for t in g] for g in executor.given] == [
        [(i, d) for d in ("preemptive", "reactive", "repressive")] for i in range(2)]
    serial: list[dict] = []
    batch._execute(tasks, None, serial.append)
    by_key = {r["key"]: r for r in serial}
    assert len(pooled) == len(serial) == 6
    for row in pooled:
        assert row["status"] == "ok"
        assert {k: row[k] for k in OUTCOMES} == {k: by_key[row["key"]][k] for k in OUTCOMES}


def test_a_dead_worker_fails_each_run_it_held_and_the_batch_goes_on(tutorial):
    tasks = _planned(tutorial, ["preemptive", "reactive"], 2)

    class Dying(_Recording):
        def submit(self, fn, /, *args, **kwargs):
            if len(self.given) == 0:  # the first replication's worker dies
                self.given.append(args[0])
                fut: cf.Future = cf.Future()
                fut.set_exception(RuntimeError("A process in the pool was terminated"))
                return fut
            return super().submit(fn, *args, **kwargs)

    rows: list[dict] = []
    with Dying() as executor:
        batch._execute(tasks, executor, rows.append)
    status = {(r["replication"], r["doctrine"]): r["status"] for r in rows}
    assert status == {(0, "preemptive"): "failed", (0, "reactive"): "failed",
                      (1, "preemptive"): "ok", (1, "reactive"): "ok"}
    dead = [r for r in rows if r["status"] == "failed"]
    assert all(r["error"] == "A process in the pool was terminated" for r in dead)
    assert all(r["error_type"] == "RuntimeError" for r in dead)


def test_unknown_doctrine_fails_before_any_run(counted):
    with pytest.raises(ValueError, match="unknown doctrine"):
        batch.compare("tutorial", ["preemptive", "preemptiv"], runs=2, jobs=1)
    assert counted == []


def test_dask_cluster_gives_the_local_pools_results_seed_for_seed():
    distributed = pytest.importorskip("distributed")
    local = batch.compare("tutorial", ["preemptive", "repressive"], runs=2, seed=3, jobs=2,
                          sweep={SWEEP_PATH: [0.1, 0.4]})
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = batch.compare("tutorial", ["preemptive", "repressive"], runs=2, seed=3,
                               scheduler=cluster.scheduler_address,
                               sweep={SWEEP_PATH: [0.1, 0.4]})
    assert "dask.distributed" in remote.attrs["manifest"]["executor"]
    assert (remote["status"] == "ok").all()
    assert remote["pid"].nunique() >= 1
    pd.testing.assert_frame_equal(_metrics(local), _metrics(remote), check_exact=True)


# ----------------------------------------------------------------------------- the CLI


@pytest.fixture(scope="module")
def cli_json(tmp_path_factory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("cli") / "cmp"
    result = CliRunner().invoke(app, ["compare", "tutorial", "--doctrine", "preemptive",
                                      "--doctrine", "reactive", "--runs", "3", "--jobs", "1",
                                      "--seed", "2", "--out", str(out), "--csv", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), out


def test_cli_compare_json_shape(cli_json):
    summary, _ = cli_json
    assert summary["ci"] == "t" and summary["runs"] == 3 and summary["baseline"] == "preemptive"
    assert set(summary["doctrines"]) == {"preemptive", "reactive"}
    for outcome in OUTCOMES:
        est = summary["doctrines"]["reactive"][outcome]
        assert {"n", "mean", "sd", "ci_low", "ci_high"} <= set(est)
        pair = summary["paired"]["reactive"][outcome]
        assert {"mean_diff", "ci_low", "ci_high", "p_t", "p_wilcoxon", "cliffs_delta"} <= set(
            pair)
    assert set(summary["paired"]) == {"reactive"}
    assert summary["counts"]["ok"] == 6


def test_cli_compare_writes_every_output(cli_json):
    _, out = cli_json
    for name in ("runs.jsonl", "runs.parquet", "runs.csv", "manifest.json", "summary.csv",
                 "summary.json", "plots/injured.png", "plots/legitimacy_final.png"):
        assert (out / name).is_file(), name
    assert (out / "plots/injured.png").read_bytes()[:4] == b"\x89PNG"
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 6
    assert {"scenario", "digest", "doctrine", "red", "replication", "seed_entropy",
            "spawn_key", "wall_s", "status", "error", *OUTCOMES} <= set(runs.columns)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["scenario"]["id"] == "tutorial" and manifest["seed"] == 2
    assert {"wargame", "mesa", "numpy", "scipy", "pandas"} <= set(manifest["versions"])
    assert manifest["executor"] == "serial, in-process"
    assert manifest["wall_s"] >= 0 and manifest["started"] <= manifest["finished"]


def test_cli_compare_table_output_and_sweep(tmp_path):
    out = tmp_path / "sweep"
    result = CliRunner().invoke(app, ["compare", "tutorial", "-d", "preemptive", "-d", "none",
                                      "--runs", "2", "--jobs", "1", "--out", str(out),
                                      "--sweep", f"{SWEEP_PATH}=0.1,0.2", "--no-plots"])
    assert result.exit_code == 0, result.output
    assert "none − preemptive, paired per replication" in result.stdout
    assert f"{SWEEP_PATH}=0.2" in result.stdout
    runs = pd.read_parquet(out / "runs.parquet")
    assert sorted(runs[SWEEP_PATH].unique()) == [0.1, 0.2]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [p["overrides"] for p in summary["points"]] == [{SWEEP_PATH: 0.1}, {SWEEP_PATH: 0.2}]


def test_cli_compare_set_unknown_path_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(app, ["compare", "tutorial", "-d", "preemptive", "--runs", "1",
                                      "--out", str(tmp_path / "x"), "--set",
                                      "params.forces.strenght_multiplier=2"])
    assert result.exit_code == 2
    assert "params.forces.strenght_multiplier: unknown path" in result.output
    assert "params.forces.strength_multiplier" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(app, ["compare", "tutorial", "-d", "preemptive", "--runs", "1",
                                      "--out", str(tmp_path / "y"), "--sweep",
                                      "params.rumour.diffusion=0.1,7"])
    assert result.exit_code == 2
    assert "params.rumour.diffusion" in result.output
    assert "Traceback" not in result.output


def test_a_run_pauses_the_garbage_collector_and_collects_what_it_left():
    """Runs pause the cyclic collector and collect their young garbage on the way out
    (a finished run is cyclic garbage); a collector the caller had disabled stays so."""

    class Node:
        other: Node

    assert gc.isenabled()
    with batch._collector_paused():
        assert not gc.isenabled()
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle, as a finished run leaves one
        left = weakref.ref(a)
        del a, b
        assert left() is not None  # nothing collects it during the run
    assert gc.isenabled()
    assert left() is None  # collected on the way out
    gc.disable()
    try:
        with batch._collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
