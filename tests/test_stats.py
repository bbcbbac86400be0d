"""Comparison statistics (``wargame.stats``) against hand-checked numbers and scipy."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from wargame.stats import cliffs_delta, describe, paired, summarise, summary_frame, t_interval

# d = a - b = [2, 1, 0, 3, 2, 3, 0, 3]: mean 1.75, sd 1.28174, se 0.453163
A = [12, 15, 11, 18, 14, 16, 13, 17]
B = [10, 14, 11, 15, 12, 13, 13, 14]


def test_describe_matches_a_hand_computed_t_interval():
    # mean 3, sd sqrt(2.5), t(0.975, 4) = 2.776445 → half-width 2.776445 * 1.581139 / sqrt(5)
    d = describe([1, 2, 3, 4, 5])
    assert d["n"] == 5 and d["mean"] == 3.0
    assert d["sd"] == pytest.approx(math.sqrt(2.5))
    assert d["ci_low"] == pytest.approx(3 - 1.963243, abs=1e-6)
    assert d["ci_high"] == pytest.approx(3 + 1.963243, abs=1e-6)
    assert (d["median"], d["min"], d["max"]) == (3.0, 1.0, 5.0)


def test_t_interval_agrees_with_scipy_and_handles_degenerate_samples():
    x = np.array([0.3, 0.9, 0.4, 0.8, 0.55, 0.61])
    want = st.t.interval(0.9, x.size - 1, loc=x.mean(), scale=st.sem(x))
    assert t_interval(x, 0.9) == pytest.approx(want)
    assert t_interval([4, 4, 4]) == (4.0, 4.0)
    lo, hi = t_interval([7])
    assert math.isnan(lo) and math.isnan(hi)


def test_describe_ignores_nan_and_survives_empty_input():
    assert describe([1.0, float("nan"), 3.0])["n"] == 2
    assert describe([])["n"] == 0


def test_paired_against_hand_numbers_and_scipy():
    p = paired(A, B)
    assert p["n_pairs"] == 8
    assert p["mean_diff"] == pytest.approx(1.75)
    # t(0.975, 7) = 2.364624; 1.75 -/+ 2.364624 * 0.453163
    assert p["ci_low"] == pytest.approx(0.678439, abs=1e-6)
    assert p["ci_high"] == pytest.approx(2.821561, abs=1e-6)
    assert p["p_t"] == pytest.approx(st.ttest_rel(A, B).pvalue)
    assert p["p_t"] == pytest.approx(0.0061975, abs=1e-6)
    # Wilcoxon drops the two zero differences; the other six are all positive, so the
    # exact two-sided p is 2 / 2**6
    assert p["p_wilcoxon"] == pytest.approx(2 / 64)
    assert p["cliffs_delta"] == pytest.approx(cliffs_delta(A, B))


def test_paired_all_zero_differences_give_p_one():
    p = paired([3, 5, 2, 8], [3, 5, 2, 8])
    assert p["mean_diff"] == 0.0
    assert (p["ci_low"], p["ci_high"]) == (0.0, 0.0)
    assert p["p_t"] == 1.0 and p["p_wilcoxon"] == 1.0
    assert p["cliffs_delta"] == 0.0


def test_paired_drops_pairs_with_a_failed_side():
    p = paired([1, 2, float("nan"), 4], [0, 1, 5, float("nan")])
    assert p["n_pairs"] == 2 and p["mean_diff"] == 1.0


def test_paired_needs_aligned_samples():
    with pytest.raises(ValueError):
        paired([1, 2], [1, 2, 3])


def test_cliffs_delta_hand_checked():
    assert cliffs_delta([4, 5], [1, 2]) == 1.0
    assert cliffs_delta([1, 2], [4, 5]) == -1.0
    assert cliffs_delta([1, 2, 3], [1, 2, 3]) == 0.0
    # x = [2, 3, 5], y = [1, 4]: 4 pairs with x > y, 2 with x < y, of 6 → 1/3
    assert cliffs_delta([2, 3, 5], [1, 4]) == pytest.approx(1 / 3)
    # ties count half: x = [1, 2, 3], y = [2, 2] → (2 - 2) / 6
    assert cliffs_delta([1, 2, 3], [2, 2]) == 0.0


def _runs_frame() -> pd.DataFrame:
    rows = []
    for i, (a, b) in enumerate(zip(A, B, strict=True)):
        rows.append({"doctrine": "base", "replication": i, "point": 0, "status": "ok",
                     "injured": b, "arrests": 10.0})
        rows.append({"doctrine": "alt", "replication": i, "point": 0, "status": "ok",
                     "injured": a, "arrests": 10.0})
    rows.append({"doctrine": "alt", "replication": 8, "point": 0, "status": "failed",
                 "injured": None, "arrests": None})
    rows.append({"doctrine": "base", "replication": 8, "point": 0, "status": "ok",
                 "injured": 99, "arrests": 10.0})
    df = pd.DataFrame(rows).sample(frac=1.0, random_state=3)  # order must not matter
    return df


def test_summarise_shape_pairs_by_replication_and_counts_failures():
    s = summarise(_runs_frame(), "base")
    assert s["ci"] == "t" and s["baseline"] == "base" and s["runs"] == 9
    assert s["doctrines_order"] == ["base", "alt"]
    assert s["failed"] == {"base": 0, "alt": 1} and s["failed_total"] == 1
    assert s["doctrines"]["alt"]["injured"]["n"] == 8  # the failed run is left out
    assert s["doctrines"]["base"]["injured"]["n"] == 9
    pair = s["paired"]["alt"]["injured"]
    assert pair["n_pairs"] == 8 and pair["mean_diff"] == pytest.approx(1.75)
    assert pair["p_wilcoxon"] == pytest.approx(2 / 64)
    # constant outcome: zero differences → p = 1, interval [0, 0]
    assert s["paired"]["alt"]["arrests"]["p_t"] == 1.0
    assert "base" not in s["paired"]
    json.dumps(s, allow_nan=False)  # valid JSON: no NaN anywhere


def test_summarise_keys_each_sweep_point():
    df = _runs_frame()
    df2 = df.assign(point=1, injured=df["injured"] * 2)
    both = pd.concat([df.assign(**{"params.x": 1}), df2.assign(**{"params.x": 2})])
    both.attrs["swept_columns"] = ["params.x"]
    both.attrs["override_columns"] = ["params.x"]
    s = summarise(both, "base")
    assert s["swept"] == ["params.x"]
    assert [p["overrides"] for p in s["points"]] == [{"params.x": 1}, {"params.x": 2}]
    assert "doctrines" not in s  # with a sweep, estimates live under each point only
    assert s["points"][1]["paired"]["alt"]["injured"]["mean_diff"] == pytest.approx(3.5)
    assert "params.x" not in s["outcomes"]
    table = summary_frame(s)
    assert set(table["point"]) == {0, 1}
    assert {"mean", "ci_low", "ci_high", "mean_diff", "diff_ci_low", "p_t", "p_wilcoxon",
            "cliffs_delta", "params.x"} <= set(table.columns)


def test_summarise_rejects_an_unknown_baseline():
    with pytest.raises(ValueError):
        summarise(_runs_frame(), "nope")
