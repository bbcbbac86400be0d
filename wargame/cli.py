"""`wargame`: the command line. One obvious entry point per use; no model logic here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from wargame import catalog
from wargame.metrics import OUTCOMES
from wargame.scenario import ScenarioError, json_schema

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Election-security wargame engine (Sispamkota, Pilkada).")


def _fail(exc: ScenarioError) -> None:
    for line in exc.lines():
        typer.echo(line, err=True)
    raise typer.Exit(code=2)


@app.command()
def scenarios() -> None:
    """List the bundled scenarios."""
    for name in catalog.bundled_names():
        try:
            sc = catalog.load(name)
            typer.echo(f"{name:<28} {sc.meta.name_en}")
        except ScenarioError as exc:  # a broken bundled file is still listed, with why
            typer.echo(f"{name:<28} INVALID: {exc.problems[0][1]}")


@app.command()
def validate(
    scenario: Annotated[str, typer.Argument(help="bundled name or path to .toml")],
) -> None:
    """Check a scenario file: exit 0 if valid, else one line per problem (file: field: what)."""
    try:
        sc = catalog.load(scenario)
    except ScenarioError as exc:
        _fail(exc)
    typer.echo(f"{scenario}: valid ({len(sc.districts)} districts, {len(sc.units)} units, "
               f"{len(sc.calendar.stages)} stages, digest {sc.digest()})")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format."""
    typer.echo(json.dumps(json_schema(), indent=2))


@app.command()
def run(
    scenario: Annotated[str, typer.Argument(help="bundled name or path to .toml")],
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    doctrine: Annotated[str, typer.Option(
        help="blue player: a bundled doctrine (see `wargame doctrines`), a rule-file path, "
        "pkg.module:Name, or 'none' to hold the initial posture")] = "preemptive",
    red: Annotated[str, typer.Option(
        help="red player: a bundled red AI (see `wargame doctrines`), pkg.module:Name, or "
        "'none'")] = "opportunist",
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    timeline: Annotated[Path | None, typer.Option(help="write per-turn, per-district CSV")] = None,
    report: Annotated[Path | None, typer.Option(
        help="write every turn's report (white view) as text")] = None,
    lang: Annotated[str, typer.Option(help="report language: en or id")] = "en",
    scale: Annotated[int | None, typer.Option(
        min=1, help="residents per synthetic citizen (default: the scenario's)")] = None,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", metavar="PATH=VALUE", help="override a scenario field, e.g. "
        "params.legitimacy.police_initial=0.7 or units[samapta].strength=40 (repeatable; "
        "VALUE is read as JSON when it can be)")] = None,
) -> None:
    """Run the whole election calendar headless, turn by turn, and report the outcomes."""
    from wargame.exercise import Exercise
    from wargame.overrides import apply_overrides, parse_set
    from wargame.players import load_player
    from wargame.runner import summary_lines, write_timeline

    try:
        sc = catalog.load(scenario)
        overrides = parse_set(set_)
        sc = apply_overrides(sc, overrides, source=f"{scenario} (--set)")
        blue, red_player = load_player(doctrine, "blue"), load_player(red, "red")
    except ScenarioError as exc:
        _fail(exc)
    except (ValueError, ImportError, AttributeError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    ex = Exercise(sc, seed, blue=blue, red=red_player, scale=scale)
    metrics = ex.run()
    missing = [k for k in OUTCOMES if k not in metrics]
    if missing:  # a programming error, not a user error
        raise RuntimeError(f"outcomes missing: {missing}")
    if timeline:
        write_timeline(ex.model, timeline)
    if report:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text("\n".join(line for r in ex.reports
                                    for line in r.lines("white", ex.model, lang)) + "\n",
                          encoding="utf-8")
    if as_json:
        typer.echo(json.dumps({"scenario": sc.meta.id, "seed": seed, "doctrine": doctrine,
                               "red": red, "metrics": metrics,
                               **({"overrides": overrides} if overrides else {})}))
        return
    for line in summary_lines(ex.model, metrics, seed):
        typer.echo(line)
    typer.echo(f"blue: {doctrine}, red: {red}")
    for path, what in ((timeline, "timeline"), (report, "turn reports")):
        if path:
            typer.echo(f"{what} written to {path}")


@app.command()
def doctrines() -> None:
    """List the bundled blue doctrines and red players."""
    from wargame.doctrine import RuleDoctrine
    from wargame.players import doctrine_dir, doctrine_names, red_names

    typer.echo("blue doctrines (--doctrine):")
    for name in doctrine_names():
        d = RuleDoctrine.from_file(doctrine_dir() / f"{name}.toml").spec.doctrine
        typer.echo(f"  {name:<12} {d.get('name_en', '')}: {d.get('description', '')}")
    typer.echo("red players (--red): " + ", ".join([*red_names(), "none"]))


# ------------------------------------------------------------------------------ compare
# Policy comparison (wargame.batch / wargame.stats); see docs/compare.md.


def _num(x: float | None) -> str:
    """Readable numbers for the terminal: thousands separated, small values to 3 digits."""
    if x is None:
        return "–"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.3g}"


