"""Compiled forms of per-tick dynamics, for the engine's hot path.

Each function here computes exactly what its reference in ``wargame.dynamics`` computes
(the same operations in the same order, compiled by numba without fast-math, so each is
rounded as numpy rounds it): ``tests/test_kernels.py`` checks them bit for bit against the
references. They exist because, on the engine's arrays of a few dozen districts, a chain of
numpy calls costs far more in interpreter and dispatch overhead than in arithmetic, every
tick of every run in a batch. The references stay the readable statement of each mechanism.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def rumour_step(rumour: np.ndarray, indptr: np.ndarray, indices: np.ndarray,
                weights: np.ndarray, hours: float, diffusion: float, decay: float,
                damping: np.ndarray) -> np.ndarray:
    """``dynamics.rumour_step`` with W given as its CSR arrays (``W.indptr``,
    ``W.indices``, ``W.data``): diffusion along the edges (W x summed row by row in stored
    order, as scipy's CSR product sums it), decay and counter-hoax damping, clipped to
    [0, 1]. Returns a new array."""
    days = hours / 24.0
    rate = min(1.0, diffusion * days)
    out = np.empty(rumour.size)
    for i in range(rumour.size):
        x = rumour[i]
        change = 0.0
        if indptr[i + 1] > indptr[i]:  # an isolated district keeps its value
            wx = 0.0
            for jj in range(indptr[i], indptr[i + 1]):
                wx += weights[jj] * rumour[indices[jj]]
            change = wx - x
        v = (x + rate * change) * math.exp(-(decay + damping[i]) * days)
        v = 0.0 if v < 0.0 else v  # clip01 (NaN passes through, as with numpy)
        out[i] = 1.0 if v > 1.0 else v
    return out


def warm() -> None:
    """Compile (or load from numba's cache) the kernels now, with the argument types the
    engine passes, so that forked batch workers inherit them compiled."""
    one = np.ones(1)
    ptr = np.array([0, 1], dtype=np.int32)
    rumour_step(one, ptr, np.zeros(1, dtype=np.int32), one, 1.0, 0.5, 0.1, one)
