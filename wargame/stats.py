"""Statistics of a doctrine comparison: per-doctrine estimates and paired differences.

Why these methods:

* **Per doctrine** (and sweep point) and outcome: n, mean, sample sd and a 95 % **Student t**
  interval for the mean (``scipy.stats.t.interval``). Runs are independent replications, so
  the t interval is the textbook choice; it is stated in the output as ``"ci": "t"``.
* **Paired vs the baseline** (the first doctrine): replication *i* of every doctrine uses the
  same seed child (common random numbers), so doctrine − baseline differences are taken
  *per replication* and only replications where both runs succeeded are paired. Reported:
  the mean difference with its t interval, the paired t-test p-value
  (``scipy.stats.ttest_rel``), the Wilcoxon signed-rank p-value (``scipy.stats.wilcoxon``,
  which needs no normality; zero differences are dropped, its default), and Cliff's delta
  (from the Mann–Whitney U statistic: δ = 2U/(n·m) − 1, in [−1, 1]; > 0 means the doctrine's
  values tend to be larger than the baseline's).
* Degenerate cases are answered rather than left as NaN where the answer is clear: all
  differences zero → mean 0, CI [0, 0], both p-values 1.0; a constant sample → CI [m, m].
  Fewer than two values → no interval (NaN), which JSON output writes as ``null``.

A positive difference is "more of this outcome than the baseline": for harms (incidents,
injuries) that is worse, for ``legitimacy_final`` better.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as st

from wargame.metrics import OUTCOMES

CONFIDENCE = 0.95
CI_METHOD = "t"

# The outcomes shown on the terminal and plotted (a readable subset of the metrics).
MAIN_OUTCOMES = ("incidents_red", "district_turns_red", "peak_active_fraction", "injured",
                 "arrests", "legitimacy_final", "personnel_hours")

# Columns of a run row that are bookkeeping, not outcomes.
RUN_COLUMNS = ("key", "scenario", "digest", "doctrine", "red", "replication", "point", "seed",
               "seed_entropy", "spawn_key", "scale", "overrides", "status", "error",
               "error_type", "traceback", "wall_s", "host", "pid", "finished", "engine")


def _f(x: Any) -> float:
    return float(x)


def t_interval(values: Sequence[float] | np.ndarray,
               confidence: float = CONFIDENCE) -> tuple[float, float]:
    """The Student t confidence interval for the mean of ``values``."""
    x = np.asarray(values, dtype=float)
    n = x.size
    if n < 2:
        return math.nan, math.nan
    mean = _f(x.mean())
    sd = _f(x.std(ddof=1))
    if sd == 0.0:  # scipy wants scale > 0; a constant sample has a zero-width interval
        return mean, mean
    lo, hi = st.t.interval(confidence, n - 1, loc=mean, scale=sd / math.sqrt(n))
    return _f(lo), _f(hi)


def describe(values: Sequence[float] | np.ndarray,
             confidence: float = CONFIDENCE) -> dict[str, float | int]:
    """n, mean, sd, t interval of the mean, median, min and max of one sample."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = int(x.size)
    if n == 0:
        return {"n": 0, "mean": math.nan, "sd": math.nan, "ci_low": math.nan,
                "ci_high": math.nan, "median": math.nan, "min": math.nan, "max": math.nan}
    lo, hi = t_interval(x, confidence)
    return {"n": n, "mean": _f(x.mean()), "sd": _f(x.std(ddof=1)) if n > 1 else math.nan,
            "ci_low": lo, "ci_high": hi, "median": _f(np.median(x)), "min": _f(x.min()),
            "max": _f(x.max())}


