"""Compiled forms of per-tick dynamics, for the engine's hot path.

Each function here computes exactly what its reference computes (``wargame.dynamics``,
``agents.groups.decide``; for the units' bookkeeping, its whole-array form kept in the
tests): the same operations in the same order, compiled by numba without fast-math, so each
is rounded as numpy rounds it. ``tests/test_kernels.py`` checks them bit for bit against the
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
        v = 0.0 if v <= 0.0 else v  # clip01: NaN passes, −0 becomes 0, as in numpy
        out[i] = 1.0 if v > 1.0 else v
    return out


@njit(cache=True, nogil=True)
def supporter_groups(days: float, rally_rate: float, protest_rate: float, mobilisation: float,
                     result_known: bool, share: np.ndarray, losing: np.ndarray,
                     grievance: np.ndarray, threshold: float, partisan_share: float,
                     vulnerability: np.ndarray, draws: np.ndarray, n_districts: int
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``agents.groups.decide`` (the stage's ``rally`` and ``protest`` rates per day and its
    ``mobilisation`` given as numbers, hours as ``days``), then what the engine makes of
    the groups' mobilisation: the share of each district's residents out, summed over the
    Paslon (groups are Paslon by Paslon, district by district) and clipped to [0, 1].
    Returns (rally, protest_call, mobilised per district)."""
    n = share.size
    rally = np.empty(n, dtype=np.bool_)
    protest = np.empty(n, dtype=np.bool_)
    by_district = np.zeros(n_districts)
    rally2 = rally_rate * 2
    floor = max(threshold, 1e-9)
    for g in range(n):
        rr = rally2 * share[g] * (1.0 + vulnerability[g])
        rally[g] = draws[g, 0] < 1.0 - math.exp(-rr * days)
        drive = grievance[g] / floor
        drive = 0.0 if drive <= 0.0 else drive
        drive = 3.0 if drive > 3.0 else drive
        pr = protest_rate * (1.0 if losing[g] else 0.1) * drive
        protest[g] = draws[g, 1] < 1.0 - math.exp(-pr * days)
        side = 1.0 if losing[g] or not result_known else 0.2
        base = mobilisation * side * drive
        burst = (0.05 if rally[g] else 0.0) + (0.15 if protest[g] else 0.0)
        level = base + burst
        level = 1.0 if level > 1.0 else level
        mobilised = partisan_share * share[g] * level
        d = g % n_districts
        # the Paslon's rows added in turn, as numpy sums a (Paslon, district) table by column
        by_district[d] = mobilised if g < n_districts else by_district[d] + mobilised
    for d in range(n_districts):
        v = by_district[d]
        v = 0.0 if v <= 0.0 else v
        by_district[d] = 1.0 if v > 1.0 else v
    return rally, protest, by_district


@njit(cache=True, nogil=True)
def legitimacy_table(police: np.ndarray, election: np.ndarray, election_weight: float,
                     contested: bool, loser: np.ndarray, loser_factor: float,
                     rumour: np.ndarray, sara: np.ndarray, polar: np.ndarray,
                     rumour_weight: float, polar_weight: float) -> np.ndarray:
    """Perceived legitimacy per (affiliation + 1, district), row 0 the non-partisans:
    ``dynamics.perceived_legitimacy`` for them, and for each Paslon's partisans
    ``dynamics.partisan_legitimacy`` of it, with the election body's legitimacy times
    ``loser_factor`` for the Paslon marked ``loser`` in a ``contested`` stage (as
    ``WargameModel._legitimacy_table`` states it)."""
    n = police.size
    table = np.empty((loser.size + 1, n))
    keep = 1.0 - election_weight
    for d in range(n):
        table[0, d] = keep * police[d] + election_weight * election[d]
    for c in range(loser.size):
        for d in range(n):
            e = election[d] * loser_factor if contested and loser[c] else election[d]
            v = (keep * police[d] + election_weight * e) * (
                1.0 - rumour_weight * rumour[d] * (0.5 + sara[d]))
            if contested:
                v = v * (1.0 - polar_weight * polar[d])
            v = 0.0 if v <= 0.0 else v
            table[c + 1, d] = 1.0 if v > 1.0 else v
    return table