def _compare_tables(summary: dict) -> list:
    """Rich tables of a comparison summary: estimates per doctrine, then paired differences."""
    from rich.table import Table

    from wargame.stats import MAIN_OUTCOMES

    outcomes = [o for o in MAIN_OUTCOMES if o in summary["outcomes"]]
    pct = round(100 * summary["confidence"])
    tables = []
    for pt in summary["points"]:
        where = ", ".join(f"{k}={v}" for k, v in pt["overrides"].items())
        title = f"mean [{pct}% {summary['ci']} CI] over {summary['runs']} runs" + (
            f" — point {pt['point']}: {where}" if where else "")
        t = Table(title=title, title_justify="left")
        t.add_column("outcome")
        for name in pt["doctrines"]:
            failed = pt["failed"][name]
            t.add_column(name + (f" ({failed} failed)" if failed else ""), justify="right")
        for o in outcomes:
            cells = []
            for name in pt["doctrines"]:
                d = pt["doctrines"][name][o]
                cells.append(f"{_num(d['mean'])} [{_num(d['ci_low'])}, {_num(d['ci_high'])}]")
            t.add_row(o, *cells)
        tables.append(t)
        for name, by_outcome in pt["paired"].items():
            p = Table(title=f"{name} − {summary['baseline']}, paired per replication",
                      title_justify="left")
            for col in ("outcome", "Δ mean", f"{pct}% CI", "p (t)", "p (Wilcoxon)",
                        "Cliff's δ"):
                p.add_column(col, justify="left" if col == "outcome" else "right")
            for o in outcomes:
                d = by_outcome[o]
                p.add_row(o, _num(d["mean_diff"]),
                          f"[{_num(d['ci_low'])}, {_num(d['ci_high'])}]",
                          _num(d["p_t"]), _num(d["p_wilcoxon"]), _num(d["cliffs_delta"]))
            tables.append(p)
    return tables


