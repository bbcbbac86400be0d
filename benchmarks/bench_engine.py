"""Engine benchmark: prints figures, asserts nothing (tests check correctness).

    uv run python benchmarks/bench_engine.py [--repeat 7] [--ticks 5]

Figures:
- wall time of one full default-scale Banyuwangi run (target ≤ 0.25 s on one core),
  and its ratio to the tutorial run measured in the same process;
- wall time of one tick at 1:1 scale (one synthetic citizen per resident, ~1.79 M;
  target ≤ 100 ms), and its ratio to a default-scale tick;
- peak resident memory after each phase.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

from wargame import WargameModel, load_scenario


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_full_run(name: str, repeat: int) -> list[float]:
    sc = load_scenario(name)
    WargameModel(sc, seed=0).run()  # warm-up
    times = []
    for seed in range(repeat):
        t0 = time.perf_counter()
        WargameModel(sc, seed=seed).run()
        times.append(time.perf_counter() - t0)
    return times


def time_ticks(name: str, scale: int | None, ticks: int) -> tuple[float, float, int]:
    sc = load_scenario(name)
    t0 = time.perf_counter()
    model = WargameModel(sc, seed=0, scale=scale)
    build = time.perf_counter() - t0
    model.step()  # warm-up tick
    times = []
    for _ in range(ticks):
        t0 = time.perf_counter()
        model.step()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), build, model.n_citizens


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--ticks", type=int, default=5)
    args = ap.parse_args()
    bwi = "banyuwangi-pilkada-2024"

    base = statistics.median(time_full_run("tutorial", args.repeat))
    full = time_full_run(bwi, args.repeat)
    med = statistics.median(full)
    print(f"full run, {bwi}, default scale (1:100): median {med:.3f} s "
          f"(min {min(full):.3f}, max {max(full):.3f}; {args.repeat} seeds) "
          f"target <= 0.25 s: {'OK' if med <= 0.25 else 'OVER'}")
    print(f"  ratio to tutorial run in this process: {med / base:.1f}x ({base:.3f} s)")
    print(f"  peak RSS so far: {peak_mb():.0f} MB")

    tick100, _, n100 = time_ticks(bwi, None, args.ticks)
    tick1, build1, n1 = time_ticks(bwi, 1, args.ticks)
    print(f"one tick at 1:1 scale ({n1:,} citizens): median {tick1 * 1000:.1f} ms "
          f"target <= 100 ms: {'OK' if tick1 <= 0.1 else 'OVER'}; model build {build1:.2f} s")
    print(f"  ratio to a 1:100 tick ({n100:,} citizens, {tick100 * 1000:.2f} ms): "
          f"{tick1 / tick100:.0f}x for {n1 / n100:.0f}x the citizens")
    print(f"  peak RSS: {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
