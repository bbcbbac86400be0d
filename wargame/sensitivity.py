"""Global sensitivity analysis of a scenario's uncertain ([I]) parameters (SALib).

    result = analyse("tutorial", method="morris", trajectories=10, jobs=2)
    print(format_table(result)); plot(result, "docs/img/sensitivity-tutorial.png")

Why: most of the engine's parameters are illustrative ([I] in the scenario format); an
analyst needs to know which of them drive the outcomes before trusting a comparison, and
which are worth calibrating (design/model-anchors.md §2: "sensitivity analysis must sweep
[the thresholds'] dispersion, not only its mean").

Methods:

* **Morris** (default; elementary effects, Morris 1991 with Campolongo et al. 2007's μ*):
  r trajectories × (k + 1) runs for k parameters. μ* (mean |elementary effect|) ranks
  influence, σ flags non-linearity or interaction. Cheap screening: use it first.
* **Sobol** (Saltelli sampling): N·(2k + 2) runs; S1 (first-order) and ST (total) variance
  shares. Costly; for the few parameters Morris flags.

Every sample is one full exercise: the scenario rebuilt with the sample's values through
``wargame.overrides.apply_overrides`` (so each value gets the same validation a TOML value
gets), played by a blue doctrine and a red player (default preemptive vs opportunist).
All samples use the same seed (common random numbers), so an elementary effect is a
parameter's effect, not seed noise; ``replicates`` > 1 averages each sample over that many
seeds. Inputs are scaled to [0, 1] for the analysis (``scaled=True`` in SALib's Morris
means scaled *outputs*; we scale the inputs ourselves), so μ* compares parameters on their
ranges rather than on their units.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing as mp
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from wargame import catalog
from wargame.overrides import apply_overrides, resolve
from wargame.scenario import Scenario, load_scenario_file, parse_scenario


@dataclass(frozen=True)
class Uncertain:
    """One uncertain parameter: a dotted scenario path, its plausible range and why.

    ``scale_list`` marks a list-valued field (e.g. ``params.incident.required_ratio``)
    whose every entry is multiplied by the sampled factor, keeping its shape (the ladder
    must not decrease). ``integer`` rounds the sample.
    """

    path: str
    low: float
    high: float
    why: str
    integer: bool = False
    scale_list: bool = False


# The documented uncertain inputs. Ranges are the plausible span of each [I] default (the
# default lies inside); none of these are confirmed figures of the domain brief.
PARAMETERS: tuple[Uncertain, ...] = (
    Uncertain("params.legitimacy.police_initial", 0.80, 0.98,
              "trust in Polri before the campaign; no local survey [I]"),
    Uncertain("params.legitimacy.election_initial", 0.80, 0.98,
              "trust in KPU/Bawaslu before the campaign [I]"),
    Uncertain("params.activation.threshold_mean", 0.0, 0.25,
              "mean Granovetter threshold (share of neighbours) [I]"),
    Uncertain("params.activation.threshold_sd", 0.02, 0.15,
              "threshold dispersion: Granovetter's high-leverage, poorly identified input"),
    Uncertain("params.activation.visibility", 50.0, 300.0,
              "residents' worth of 'being seen' per patrolling officer [I]"),
    Uncertain("params.activation.vision", 50, 300,
              "people a citizen sees around them (Epstein's vision) [I]", integer=True),
    Uncertain("params.rumour.diffusion", 0.05, 0.40, "rumour share exchanged per day [I]"),
    Uncertain("params.rumour.grievance_weight", 0.10, 0.50,
              "how far a full rumour load lowers partisans' legitimacy [I]"),
    Uncertain("params.rumour.hoax_size", 0.10, 0.50, "rumour load of one hoax [I]"),
    Uncertain("params.polarisation.weight", 0.05, 0.40,
              "legitimacy cost of an evenly split district in contested stages [I]"),
    Uncertain("params.legitimacy.losers_discount", 0.04, 0.25,
              "losers' consent: election-legitimacy fall for the losing side [I]"),
    Uncertain("params.crowd.form_size", 100, 1000,
              "actives that make a crowd (people) [I]; dissolve_size follows at 1/3",
              integer=True),
    Uncertain("params.incident.required_ratio", 0.5, 2.0,
              "factor on the control power needed per crowd member at each colour [I]",
              scale_list=True),
    Uncertain("params.forces.strength_multiplier", 0.5, 1.5,
              "police/TNI strength actually on duty vs the posture on paper [I]"),
    Uncertain("params.red.provocation_share", 0.0, 0.05,
              "residents a provocateur team brings out [I]"),
)

OUTCOMES = ("incidents_red", "peak_active_fraction", "injured", "legitimacy_final")


@dataclass
class Result:
    """What an analysis found: per outcome, one row per parameter."""

    scenario: str
    method: str
    doctrine: str
    red: str
    runs: int
    parameters: list[str]
    outcomes: list[str]
    # outcome -> list of {"parameter", "mu_star", "mu_star_conf", "sigma"} (Morris) or
    # {"parameter", "S1", "S1_conf", "ST", "ST_conf"} (Sobol), most influential first.
    indices: dict[str, list[dict[str, float | str]]] = field(default_factory=dict)
    outputs: dict[str, list[float]] = field(default_factory=dict)


def _load(scenario: Scenario | str) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    path = Path(scenario)
    return load_scenario_file(path) if path.suffix == ".toml" else catalog.load(scenario)


def problem(params: Sequence[Uncertain]) -> dict[str, Any]:
    """SALib's problem: every input on [0, 1] (mapped to its range by ``values``)."""
    return {"num_vars": len(params), "names": [p.path for p in params],
            "bounds": [[0.0, 1.0]] * len(params)}