@app.command()
def compare(
    scenario: Annotated[str, typer.Argument(help="bundled name or path to .toml")],
    doctrine: Annotated[list[str], typer.Option(
        "--doctrine", "-d", help="a blue doctrine to compare (repeat; the first is the "
        "baseline): a bundled name, a rule-file path or pkg.module:Name")],
    red: Annotated[str, typer.Option(help="red player for every run")] = "opportunist",
    runs: Annotated[int, typer.Option(min=1, help="replications per doctrine and sweep "
                                                  "point")] = 30,
    seed: Annotated[int, typer.Option(help="base seed; replication i uses "
                                           "SeedSequence(seed).spawn(runs)[i]")] = 0,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", metavar="PATH=VALUE", help="override a scenario field for every run "
        "(repeatable)")] = None,
    sweep: Annotated[list[str] | None, typer.Option(
        metavar="PATH=v1,v2,...", help="sweep a field over values (repeat for a full "
        "grid)")] = None,
    design: Annotated[Path | None, typer.Option(
        help="TOML design file: [[points]] tables and/or a [grid] of path = [values]")] = None,
    jobs: Annotated[int | None, typer.Option(
        min=1, help="local worker processes (default: all cores; 1 = serial)")] = None,
    scheduler: Annotated[str | None, typer.Option(
        help="run on a Dask cluster, e.g. tcp://host:8786")] = None,
    out: Annotated[Path | None, typer.Option(
        help="output directory (default runs/<scenario>-<timestamp>); re-use it to "
        "resume")] = None,
    scale: Annotated[int | None, typer.Option(
        min=1, help="residents per synthetic citizen (default: the scenario's)")] = None,
    write_csv: Annotated[bool, typer.Option("--csv", help="also write runs.csv")] = False,
    plots: Annotated[bool, typer.Option("--plots/--no-plots", help="write plots/*.png")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON")] = False,
) -> None:
    """Compare blue doctrines over many seeded runs (common random numbers), optionally
    across a parameter sweep; write tidy results, a summary with t intervals and paired
    tests, and plots."""
    import datetime as dt
    import sys

    from rich.console import Console

    from wargame import batch
    from wargame.overrides import parse_set, parse_sweep

    if jobs is not None and scheduler is not None:
        typer.echo("error: give --jobs (local processes) or --scheduler (Dask), not both",
                   err=True)
        raise typer.Exit(code=2)
    try:
        base = catalog.load(scenario)
        fixed = parse_set(set_)
        points = batch.cross(batch.load_design(design) if design else [{}],
                             batch.grid(parse_sweep(sweep)))
    except ScenarioError as exc:
        _fail(exc)
    if out is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        out = Path("runs") / f"{base.meta.id}-{stamp}"
    console = Console()
    if not console.is_terminal:  # piped or captured: room for the table, not 80 columns
        console = Console(width=max(console.width, 120))
    show_progress = not as_json and Console(stderr=True).is_terminal
    try:
        df = batch.compare(scenario, doctrine, red=red, runs=runs, seed=seed,
                           overrides=fixed, sweep=points, jobs=jobs, scheduler=scheduler,
                           out=out, scale=scale, csv=write_csv, plots=plots,
                           progress=show_progress,
                           extra_manifest={"command": " ".join(["wargame", *sys.argv[1:]])})
    except ScenarioError as exc:
        _fail(exc)
    except (ValueError, ImportError, AttributeError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    except OSError as exc:  # e.g. a Dask scheduler that cannot be reached
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from None
    except KeyboardInterrupt:
        typer.echo(f"interrupted: finished runs are kept in {out / batch.RUNS_JSONL}; "
                   "run the same command again to resume", err=True)
        raise typer.Exit(code=130) from None
    summary = df.attrs["summary"]
    counts = df.attrs["manifest"]["counts"]
    if as_json:
        typer.echo(json.dumps({**summary, "out": str(out), "counts": counts}))
        return
    for table in _compare_tables(summary):
        console.print(table)
    resumed = f", {counts['resumed']} resumed from an earlier run" if counts["resumed"] else ""
    failed = f", {counts['failed']} FAILED (left out of the statistics; see the error " \
             "column)" if counts["failed"] else ""
    typer.echo(f"{counts['ok']} runs ok{failed}{resumed}; {df.attrs['manifest']['executor']}, "
               f"{df.attrs['manifest']['wall_s']:.1f} s")
    if df.attrs["manifest"].get("engine_mismatch"):
        typer.echo(f"WARNING: {df.attrs['manifest']['engine_mismatch']} runs ran on engine code "
                   "that differs from this checkout (see the engine column)", err=True)
    typer.echo(f"results in {out}/: runs.parquet{', runs.csv' if write_csv else ''}, "
               f"summary.csv, summary.json, manifest.json{', plots/' if plots else ''}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8765,
) -> None:
    """Start the browser UI: lobby, facilitator console, team consoles, observer, policy lab.

    The first start fills the offline front-end asset cache from the npm registry (once);
    after that the UI needs no internet at all."""
    from viz.server import serve as run_server
    from wargame import assets

    if assets.missing():
        typer.echo("first start: filling the offline asset cache (npm registry, once)")
        try:
            assets.ensure(log=typer.echo)
        except (RuntimeError, OSError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=2) from None
    raise typer.Exit(code=run_server(host, port))


@app.command(name="assets")
def assets_command() -> None:
    """Fill the offline front-end asset cache (for air-gapped command centres: run once
    online, then copy the `.solara-assets` folder along)."""
    from wargame import assets

    path = assets.ensure(log=typer.echo)
    typer.echo(f"asset cache complete: {path}")


@app.command()
def sensitivity(
    scenario: Annotated[str, typer.Argument(help="bundled name or path to .toml")],
    method: Annotated[str, typer.Option(help="morris or sobol")] = "morris",
    trajectories: Annotated[int, typer.Option(help="Morris trajectories")] = 10,
    levels: Annotated[int, typer.Option(help="Morris grid levels")] = 4,
    sobol_n: Annotated[int, typer.Option(help="Sobol base sample size")] = 64,
    doctrine: Annotated[str, typer.Option(help="blue player")] = "preemptive",
    red: Annotated[str, typer.Option(help="red player")] = "opportunist",
    seed: Annotated[int, typer.Option(help="common seed of every sample")] = 0,
    replicates: Annotated[int, typer.Option(help="seeds averaged per sample")] = 1,
    scale: Annotated[int | None, typer.Option(min=1, help="residents per citizen")] = None,
    jobs: Annotated[int, typer.Option(min=1, help="worker processes")] = 2,
    outcomes: Annotated[str, typer.Option(help="comma-separated outcomes")] = (
        "incidents_red,peak_active_fraction,injured,legitimacy_final"),
    plot: Annotated[Path, typer.Option(help="PNG of the ranking")] = Path("sensitivity.png"),
    markdown: Annotated[bool, typer.Option(help="print Markdown tables")] = False,
) -> None:
    """Which uncertain parameters drive the outcomes (Morris or Sobol, via SALib)."""
    from wargame.sensitivity import sensitivity_command

    try:
        sensitivity_command(scenario, method, trajectories, levels, sobol_n, doctrine, red, seed,
                            replicates, scale, jobs, outcomes, str(plot), markdown)
    except ScenarioError as exc:
        _fail(exc)


if __name__ == "__main__":
    app()
