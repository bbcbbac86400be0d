"""The compiled kernels (``wargame.kernels``) compute exactly what their references in
``wargame.dynamics`` compute, bit for bit, over many random inputs and the edge cases (an
isolated district, values clipped at 0 and 1, no diffusion, long ticks)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from wargame import dynamics as dyn
from wargame import kernels


def _graph(rng: np.random.Generator, n: int) -> sp.csr_array:
    """A random weighted graph on ``n`` districts, row-normalised as the engine's; the last
    district is isolated (an empty row)."""
    a = (rng.random((n, n)) < 0.3) * rng.random((n, n))
    a = np.triu(a, 1)
    a = a + a.T
    a[-1, :] = a[:, -1] = 0.0
    return dyn.row_normalised(sp.csr_array(a))


@pytest.mark.parametrize("seed", range(5))
def test_rumour_step_equals_its_reference(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 40))
    w = _graph(rng, n)
    for _ in range(100):
        rumour = rng.choice([rng.random(n), np.round(rng.random(n), 1), np.zeros(n),
                             np.ones(n)])
        hours = float(rng.choice([0.5, 2.0, 6.0, 24.0, 90.0]))
        diffusion, decay = (float(v) for v in rng.choice([0.0, 0.1, 0.7, 5.0], size=2))
        damping = rng.choice([np.zeros(n), rng.random(n), np.full(n, rng.random())])
        expected = dyn.rumour_step(rumour, w, hours, diffusion, decay, damping)
        got = kernels.rumour_step(rumour, w.indptr, w.indices, w.data, hours, diffusion,
                                  decay, damping)
        assert got.tobytes() == expected.tobytes()
    assert w.indptr[-1] == w.indptr[-2]  # the isolated district was part of the graph