def cliffs_delta(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float:
    """Cliff's delta P(X > Y) − P(X < Y), via the Mann–Whitney U of ``x`` (ties count ½)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.size == 0 or y.size == 0:
        return math.nan
    u = st.mannwhitneyu(x, y, alternative="two-sided").statistic
    return _f(2.0 * u / (x.size * y.size) - 1.0)


def paired(values: Sequence[float] | np.ndarray, baseline: Sequence[float] | np.ndarray,
           confidence: float = CONFIDENCE) -> dict[str, float | int]:
    """Paired comparison of ``values`` − ``baseline`` (aligned: item i of each = replication i).

    Pairs where either side is NaN (a failed run) are dropped.
    """
    a = np.asarray(values, dtype=float)
    b = np.asarray(baseline, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"paired samples differ in length: {a.size} vs {b.size}")
    keep = ~(np.isnan(a) | np.isnan(b))
    a, b = a[keep], b[keep]
    d = a - b
    n = int(d.size)
    out: dict[str, float | int] = {"n_pairs": n, "mean_diff": _f(d.mean()) if n else math.nan,
                                   "sd_diff": _f(d.std(ddof=1)) if n > 1 else math.nan,
                                   "ci_low": math.nan, "ci_high": math.nan,
                                   "p_t": math.nan, "p_wilcoxon": math.nan,
                                   "cliffs_delta": cliffs_delta(a, b)}
    if n == 0:
        return out
    out["ci_low"], out["ci_high"] = t_interval(d, confidence)
    if np.all(d == 0):
        out["p_t"] = out["p_wilcoxon"] = 1.0  # identical runs: no evidence of a difference
        return out
    if n >= 2:
        with warnings.catch_warnings():  # constant non-zero differences: t = ±inf, p = 0
            warnings.simplefilter("ignore", RuntimeWarning)
            out["p_t"] = _f(st.ttest_rel(a, b).pvalue)
        with warnings.catch_warnings():  # small n: scipy warns the normal approximation
            warnings.simplefilter("ignore", UserWarning)
            out["p_wilcoxon"] = _f(st.wilcoxon(d).pvalue)
    return out


def outcome_columns(df: pd.DataFrame) -> list[str]:
    """The metric columns of a runs table: the documented outcomes first, then the rest."""
    numeric = [c for c in df.columns if c not in RUN_COLUMNS and not _is_override(df, c)
               and pd.api.types.is_numeric_dtype(df[c])]
    first = [c for c in OUTCOMES if c in numeric]
    return first + [c for c in numeric if c not in first]


def _is_override(df: pd.DataFrame, column: str) -> bool:
    return column in df.attrs.get("override_columns", ()) or "." in column or "[" in column


def point_columns(df: pd.DataFrame) -> list[str]:
    """The swept-path columns (one per swept path), as recorded by the batch runner."""
    cols = df.attrs.get("swept_columns")
    if cols is None:
        cols = [c for c in df.columns if c in df.attrs.get("override_columns", ())
                and df[c].astype(str).nunique() > 1]
    return [c for c in cols if c in df.columns]


def _clean(x: Any) -> Any:
    """NaN → None, numpy scalars → Python: the summary must be valid JSON."""
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_clean(v) for v in x]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def _summarise_point(df: pd.DataFrame, doctrines: list[str], baseline: str,
                     outcomes: list[str], confidence: float) -> dict[str, Any]:
    ok = df[df["status"] == "ok"]
    result: dict[str, Any] = {"doctrines": {}, "paired": {}, "failed": {}, "ok": {}}
    base = ok[ok["doctrine"] == baseline].set_index("replication")
    for name in doctrines:
        mine = ok[ok["doctrine"] == name]
        result["ok"][name] = len(mine)
        result["failed"][name] = int(((df["doctrine"] == name) & (df["status"] != "ok")).sum())
        result["doctrines"][name] = {o: describe(mine[o].to_numpy(dtype=float), confidence)
                                     for o in outcomes}
        if name == baseline:
            continue
        mine = mine.set_index("replication")
        reps = sorted(set(mine.index) & set(base.index))
        result["paired"][name] = {
            o: paired(mine.loc[reps, o].to_numpy(dtype=float),
                      base.loc[reps, o].to_numpy(dtype=float), confidence)
            for o in outcomes}
    return result


def summarise(df: pd.DataFrame, baseline: str | None = None,
              outcomes: Sequence[str] | None = None,
              confidence: float = CONFIDENCE) -> dict[str, Any]:
    """The comparison summary of a runs table (one row per run, as ``batch.compare`` gives).

    ``baseline`` defaults to the batch's (the first doctrine given), else the first in
    the table.

    Shape (JSON-ready, NaN as ``None``)::

        {"ci": "t", "confidence": 0.95, "runs": N, "baseline": NAME,
         "doctrines_order": [...], "swept": [paths], "outcomes": [...],
         "failed_total": k,
         "points": [{"point": 0, "overrides": {path: value},
                     "doctrines": {NAME: {OUTCOME: {n, mean, sd, ci_low, ci_high, ...}}},
                     "paired": {NAME: {OUTCOME: {n_pairs, mean_diff, ci_low, ci_high,
                                                 p_t, p_wilcoxon, cliffs_delta}}},
                     "ok": {NAME: runs}, "failed": {NAME: runs}}, ...],
         # without a sweep (one point), also at the top level:
         "doctrines": {...}, "paired": {...}, "failed": {...}}

    ``runs`` is the number of replications asked for per doctrine and point.
    """
    if df.empty:
        raise ValueError("no runs to summarise")
    doctrines = list(dict.fromkeys(df["doctrine"]))
    baseline = baseline or df.attrs.get("manifest", {}).get("baseline") or doctrines[0]
    if baseline not in doctrines:
        raise ValueError(f"baseline {baseline!r} is not among the doctrines {doctrines}")
    doctrines = [baseline, *[d for d in doctrines if d != baseline]]
    outs = list(outcomes) if outcomes is not None else outcome_columns(df)
    swept = point_columns(df)
    pts = df["point"] if "point" in df.columns else pd.Series(0, index=df.index)
    points = []
    for p in sorted(pts.unique()):
        sub = df[pts == p]
        values = {c: sub[c].iloc[0] for c in swept}
        entry = {"point": int(p), "overrides": values,
                 **_summarise_point(sub, doctrines, baseline, outs, confidence)}
        points.append(entry)
    summary: dict[str, Any] = {
        "ci": CI_METHOD, "confidence": confidence,
        "runs": int(df["replication"].nunique()), "baseline": baseline,
        "doctrines_order": doctrines, "swept": swept, "outcomes": outs,
        "failed_total": int((df["status"] != "ok").sum()), "points": points}
    if len(points) == 1:
        for k in ("doctrines", "paired", "failed"):
            summary[k] = points[0][k]
    return _clean(summary)


def summary_frame(summary: dict[str, Any]) -> pd.DataFrame:
    """The summary as one tidy table: a row per (sweep point, doctrine, outcome), with the
    paired-vs-baseline columns (empty for the baseline itself). Written as summary.csv."""
    rows = []
    for pt in summary["points"]:
        for name, by_outcome in pt["doctrines"].items():
            for outcome, d in by_outcome.items():
                row: dict[str, Any] = {"point": pt["point"], **pt["overrides"],
                                       "doctrine": name, "outcome": outcome, **d,
                                       "ci": summary["ci"], "failed": pt["failed"][name]}
                pair = pt["paired"].get(name, {}).get(outcome)
                for k in ("n_pairs", "mean_diff", "ci_low", "ci_high", "p_t", "p_wilcoxon",
                          "cliffs_delta"):
                    col = {"ci_low": "diff_ci_low", "ci_high": "diff_ci_high"}.get(k, k)
                    row[col] = pair.get(k) if pair else None
                rows.append(row)
    return pd.DataFrame(rows)
