"""`wargame sensitivity`: Morris screening through SALib on real exercises."""

from __future__ import annotations

from typer.testing import CliRunner

from wargame.cli import app
from wargame.sensitivity import PARAMETERS, analyse, format_table


def test_morris_ranks_every_parameter_for_every_outcome():
    params = PARAMETERS[:3]
    res = analyse("tutorial", "morris", trajectories=2, levels=4, params=params,
                  outcomes=["peak_active_fraction", "legitimacy_final"], doctrine="none",
                  red="none", jobs=1)
    assert res.runs == 2 * (len(params) + 1)  # Morris: r (k + 1) exercises
    for outcome in ("peak_active_fraction", "legitimacy_final"):
        rows = res.indices[outcome]
        assert {r["parameter"] for r in rows} == {p.path for p in params}
        assert all(float(r["mu_star"]) >= 0 for r in rows)
    # Initial legitimacy moves final legitimacy: it cannot have a zero elementary effect.
    legit = {r["parameter"]: float(r["mu_star"]) for r in res.indices["legitimacy_final"]}
    assert any(v > 0 for k, v in legit.items() if "legitimacy" in k)
    assert "peak_active_fraction" in format_table(res)


def test_cli_sensitivity_prints_a_table_and_writes_the_plot(tmp_path):
    out = tmp_path / "s.png"
    result = CliRunner().invoke(app, [
        "sensitivity", "tutorial", "--trajectories", "2", "--doctrine", "none", "--red", "none",
        "--jobs", "1", "--outcomes", "legitimacy_final", "--plot", str(out)])
    assert result.exit_code == 0, result.output
    assert "legitimacy_final" in result.output
    assert out.exists() and out.stat().st_size > 1000
