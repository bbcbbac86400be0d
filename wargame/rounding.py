"""Many floats rounded to decimal places exactly as Python's ``round`` rounds each.

Views and the timeline round a few hundred numbers a turn to 4 or 6 places for people and
files to read; ``round`` one float at a time costs more than the arithmetic that made them.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def rounded(values: Any, nd: int) -> list[float]:
    """The floats of ``[round(float(x), nd) for x in values]`` (flattened), bit for bit,
    at numpy speed (``nd`` from 0 to 15).

    ``round(x, nd)`` is the double nearest to N / 10**nd, N being x · 10**nd rounded
    exactly (half to even); so is ``rint(y) / 10**nd`` (an exact integer over an exact power
    of ten, divided with one correct rounding) whenever the float product y = x · 10**nd
    cannot straddle a half-integer: below 2**30 its error is under 2**-23, far inside the
    1e-6 margin kept from every tie. The few values too near a tie (or too large, or not
    finite) are left to ``round`` itself (``tests/test_rounding.py``).
    """
    if not 0 <= nd <= 15:
        raise ValueError(f"nd must be between 0 and 15, got {nd}")
    x = np.asarray(values, dtype=float).ravel()
    scale = 10.0 ** nd
    with np.errstate(invalid="ignore", over="ignore"):
        y = x * scale
        out = (np.rint(y) / scale).tolist()
        unsafe = ~((np.abs(y - np.floor(y) - 0.5) > 1e-6) & (np.abs(y) < 2.0 ** 30))
    if np.count_nonzero(unsafe):
        for i in unsafe.nonzero()[0].tolist():
            out[i] = round(float(x[i]), nd)
    return out
