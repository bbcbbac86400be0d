"""The engine caches what changes rarely (the units' layout of contributions). A cache
must never change a result: each tick, the cached value equals one rebuilt from scratch."""

from __future__ import annotations

import numpy as np
import pytest

from wargame.exercise import Exercise
from wargame.players import load_player


def _ids(here: dict) -> dict[int, list[str]]:
    return {d: [u.unit_id for u in us] for d, us in here.items() if us}


@pytest.mark.parametrize("doctrine", ["preemptive", "repressive"])
def test_cached_unit_layout_equals_a_rebuild_every_tick(banyuwangi, doctrine):
    """Orders move, split and retask units, reinforcements arrive, incidents close and
    release their units: after every one of these the cached layout must be current."""
    ex = Exercise(banyuwangi, np.random.SeedSequence(3), blue=load_player(doctrine, "blue"),
                  red=load_player("agitator", "red"))
    m = ex.model
    units0 = len(m.units)
    orig = m._contributions
    checked: dict[str, object] = {"ticks": 0, "rebuilt": 0, "last": m._layout}

    def contributions_checked() -> None:
        orig()
        cached, here = m._layout, _ids(m.units_here)
        checked["rebuilt"] += cached is not checked["last"]
        checked["last"] = cached
        fresh = m._build_layout()
        for a, b in zip(cached, fresh, strict=True):
            np.testing.assert_array_equal(a, b)
        assert here == _ids(m.units_here)
        checked["ticks"] += 1

    m._contributions = contributions_checked
    ex.run()
    assert checked["ticks"] == len(m.ticks)
    # the cache is rebuilt when postures change, not every tick
    assert 0 < checked["rebuilt"] < checked["ticks"] / 2
    assert len(m.units) > units0  # detachments or reinforcements were made
