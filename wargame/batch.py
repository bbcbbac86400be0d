"""Batch runs: compare blue doctrines (and parameter sweeps) over many seeded replications.

    df = compare("tutorial", doctrines=["preemptive", "reactive"], runs=30, seed=1)
    summary = wargame.stats.summarise(df)

Design, and why:

* **Common random numbers.** Replication *i* of every doctrine and every sweep point runs
  with the same seed child ``numpy.random.SeedSequence(seed).spawn(runs)[i]``, so the
  doctrines meet the same synthetic population and the same draws up to where their orders
  make the runs diverge; differences are then compared per replication (``wargame.stats``),
  which removes most seed-to-seed noise. Each row records the child's ``seed_entropy`` and
  ``spawn_key``: ``Exercise(scenario, seed_sequence(row), ...)`` reproduces that run exactly.
* **Plain-data tasks.** A task is a dict (the scenario as data, overrides, player specs, the
  seed child as entropy + spawn key) handed to the top-level function ``run_one``; a worker
  rebuilds everything itself. So the same task runs serially, in a local process pool or
  on a Dask cluster on other machines, with identical results seed for seed.
* **Resume.** With an output directory each finished run is appended at once as one JSON
  line to ``runs.jsonl`` (flushed and fsynced: a crash loses at most the runs in flight).
  A run's key is a hash of scenario digest, doctrine (and its rule file's text), red,
  overrides, replication, base seed and scale; on start, runs whose key already has an
  ``ok`` line are skipped. Failed runs are tried again (a failure may have been a dead
  worker); the last line for a key wins. Tables, summary and plots are rebuilt at the end.
* **Failures** are rows (``status="failed"``, ``error``, ``error_type``, ``traceback``),
  not exceptions: one bad run does not sink a batch of hundreds. Statistics leave them out
  and count them.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import functools
import gc
import hashlib
import itertools
import json
import multiprocessing as mp
import os
import platform
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wargame import catalog
from wargame.overrides import apply_overrides, flatten, resolve
from wargame.players import Player, load_player
from wargame.scenario import Scenario, ScenarioError, parse_scenario, read_toml

RUNS_JSONL = "runs.jsonl"
Sweep = Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Any]] | None


# ----------------------------------------------------------------------------- sweep designs


def grid(axes: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """The full factorial grid of ``{path: [values]}``, first path varying slowest."""
    if not axes:
        return [{}]
    paths = list(axes)
    return [dict(zip(paths, combo, strict=True))
            for combo in itertools.product(*(list(axes[p]) for p in paths))]


def cross(*designs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every combination of the points of several designs (later designs win on a clash)."""
    out: list[dict[str, Any]] = [{}]
    for design in designs:
        pts = list(design) or [{}]
        out = [{**a, **b} for a in out for b in pts]
    return out


def load_design(path: str | Path) -> list[dict[str, Any]]:
    """Sweep points from a TOML design file.

    ``[[points]]`` tables list explicit points (``path = value`` each; quote paths with
    brackets: ``"units[samapta].strength" = 40``); a ``[grid]`` table gives ``path =
    [values]`` axes for a full grid. With both, every point is crossed with the grid.
    """
    path = Path(path)
    data = read_toml(path)
    problems = [(k, "unknown table (a design has [[points]] and/or [grid])")
                for k in data if k not in ("points", "grid")]
    points = data.get("points", [])
    if not isinstance(points, list) or not all(isinstance(p, dict) for p in points):
        problems.append(("points", "must be an array of tables, written [[points]]"))
        points = []
    axes = flatten(data.get("grid", {})) if isinstance(data.get("grid", {}), dict) else {}
    for k, v in axes.items():
        if not isinstance(v, list) or not v:
            problems.append((f"grid.{k}", "must be a non-empty list of values"))
    if not points and not axes and not problems:
        problems.append(("", "no [[points]] and no [grid]: nothing to sweep"))
    if problems:
        raise ScenarioError(str(path), problems)
    return cross([flatten(p) for p in points], grid(axes))


def sweep_points(sweep: Sweep) -> list[dict[str, Any]]:
    """Normalise a sweep (``{path: [values]}`` grid, or a list of point dicts) to points."""
    if sweep is None:
        return [{}]
    if isinstance(sweep, Mapping):
        return grid(sweep)
    return [dict(p) for p in sweep] or [{}]


# ----------------------------------------------------------------------------- one run