@njit(cache=True, nogil=True)
def legitimacy_recovery(coverage: np.ndarray, rate_per_day: float, hours: float,
                        police: np.ndarray, police0: np.ndarray, election: np.ndarray,
                        election0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Police and election-body legitimacy after ``hours`` of engagement covering
    ``coverage``: ``dynamics.engagement_recovery`` of each toward its initial level with
    ``dynamics.recovery_share``. Returns new arrays (police, election)."""
    n = coverage.size
    new_police, new_election = np.empty(n), np.empty(n)
    for d in range(n):
        c = coverage[d]
        c = 0.0 if c <= 0.0 else c
        c = 1.0 if c > 1.0 else c
        share = 1.0 - math.exp(-rate_per_day * c * hours / 24)
        gap = police0[d] - police[d]
        new_police[d] = police[d] + (gap if gap > 0.0 else 0.0) * share
        gap = election0[d] - election[d]
        new_election[d] = election[d] + (gap if gap > 0.0 else 0.0) * share
    return new_police, new_election


@njit(cache=True, nogil=True)
def unit_bookkeeping(hours: float, tps_open: bool, strength: np.ndarray, rate: np.ndarray,
                     duty: np.ndarray, guard: np.ndarray, standing: np.ndarray,
                     on_road: np.ndarray, travel_duty: float, travel_fatigue: float,
                     worked: np.ndarray, tired: np.ndarray) -> None:
    """The bookkeeping of ``agents.units.tick_units``, in place on the ledger's arrays
    ``worked`` (personnel-hours) and ``tired`` (fatigue): per unit, hours on duty at its
    task's ``duty`` (none guarding TPS while they are closed; ``travel_duty`` for a unit that
    set out on the road this tick, ``standing`` False) and fatigue at its task's ``rate``
    (``travel_fatigue`` while still ``on_road``), clipped to [0, 1]; a unit neither tiring
    nor tired keeps its fatigue as it is."""
    for i in range(strength.size):
        d = duty[i]
        if not tps_open and guard[i]:
            d = 0.0
        if not standing[i]:
            d = travel_duty
        r = travel_fatigue if on_road[i] else rate[i]
        worked[i] += strength[i] * hours * d
        if r > 0 or tired[i] > 0:
            t = tired[i] + r * hours
            t = 0.0 if t <= 0.0 else t
            tired[i] = 1.0 if t > 1.0 else t


@njit(cache=True, nogil=True)
def contributions(cover: np.ndarray, base: np.ndarray, where: np.ndarray,
                  fatigue: np.ndarray, engaged_at_full: np.ndarray, villages: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What the units bring to each district this tick (``WargameModel._contributions``):
    each unit's contributions at full effectiveness (``base``: presence, engagement,
    intelligence, arrests per hour, armed TPS guards) scaled by its effectiveness
    1 − fatigue / 2; presence, engagement and intelligence spread over the districts it
    covers (``cover``'s weights), arrests and guards where it stands (``where``).

    Every sum runs over the units in their order, one addition after another: the same
    numbers on every machine (a BLAS matrix product sums in an order, and with fused
    multiply-adds, that depend on the CPU it runs on). Returns (presence, engagement
    coverage, intelligence coverage, arrests per hour, TPS guards) per district, the
    coverages as shares of full coverage clipped to [0, 1].
    """
    n_units, n = cover.shape
    presence, engagement, intel = np.zeros(n), np.zeros(n), np.zeros(n)
    arrests, guards = np.zeros(n), np.zeros(n)
    for u in range(n_units):
        eff = 1.0 - 0.5 * fatigue[u]
        p, e, i = base[u, 0] * eff, base[u, 1] * eff, base[u, 2] * eff
        for d in range(n):
            w = cover[u, d]
            if w != 0.0:  # (a unit covers its district, or its home and area)
                presence[d] += p * w
                engagement[d] += e * w
                intel[d] += i * w
        arrests[where[u]] += base[u, 3] * eff
        guards[where[u]] += base[u, 4] * eff
    for d in range(n):
        v = engagement[d] / engaged_at_full[d]
        v = 0.0 if v <= 0.0 else v  # clip01: NaN passes, −0 becomes 0, as in numpy
        engagement[d] = 1.0 if v > 1.0 else v
        v = intel[d] / villages[d]
        v = 0.0 if v <= 0.0 else v
        intel[d] = 1.0 if v > 1.0 else v
    return presence, engagement, intel, arrests, guards


def warm() -> None:
    """Compile (or load from numba's cache) the kernels now, with the argument types the
    engine passes, so that forked batch workers inherit them compiled."""
    one = np.ones(1)
    ptr = np.array([0, 1], dtype=np.int32)
    rumour_step(one, ptr, np.zeros(1, dtype=np.int32), one, 1.0, 0.5, 0.1, one)
    flags = np.zeros(1, dtype=np.bool_)
    supporter_groups(0.5, 0.1, 0.1, 0.1, False, one, flags, one, 0.1, 0.2, one,
                     np.ones((1, 2)), 1)
    legitimacy_table(one, one, 0.5, True, flags, 0.5, one, one, one, 0.2, 0.2)
    legitimacy_recovery(one, 0.5, 1.0, one, one, one, one)
    unit_bookkeeping(1.0, True, one, one, one, flags, flags, flags, 0.5, 0.1, one.copy(),
                     one.copy())
    contributions(np.ones((1, 1)), np.ones((1, 5)), np.zeros(1, dtype=np.intp), one, one, one)
