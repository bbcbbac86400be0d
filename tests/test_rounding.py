"""``wargame.rounding.rounded`` rounds as Python's ``round`` rounds each float, bit for bit:
ordinary values, values at and next to ties, large, tiny, negative, signed zeros and
values that are not finite."""

from __future__ import annotations

import math

import numpy as np
import pytest

from wargame.rounding import rounded


def _same(a: list[float], b: list[float]) -> bool:
    return all((math.isnan(x) and math.isnan(y)) or (x == y and math.copysign(1, x)
                                                      == math.copysign(1, y))
               for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("nd", [0, 1, 2, 4, 6, 9])
def test_rounded_is_round_of_each_value(nd):
    rng = np.random.default_rng(nd)
    scale = 10.0 ** nd
    ties = (rng.integers(-10 ** 6, 10 ** 6, 2000) + 0.5) / scale  # k.5 at the nd-th place
    values = np.concatenate([
        rng.random(5000), rng.random(2000) * 2e3 - 1e3, rng.standard_normal(2000) * 1e-3,
        ties, np.nextafter(ties, np.inf), np.nextafter(ties, -np.inf),
        rng.random(200) * 1e12, [0.0, -0.0, -1e-300, 1e-300, 0.5, 1.5, 2.5, -2.5, 1.0, -1.0,
                                 np.inf, -np.inf, np.nan, 2.0 ** 31, 1e308]])
    assert _same(rounded(values, nd), [round(float(x), nd) for x in values])


def test_rounded_flattens_and_keeps_the_order():
    grid = np.array([[0.123456789, 0.5], [2.25, -0.000049]])
    assert rounded(grid, 4) == [0.1235, 0.5, 2.25, -0.0]


def test_rounded_refuses_places_it_cannot_promise():
    with pytest.raises(ValueError, match="between 0 and 15"):
        rounded([1.0], 16)
    with pytest.raises(ValueError, match="between 0 and 15"):
        rounded([1.0], -1)