@functools.cache
def engine_digest() -> str:
    """A hash of the engine's code (``wargame``, ``agents``) and bundled doctrines.

    Part of every run's key, so a resumed batch never mixes results of different engine
    code; each row also records the digest of the worker that ran it, which exposes a
    remote worker running another checkout.
    """
    from importlib import resources

    h = hashlib.sha256()
    for pkg, pattern in (("wargame", "*.py"), ("agents", "*.py"), ("doctrines", "*.toml")):
        root = Path(str(resources.files(pkg)))
        for f in sorted(root.rglob(pattern)):
            h.update(f.relative_to(root).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def seed_sequence(row: Mapping[str, Any]) -> np.random.SeedSequence:
    """The exact seed child a recorded run used (from its ``seed_entropy`` and ``spawn_key``)."""
    key = row["spawn_key"]
    key = json.loads(key) if isinstance(key, str) else key
    return np.random.SeedSequence(int(row["seed_entropy"]), spawn_key=tuple(int(k) for k in key))


# The scenarios of recent tasks, by scenario digest and overrides (at most _KEPT of them);
# a worker may run tasks in threads.
_SCENARIOS: dict[tuple[str, str], Scenario] = {}
_SCENARIOS_LOCK = threading.Lock()
_KEPT = 16


def _scenario(task: Mapping[str, Any], overrides: str) -> Scenario:
    """The task's scenario with its overrides applied (``overrides``: as canonical JSON).

    A worker runs many replications of a few scenarios and sweep points, and rebuilding
    one (validation, references, overrides) costs milliseconds: each is built once per
    process, keyed on the scenario's digest and the overrides. A ``Scenario`` is frozen
    and models only read it, so the runs share it.
    """
    key = (task["digest"], overrides)
    with _SCENARIOS_LOCK:
        sc = _SCENARIOS.get(key)
    if sc is None:
        sc = apply_overrides(parse_scenario(task["scenario_data"], task["scenario"]),
                             task["overrides"])
        with _SCENARIOS_LOCK:
            if len(_SCENARIOS) >= _KEPT:
                del _SCENARIOS[next(iter(_SCENARIOS))]
            _SCENARIOS[key] = sc
    return sc


def _blue(spec: str, toml_text: str | None) -> Player | None:
    """A blue player; a rule file travels as its text so a remote worker needs no copy."""
    if toml_text is None:
        return load_player(spec, "blue")
    from wargame.doctrine import RuleDoctrine, parse_doctrine

    return RuleDoctrine(parse_doctrine(toml_text), spec)


def _jsonable(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for one run, then run on what the run left.

    A finished run is cyclic garbage (its Mesa agents and the model refer to each other),
    which only a collection of the oldest generation frees. While a run allocates, the
    collector keeps walking its young objects and, every dozen runs or so, everything
    older: 10–12 ms of collection per run, measured in a worker. Paused during the run and
    then collecting the young generations once (all the run's objects are young, since none
    was collected), it spends 5–6 ms. Threads (a Dask worker's) may pause it together: it
    is resumed by whoever paused it, and a run that ends while another goes on only
    collects earlier.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect(1)


def run_one(task: Mapping[str, Any]) -> dict[str, Any]:
    """Run one replication described by plain data; always return a row, never raise.

    Top-level and dependent only on its argument, so that process pools and Dask workers
    can run it: the scenario is rebuilt from data, overrides applied, players loaded and the
    seed child recreated from its entropy and spawn key.
    """
    from wargame.exercise import Exercise

    t0 = time.perf_counter()
    row = _task_row(task)
    row["engine"] = engine_digest()
    try:
        sc = _scenario(task, row["overrides"])
        blue = _blue(task["doctrine_spec"], task.get("doctrine_toml"))
        red = load_player(task["red"], "red")
        seed = np.random.SeedSequence(task["entropy"], spawn_key=tuple(task["spawn_key"]))
        with _collector_paused():
            metrics = Exercise(sc, seed, blue=blue, red=red, scale=task["scale"]).run()
        row.update({"status": "ok", "error": None, "error_type": None, "traceback": None})
        row.update({k: _jsonable(v) for k, v in metrics.items()})
    except Exception as exc:  # a failed run is a row, not the end of the batch
        row.update({"status": "failed", "error": str(exc) or repr(exc),
                    "error_type": type(exc).__qualname__,
                    "traceback": traceback.format_exc()[-4000:]})
    row["wall_s"] = time.perf_counter() - t0
    row["host"] = socket.gethostname()
    row["pid"] = os.getpid()
    row["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return row


# ----------------------------------------------------------------------------- the plan


def run_key(digest: str, doctrine: str, doctrine_toml: str | None, red: str,
            overrides: Mapping[str, Any], replication: int, entropy: int,
            scale: int | None) -> str:
    """The identity of a run for resume: same key, same result (same engine code too)."""
    blob = json.dumps({"engine": engine_digest(), "digest": digest, "doctrine": doctrine,
                       "doctrine_file": hashlib.sha256(doctrine_toml.encode()).hexdigest()
                       if doctrine_toml is not None else None,
                       "red": red, "overrides": overrides, "replication": replication,
                       "seed": str(entropy), "scale": scale}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:24]


def _column_value(v: Any) -> Any:
    """Override values as table cells: scalars stay, lists and tables become JSON text."""
    return v if v is None or isinstance(v, bool | int | float | str) else json.dumps(v)


def _value_at(data: Any, scenario: Scenario, path: str) -> Any:
    parent, step, _ = resolve(data, scenario, path)
    try:
        return parent[step]
    except (KeyError, IndexError):
        return None


def plan(scenario: Scenario, doctrines: Sequence[str], *, red: str, runs: int,
         entropy: int, overrides: Mapping[str, Any], points: Sequence[Mapping[str, Any]],
         scale: int | None, source: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every task of a comparison, replication-major (so early results cover every doctrine
    and point), plus what the manifest and the tables need to know about them."""
    data = scenario.model_dump(mode="json")
    digest = scenario.digest()
    swept = list(dict.fromkeys(p for pt in points for p in pt))
    columns = list(dict.fromkeys([*overrides, *swept]))
    texts: dict[str, str | None] = {}
    for d in doctrines:
        p = Path(d)
        texts[d] = p.read_text(encoding="utf-8") if p.suffix == ".toml" and p.is_file() else None
    children = np.random.SeedSequence(entropy).spawn(runs)
    point_cols = []
    for pt in points:
        merged = {**overrides, **pt}
        point_cols.append({c: _column_value(merged[c] if c in merged
                                            else _value_at(data, scenario, c))
                           for c in columns})
    tasks = []
    for i, child in enumerate(children):
        for p, pt in enumerate(points):
            merged = {**overrides, **pt}
            for d in doctrines:
                tasks.append({
                    "key": run_key(digest, d, texts[d], red, merged, i, entropy, scale),
                    "scenario": scenario.meta.id, "digest": digest, "source": source,
                    "scenario_data": data, "doctrine": d, "doctrine_spec": d,
                    "doctrine_toml": texts[d], "red": red, "overrides": merged, "point": p,
                    "columns": point_cols[p], "replication": i, "entropy": child.entropy,
                    "spawn_key": list(child.spawn_key), "scale": scale})
    info = {"override_columns": columns, "swept_columns": swept,
            "points": [dict(pt) for pt in points]}
    return tasks, info


# ----------------------------------------------------------------------------- executors


@contextmanager
def open_executor(jobs: int | None = None,
                  scheduler: Any = None) -> Iterator[tuple[cf.Executor | None, str]]:
    """Where the runs go: ``(executor or None for in-process, a description)``.

    ``scheduler`` (an address such as ``tcp://host:8786``, or a ``distributed.Client``)
    selects a Dask cluster through its standard ``concurrent.futures`` executor. Otherwise
    ``jobs`` local processes (default: every core); ``jobs=1`` runs serially in-process.
    Local workers are forked when this process has no other threads (they then start with
    the engine already imported, which matters where importing it takes seconds), else
    started from a fork server that imports the engine once.
    """
    if scheduler is not None:
        from distributed import Client

        own = not isinstance(scheduler, Client)
        client = Client(scheduler) if own else scheduler
        try:
            info = client.scheduler_info()
            workers = info.get("workers", {})
            threads = sum(w.get("nthreads", 0) for w in workers.values())
            yield (client.get_executor(pure=False),
                   f"dask.distributed scheduler {info.get('address', scheduler)} "
                   f"({len(workers)} workers, {threads} threads)")
        finally:
            if own:
                client.close()
        return
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1:
        yield None, "serial, in-process"
        return
    forked = sys.platform == "linux" and threading.active_count() == 1
    if forked:
        ctx = mp.get_context("fork")
        from wargame import citizens, kernels

        citizens.warm()  # the workers are forked with the engine's compiled code
        kernels.warm()
        # What forked workers inherit (the imported libraries: some 200,000 objects) is
        # left out of their garbage collections: otherwise each full collection walks it
        # again and copies its pages into every worker (Python's gc.freeze advice).
        gc.freeze()
    else:
        ctx = mp.get_context("forkserver" if sys.platform != "win32" else "spawn")
        if ctx.get_start_method() == "forkserver":
            ctx.set_forkserver_preload(["wargame.batch"])
    try:
        pool = cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx)
        try:
            yield pool, (f"local ProcessPoolExecutor ({jobs} processes, "
                         f"{ctx.get_start_method()})")
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        if forked:
            gc.unfreeze()


def run_replication(tasks: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The runs of one replication at one sweep point (its doctrines), one after another,
    a row each: they share their seeds (common random numbers), so the first draws the
    citizens and the others reuse them (``wargame.population.populate``)."""
    return [run_one(t) for t in tasks]


def _task_row(task: Mapping[str, Any]) -> dict[str, Any]:
    """What a run's row says of its task: identity, seed, overrides and their columns."""
    row: dict[str, Any] = {k: task[k] for k in ("key", "scenario", "digest", "doctrine", "red",
                                                "replication", "point", "scale")}
    row["seed_entropy"] = str(task["entropy"])
    row["spawn_key"] = json.dumps(list(task["spawn_key"]))
    row["overrides"] = json.dumps(task["overrides"], sort_keys=True)
    row.update(task["columns"])
    return row


def _failed_row(t: Mapping[str, Any], exc: BaseException) -> dict[str, Any]:
    """The row of a task whose worker itself died (not the run)."""
    row = _task_row(t)
    row.update({"status": "failed", "error": str(exc) or repr(exc),
                "error_type": type(exc).__qualname__, "traceback": None,
                "wall_s": float("nan")})
    return row


def _execute(tasks: Sequence[Mapping[str, Any]], executor: cf.Executor | None,
             on_row: Callable[[dict[str, Any]], None],
             on_started: Callable[[], None] | None = None) -> None:
    """Run tasks, handing each row to ``on_row`` as it finishes (in completion order).

    An executor gets the tasks a replication (and sweep point) at a time, so that one
    worker runs its doctrines back to back (``run_replication``).
    """
    if executor is None:
        if on_started:
            on_started()
        for t in tasks:
            on_row(run_one(t))  # looked up at call time, so tests can count calls
        return
    groups = [list(g) for _, g in itertools.groupby(
        tasks, key=lambda t: (t["replication"], t["point"]))]
    futures = {executor.submit(run_replication, g): g for g in groups}
    if on_started:  # after submitting: forked workers exist before any display thread
        on_started()
    try:
        for fut in cf.as_completed(futures):
            try:
                rows = fut.result()
            except Exception as exc:  # the worker itself died (not a run): record, go on
                rows = [_failed_row(t, exc) for t in futures[fut]]
            for row in rows:
                on_row(row)
    except BaseException:
        for fut in futures:
            fut.cancel()
        raise


# ----------------------------------------------------------------------------- results


def read_jsonl(path: Path) -> dict[str, dict[str, Any]]:
    """Rows already recorded, by key (the last line for a key wins; a torn last line from
    a crash is skipped)."""
    rows: dict[str, dict[str, Any]] = {}
    if not path.exists():
        return rows
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                row = json.loads(line)
            except ValueError:
                continue
            if isinstance(row, dict) and "key" in row:
                rows[row["key"]] = row
    return rows


class _Journal:
    """Appends rows to runs.jsonl, one durable line each."""

    def __init__(self, path: Path) -> None:
        self.path = path
        needs_newline = path.exists() and path.stat().st_size > 0 and \
            path.read_bytes()[-1:] != b"\n"
        self.fh = path.open("a", encoding="utf-8")
        if needs_newline:  # a torn line from a crash: start on a fresh line
            self.fh.write("\n")

    def write(self, row: Mapping[str, Any]) -> None:
        self.fh.write(json.dumps(row, default=str) + "\n")
        self.fh.flush()
        os.fsync(self.fh.fileno())

    def close(self) -> None:
        self.fh.close()


def to_frame(rows: Sequence[Mapping[str, Any]], doctrines: Sequence[str],
             info: Mapping[str, Any]) -> pd.DataFrame:
    """One tidy row per run, in (point, doctrine, replication) order."""
    df = pd.DataFrame(list(rows))
    if df.empty:
        return df
    for c in info.get("override_columns", []):  # a column of mixed kinds is stored as text
        if c in df.columns:
            kinds = {type(v) for v in df[c] if v is not None}
            if len(kinds) > 1 and not kinds <= {int, float}:
                df[c] = df[c].map(lambda v: v if v is None or isinstance(v, str)
                                  else json.dumps(v))
    order = {d: i for i, d in enumerate(doctrines)}
    df = (df.assign(_d=df["doctrine"].map(order))
          .sort_values(["point", "_d", "replication"], kind="stable")
          .drop(columns="_d").reset_index(drop=True))
    df.attrs["override_columns"] = list(info.get("override_columns", []))
    df.attrs["swept_columns"] = list(info.get("swept_columns", []))
    return df


def versions() -> dict[str, str | None]:
    """Versions of the packages whose behaviour the results depend on."""
    out: dict[str, str | None] = {}
    for name, dist in (("wargame", "sispam-wargame"), ("mesa", "mesa"), ("numpy", "numpy"),
                       ("scipy", "scipy"), ("pandas", "pandas"), ("pyarrow", "pyarrow"),
                       ("matplotlib", "matplotlib"), ("dask", "dask"),
                       ("distributed", "distributed")):
        try:
            out[name] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def write_outputs(df: pd.DataFrame, out: Path, manifest: Mapping[str, Any], *,
                  baseline: str, csv: bool = False, plots: bool = True) -> dict[str, Any]:
    """runs.parquet (+ runs.csv), summary.json, summary.csv, plots/*.png; returns the summary."""
    from wargame.stats import summarise, summary_frame

    out.mkdir(parents=True, exist_ok=True)
    df.to_parquet(out / "runs.parquet", index=False)
    if csv:
        df.to_csv(out / "runs.csv", index=False)
    summary = summarise(df, baseline)
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    summary_frame(summary).to_csv(out / "summary.csv", index=False)
    if plots:
        from wargame.plots import plot_outcomes

        plot_outcomes(df, out / "plots", doctrines=summary["doctrines_order"])
    _write_json(out / "manifest.json", manifest)
    return summary


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    tmp.replace(path)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def compare(scenario: str | Path | Scenario, doctrines: Sequence[str], *,
            red: str = "opportunist", runs: int = 30, seed: int | None = 0,
            overrides: Mapping[str, Any] | None = None, sweep: Sweep = None,
            jobs: int | None = None, scheduler: Any = None, out: str | Path | None = None,
            scale: int | None = None, csv: bool = False, plots: bool = True,
            progress: bool = False, extra_manifest: Mapping[str, Any] | None = None,
            ) -> pd.DataFrame:
    """Run every doctrine (at every sweep point) ``runs`` times with common random numbers.

    Returns one row per run (see the module docstring); ``df.attrs`` holds the override and
    swept column names and, with ``out``, the manifest. With ``out`` set, runs are journalled
    to ``out/runs.jsonl`` (resumable) and the tables, summary and plots are written there.
    ``seed=None`` draws fresh entropy (recorded in each row and the manifest).

    Raises ``ScenarioError`` for a bad scenario or override (checked for every sweep point
    before any run starts) and ``ValueError`` for bad arguments or unknown players.
    """
    started, t0 = _now(), time.perf_counter()
    doctrines = list(doctrines)
    if not doctrines:
        raise ValueError("give at least one doctrine")
    if len(set(doctrines)) != len(doctrines):
        raise ValueError(f"a doctrine is given twice: {doctrines}")
    if runs < 1:
        raise ValueError("runs must be at least 1")
    if jobs is not None and jobs < 1:
        raise ValueError("jobs must be at least 1")
    if jobs is not None and scheduler is not None:
        raise ValueError("give either jobs (local processes) or a scheduler, not both")
    if isinstance(scenario, Scenario):
        base, source = scenario, f"<{scenario.meta.id}>"
    else:
        base, source = catalog.load(scenario), str(scenario)
    fixed = dict(overrides or {})
    points = sweep_points(sweep)
    for pt in points:  # every point must be a valid scenario before hundreds of runs start
        apply_overrides(base, {**fixed, **pt}, source=f"{source} (overrides)")
    for d in doctrines:  # typos fail here, not as N failed rows
        load_player(d, "blue")
    load_player(red, "red")
    entropy = np.random.SeedSequence(seed).entropy
    tasks, info = plan(base, doctrines, red=red, runs=runs, entropy=int(entropy),
                       overrides=fixed, points=points, scale=scale, source=source)

    out_dir = Path(out) if out is not None else None
    done: dict[str, dict[str, Any]] = {}
    journal = None
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        planned = {t["key"] for t in tasks}
        done = {k: r for k, r in read_jsonl(out_dir / RUNS_JSONL).items()
                if k in planned and r.get("status") == "ok"}
        journal = _Journal(out_dir / RUNS_JSONL)
    pending = [t for t in tasks if t["key"] not in done]
    rows: dict[str, dict[str, Any]] = dict(done)

    manifest: dict[str, Any] = {
        "scenario": {"id": base.meta.id, "digest": base.digest(), "source": source},
        "engine": engine_digest(),
        "doctrines": doctrines, "baseline": doctrines[0], "red": red, "runs": runs,
        "seed": seed, "seed_entropy": str(entropy),
        "scale": scale, "overrides": fixed,
        "sweep": {"swept": info["swept_columns"], "points": info["points"]},
        "override_columns": info["override_columns"],
        "versions": versions(), "python": platform.python_version(),
        "platform": platform.platform(), "host": socket.gethostname(),
        "started": started, **dict(extra_manifest or {})}

    bar: Any = None
    try:
        # nothing left to run (all resumed): no pool to start, no cluster to reach
        where = (jobs, scheduler) if pending else (1, None)
        with open_executor(*where) as (executor, described):
            manifest["executor"] = described
            if out_dir is not None:
                _write_json(out_dir / "manifest.json", {**manifest, "status": "running"})

            def started_cb() -> None:
                nonlocal bar
                if progress and pending:
                    bar = _ProgressBar(len(pending), len(done), described)

            def on_row(row: dict[str, Any]) -> None:
                rows[row["key"]] = row
                if journal is not None:
                    journal.write(row)
                if bar is not None:
                    bar.advance(row)

            _execute(pending, executor, on_row, started_cb)
    finally:
        if bar is not None:
            bar.stop()
        if journal is not None:
            journal.close()

    df = to_frame([rows[t["key"]] for t in tasks if t["key"] in rows], doctrines, info)
    n_failed = int((df["status"] != "ok").sum()) if not df.empty else 0
    if "engine" in df.columns:  # a worker on another checkout: say so, loudly
        manifest["engine_mismatch"] = int((df["engine"].fillna(engine_digest())
                                           != engine_digest()).sum())
    manifest.update({"finished": _now(), "wall_s": round(time.perf_counter() - t0, 3),
                     "counts": {"planned": len(tasks), "resumed": len(done),
                                "ran": len(pending), "ok": len(df) - n_failed,
                                "failed": n_failed}})
    df.attrs["manifest"] = manifest
    if out_dir is not None:
        manifest["files"] = ["runs.jsonl", "runs.parquet", *(["runs.csv"] if csv else []),
                             "summary.json", "summary.csv", "manifest.json",
                             *(["plots/"] if plots else [])]
        df.attrs["summary"] = write_outputs(df, out_dir, manifest, baseline=doctrines[0],
                                            csv=csv, plots=plots)
    return df


class _ProgressBar:
    """A rich progress bar with ETA on stderr, counting ok and failed runs."""

    def __init__(self, total: int, resumed: int, described: str) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.failed = 0
        self.progress = Progress(
            TextColumn("[bold]runs"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[note]}"), TimeElapsedColumn(), TextColumn("ETA"),
            TimeRemainingColumn(), console=Console(stderr=True), transient=False)
        note = f"({resumed} resumed) " if resumed else ""
        self.note = note
        self.task = self.progress.add_task("runs", total=total, note=note)
        self.progress.console.print(f"[dim]{described}[/dim]")
        self.progress.start()

    def advance(self, row: Mapping[str, Any]) -> None:
        if row.get("status") != "ok":
            self.failed += 1
        note = self.note + (f"[red]{self.failed} failed[/red] " if self.failed else "")
        self.progress.update(self.task, advance=1, note=note)

    def stop(self) -> None:
        self.progress.stop()
