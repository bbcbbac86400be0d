"""The citizens' decision (Epstein's rule A with the Granovetter gate) as one compiled pass.

Every free citizen is active next tick iff G − R · P > T (and, with the Granovetter gate,
the share of others out where they look is at least their threshold θ), with
G = H · (1 − L). Since R · P ≥ 0, only citizens with G > T can want to act; they are the
latent or active ones. Everyone in an (affiliation, district) group perceives one L, so
with the citizens stored group by group, hardship descending, a group's citizens with
G > T are its first ones: the pass walks each group from its start and stops at the first
citizen with G ≤ T (G falls as H falls: a product with a fixed factor ≥ 0 is monotone in
floating point). Everyone after that is quiet and not latent.

Per citizen the pass applies ``wargame.dynamics.grievance``, ``wants_active`` and
``joins_by_threshold``, written out element by element: those array functions stay the
readable reference of the rules, which the tests evaluate for every citizen.
The pass is compiled with numba (no fast-math: each operation is rounded as numpy rounds
it, so results are those of the same formulas written with numpy arrays, bit for bit —
``tests/test_fast_paths.py`` checks it tick by tick against evaluating every citizen).
The random draws (police seen, drop-outs) stay with the model's numpy generators.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from wargame.population import ACTIVE, JAILED


@njit(cache=True, nogil=True)
def decide(group_start: np.ndarray, unfair: np.ndarray, hardship: np.ndarray,
           order: np.ndarray, hood: np.ndarray, home: np.ndarray, threshold: float,
           risk_aversion: np.ndarray, theta: np.ndarray, state: np.ndarray,
           rest: np.ndarray, p_hood: np.ndarray, local_hood: np.ndarray,
           crowd: np.ndarray, p_crowd: np.ndarray, local_crowd: np.ndarray,
           granovetter: bool, active_out: np.ndarray, active_district: np.ndarray,
           active_hood: np.ndarray, latent_district: np.ndarray) -> int:
    """Decide every citizen with G > T; return how many want to be active.

    Per group g (its members at ``group_start[g]:group_start[g + 1]`` of the sorted arrays
    ``hardship``, ``order`` (citizen ids), ``hood``, ``home``): 1 − L is ``unfair[g]``.
    Per citizen id: ``risk_aversion``, ``theta`` (Granovetter threshold), ``state`` (as
    of the last tick), ``rest`` (hours still resting). Each citizen weighs the arrest risk
    ``p_hood`` and sees the share out ``local_hood`` of its neighbourhood — except an
    active member of a crowd that is out (``crowd[home]``), who weighs ``p_crowd[home]``
    and sees ``local_crowd[home]``.

    Writes the ids of those who want to be active, in group order, to ``active_out``, and
    adds them per district and neighbourhood to ``active_district``/``active_hood``, and
    the latent (free, G > T, not active) per district to ``latent_district``.
    """
    n_active = 0
    for g in range(unfair.size):
        factor = unfair[g]
        for pos in range(group_start[g], group_start[g + 1]):
            grievance = hardship[pos] * factor
            if not grievance > threshold:
                break
            i = order[pos]
            d = home[pos]
            p = p_hood[hood[pos]]
            local = local_hood[hood[pos]]
            if crowd[d] and state[i] == ACTIVE:
                p = p_crowd[d]
                local = local_crowd[d]
            risk = risk_aversion[i] * p
            wants = grievance - risk > threshold
            if granovetter:
                wants = wants and local >= theta[i]
            free = state[i] != JAILED
            if wants and free and rest[i] <= 0:
                active_out[n_active] = i
                n_active += 1
                active_district[d] += 1
                active_hood[hood[pos]] += 1
            elif free:
                latent_district[d] += 1
    return n_active


def warm() -> None:
    """Compile (or load from numba's cache) the pass now, on a made-up group of one: a
    process that forks workers calls it first, so each worker does not pay for it."""
    one, none = np.ones(1), np.zeros(1)
    ids, flag = np.zeros(1, dtype=np.intp), np.zeros(1, dtype=bool)
    counts = np.zeros(1, dtype=np.int64)
    decide(np.array([0, 1], dtype=np.intp), one, one, ids, ids, ids, 0.5, none, none,
           np.zeros(1, dtype=np.int8), none, none, one, flag, none, none, True,
           np.empty(1, dtype=np.intp), counts, counts.copy(), counts.copy())
