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
) -> None:
    """Run the whole election calendar headless, turn by turn, and report the outcomes."""
    from wargame.exercise import Exercise
    from wargame.players import load_player
    from wargame.runner import summary_lines, write_timeline

    try:
        sc = catalog.load(scenario)
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
                               "red": red, "metrics": metrics}))
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


if __name__ == "__main__":
    app()