def values(scenario: Scenario, params: Sequence[Uncertain],
           unit: Sequence[float]) -> dict[str, Any]:
    """The overrides of one sample: each unit-interval coordinate mapped to its range."""
    data = scenario.model_dump(mode="json")
    out: dict[str, Any] = {}
    for p, u in zip(params, unit, strict=True):
        x = p.low + float(u) * (p.high - p.low)
        if p.scale_list:
            parent, step, _ = resolve(data, scenario, p.path)
            out[p.path] = [float(v) * x for v in parent[step]]
        elif p.integer:
            out[p.path] = round(x)
        else:
            out[p.path] = x
        if p.path == "params.crowd.form_size":
            # A crowd must dissolve below the size that forms it: keep the defaults' ratio
            # (100 of 300) rather than let a small form_size fail validation.
            out["params.crowd.dissolve_size"] = round(x / 3)
    return out


def run_sample(data: dict[str, Any], overrides: dict[str, Any], seeds: Sequence[int],
               doctrine: str, red: str, scale: int | None,
               outcomes: Sequence[str]) -> list[float]:
    """One sample (top-level, picklable): the scenario with ``overrides``, played once per
    seed; the outcomes averaged over the seeds."""
    from wargame.exercise import Exercise
    from wargame.players import load_player

    sc = apply_overrides(parse_scenario(data), overrides)
    rows = []
    for seed in seeds:
        ex = Exercise(sc, seed, blue=load_player(doctrine, "blue"),
                      red=load_player(red, "red"), scale=scale)
        m = ex.run()
        rows.append([float(m[o]) for o in outcomes])
    return np.mean(rows, axis=0).tolist()


def analyse(scenario: Scenario | str, method: str = "morris", *,
            trajectories: int = 10, levels: int = 4, sobol_n: int = 64,
            params: Sequence[Uncertain] = PARAMETERS, outcomes: Sequence[str] = OUTCOMES,
            doctrine: str = "preemptive", red: str = "opportunist", seed: int = 0,
            replicates: int = 1, scale: int | None = None, jobs: int = 1) -> Result:
    """Sample the parameters, run every sample, and compute the indices per outcome.

    ``trajectories`` (Morris r) and ``levels`` (Morris p) or ``sobol_n`` (Saltelli N, a
    power of 2) set the design; ``seed`` seeds both the design and the runs.
    """
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    if method not in ("morris", "sobol"):
        raise ValueError(f"unknown method {method!r} (morris or sobol)")
    sc = _load(scenario)
    prob = problem(params)
    if method == "morris":
        x = morris_sample.sample(prob, trajectories, num_levels=levels, seed=seed)
    else:
        x = sobol_sample.sample(prob, sobol_n, calc_second_order=False, seed=seed)
    data = sc.model_dump(mode="json")
    seeds = list(range(seed, seed + replicates))
    tasks = [(data, values(sc, params, row), seeds, doctrine, red, scale, tuple(outcomes))
             for row in x]
    if jobs > 1:
        ctx = mp.get_context("forkserver")
        with cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            y = np.array(list(pool.map(run_sample, *zip(*tasks, strict=True))))
    else:
        y = np.array([run_sample(*t) for t in tasks])
    res = Result(scenario=sc.meta.id, method=method, doctrine=doctrine, red=red,
                 runs=len(tasks) * replicates, parameters=[p.path for p in params],
                 outcomes=list(outcomes))
    for j, o in enumerate(outcomes):
        yj = y[:, j]
        res.outputs[o] = yj.tolist()
        rows: list[dict[str, float | str]] = []
        if method == "morris":
            si = morris_analyze.analyze(prob, x, yj, num_levels=levels, seed=seed)
            for i, name in enumerate(prob["names"]):
                rows.append({"parameter": name, "mu_star": float(si["mu_star"][i]),
                             "mu_star_conf": float(si["mu_star_conf"][i]),
                             "sigma": float(si["sigma"][i])})
            rows.sort(key=lambda r: -float(r["mu_star"]))
        else:
            si = sobol_analyze.analyze(prob, yj, calc_second_order=False, seed=seed)
            for i, name in enumerate(prob["names"]):
                rows.append({"parameter": name, "S1": float(si["S1"][i]),
                             "S1_conf": float(si["S1_conf"][i]), "ST": float(si["ST"][i]),
                             "ST_conf": float(si["ST_conf"][i])})
            rows.sort(key=lambda r: -float(r["ST"]))
        res.indices[o] = rows
    return res


