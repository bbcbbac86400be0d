"""Batch benchmark: prints figures, asserts nothing (tests check correctness).

    uv run python benchmarks/bench_batch.py [--runs 200] [--speedup-runs 8] [--jobs 2]

Figures:
- runs per second of the same workload (one doctrine × --speedup-runs replications of the
  scenario), serial in-process and with --jobs local processes, in this process, and the
  speed-up ratio (results are checked identical, seed for seed);
- wall time of 3 doctrines × --runs replications of the default Banyuwangi scenario with
  --jobs processes (target ≤ 75 s for 200 runs on a 2-core machine), with seconds per run,
  and the time to write the outputs (parquet, summary, plots). Try --runs 10 first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from wargame import batch
from wargame.metrics import OUTCOMES

BWI = "banyuwangi-pilkada-2024"


def _metrics(df: pd.DataFrame) -> pd.DataFrame:
    return df[["doctrine", "replication", *OUTCOMES]].reset_index(drop=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", default=BWI)
    ap.add_argument("--runs", type=int, default=200, help="replications per doctrine")
    ap.add_argument("--speedup-runs", type=int, default=8)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--doctrines", default="preemptive,reactive,repressive")
    args = ap.parse_args()
    doctrines = args.doctrines.split(",")
    print(f"machine: {os.cpu_count()} cores; scenario {args.scenario}")

    batch.compare(args.scenario, doctrines[:1], runs=1, seed=999, jobs=1)  # warm-up
    n = args.speedup_runs
    t0 = time.perf_counter()
    serial = batch.compare(args.scenario, doctrines[:1], runs=n, seed=1, jobs=1)
    t_serial = time.perf_counter() - t0
    t0 = time.perf_counter()
    pooled = batch.compare(args.scenario, doctrines[:1], runs=n, seed=1, jobs=args.jobs)
    t_pool = time.perf_counter() - t0
    same = _metrics(serial).equals(_metrics(pooled))
    print(f"same workload ({n} runs of {doctrines[0]}): serial {n / t_serial:.2f} runs/s "
          f"({t_serial:.1f} s), {args.jobs} processes {n / t_pool:.2f} runs/s "
          f"({t_pool:.1f} s, {pooled.attrs['manifest']['executor']}); "
          f"speed-up {t_serial / t_pool:.2f}x; identical results: {same}")

    total = len(doctrines) * args.runs
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        df = batch.compare(args.scenario, doctrines, runs=args.runs, seed=0, jobs=args.jobs,
                           out=Path(tmp) / "bench")
        t_all = time.perf_counter() - t0
    wall = df.attrs["manifest"]["wall_s"]
    per_run = statistics.mean(df["wall_s"])
    verdict = "" if args.runs != 200 else (
        f" target <= 75 s: {'OK' if wall <= 75 else 'OVER'}")
    print(f"{len(doctrines)} doctrines x {args.runs} runs = {total} runs with {args.jobs} "
          f"processes: {wall:.1f} s ({wall / total:.3f} s per run of wall time, "
          f"{total / wall:.2f} runs/s; mean {per_run:.3f} s per run inside a worker; "
          f"{int((df['status'] != 'ok').sum())} failed){verdict}")
    print(f"  writing parquet, summary and plots: {t_all - wall:.1f} s more "
          f"({t_all:.1f} s in all)")


if __name__ == "__main__":
    main()
