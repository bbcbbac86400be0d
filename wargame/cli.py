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
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    timeline: Annotated[Path | None, typer.Option(help="write per-turn, per-district CSV")] = None,
    scale: Annotated[int | None, typer.Option(
        help="residents per synthetic citizen (default: the scenario's)")] = None,
) -> None:
    """Run the whole election calendar headless and report the outcomes."""
    from wargame.runner import run_scenario, summary_lines

    try:
        sc = catalog.load(scenario)
    except ScenarioError as exc:
        _fail(exc)
    result = run_scenario(sc, seed=seed, scale=scale, timeline=timeline)
    metrics = result["metrics"]
    missing = [k for k in OUTCOMES if k not in metrics]
    if missing:  # a programming error, not a user error
        raise RuntimeError(f"outcomes missing: {missing}")
    if as_json:
        typer.echo(json.dumps({"scenario": result["scenario"], "seed": seed,
                               "metrics": metrics}))
    else:
        for line in summary_lines(result["model"], metrics, seed):
            typer.echo(line)
        if timeline:
            typer.echo(f"timeline written to {timeline}")


if __name__ == "__main__":
    app()