def format_table(res: Result, markdown: bool = False, top: int | None = None) -> str:
    """The indices as one table per outcome (most influential parameter first)."""
    out: list[str] = []
    for o in res.outcomes:
        rows = res.indices[o][:top] if top else res.indices[o]
        spread = np.ptp(res.outputs[o]) if res.outputs[o] else 0.0
        out.append(f"{o} ({res.method}, {res.runs} runs; output range {spread:.4g})")
        if res.method == "morris":
            head = ["parameter", "μ*", "μ* 95% CI", "σ", "σ/μ*"]
            body = [[str(r["parameter"]), f"{r['mu_star']:.4g}", f"±{r['mu_star_conf']:.2g}",
                     f"{r['sigma']:.4g}",
                     f"{float(r['sigma']) / float(r['mu_star']):.2f}"
                     if float(r["mu_star"]) > 0 else "—"] for r in rows]
        else:
            head = ["parameter", "S1", "S1 95% CI", "ST", "ST 95% CI"]
            body = [[str(r["parameter"]), f"{r['S1']:.3f}", f"±{r['S1_conf']:.2g}",
                     f"{r['ST']:.3f}", f"±{r['ST_conf']:.2g}"] for r in rows]
        if markdown:
            out += ["", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
            out += ["| " + " | ".join(b) + " |" for b in body]
        else:
            width = max(len(b[0]) for b in body)
            out.append("  ".join([head[0].ljust(width), *head[1:]]))
            out += ["  ".join([b[0].ljust(width), *b[1:]]) for b in body]
        out.append("")
    return "\n".join(out)


def plot(res: Result, path: str | Path) -> Path:
    """One panel per outcome: μ* (bars) with σ (dots) for Morris, S1/ST for Sobol."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = len(res.outcomes)
    fig, axes = plt.subplots(1, n, figsize=(4.2 * n, 0.32 * len(res.parameters) + 1.6),
                             squeeze=False)
    for ax, o in zip(axes[0], res.outcomes, strict=True):
        rows = res.indices[o][::-1]
        names = [str(r["parameter"]).removeprefix("params.") for r in rows]
        y = np.arange(len(rows))
        if res.method == "morris":
            ax.barh(y, [float(r["mu_star"]) for r in rows],
                    xerr=[float(r["mu_star_conf"]) for r in rows], color="#4c72b0",
                    label="μ*")
            ax.plot([float(r["sigma"]) for r in rows], y, "o", color="#dd8452", label="σ")
        else:
            ax.barh(y - 0.2, [float(r["S1"]) for r in rows], height=0.4, label="S1")
            ax.barh(y + 0.2, [float(r["ST"]) for r in rows], height=0.4, label="ST")
        ax.set_yticks(y, names, fontsize=7)
        ax.set_title(o, fontsize=9)
        ax.tick_params(axis="x", labelsize=7)
    axes[0][0].legend(fontsize=7, loc="lower right")
    fig.suptitle(f"{res.scenario}: {res.method} sensitivity ({res.doctrine} vs {res.red}, "
                 f"{res.runs} runs)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def sensitivity_command(
    scenario: str,
    method: str = "morris",
    trajectories: int = 10,
    levels: int = 4,
    sobol_n: int = 64,
    doctrine: str = "preemptive",
    red: str = "opportunist",
    seed: int = 0,
    replicates: int = 1,
    scale: int | None = None,
    jobs: int = 2,
    outcomes: str = ",".join(OUTCOMES),
    plot_path: str = "sensitivity.png",
    markdown: bool = False,
) -> None:
    """Global sensitivity of SCENARIO's outcomes to its uncertain [I] parameters.

    Morris (default: trajectories x (k+1) exercises) screens which parameters matter (mu*)
    and which act non-linearly (sigma); Sobol (sobol_n x (k+2) exercises) splits the
    output variance (S1, ST). Prints one table per outcome and saves a plot.
    """
    import typer

    res = analyse(scenario, method, trajectories=trajectories, levels=levels,
                  sobol_n=sobol_n, outcomes=[o.strip() for o in outcomes.split(",") if o],
                  doctrine=doctrine, red=red, seed=seed, replicates=replicates,
                  scale=scale, jobs=jobs)
    typer.echo(format_table(res, markdown=markdown))
    typer.echo(f"plot written to {plot(res, plot_path)}")
