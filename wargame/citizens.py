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

``step`` is the whole tick of the citizens around that pass: the officers and the people
out each neighbourhood sees, the arrest risk, resting and dropping out, and the new states.
It draws from the model's citizens' ``numpy.random.Generator``, passed in: numba runs
numpy's own algorithms for ``poisson``, ``binomial`` and ``random`` on the same bit
generator, so the stream and every draw are those of the same calls made from numpy (the
tests check this draw for draw, and against the whole-array form of the step). It exists
because the step's dozen small array operations cost more in interpreter and dispatch
overhead than in arithmetic, once per tick in every run of a batch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numba import njit
from numba import typeof as numba_typeof

from wargame.population import ACTIVE, JAILED, QUIET

#: ``dynamics.arrest_probability``'s risk functions, as the codes ``step`` takes.
RISK_FUNCTIONS = {"floor": 0, "round": 1, "continuous": 2}


@njit(cache=True, nogil=True)
def decide(group_start: np.ndarray, unfair: np.ndarray, hardship: np.ndarray,
           order: np.ndarray, hood: np.ndarray, home: np.ndarray, threshold: float,
           risk_aversion: np.ndarray, theta: np.ndarray, state: np.ndarray,
           resting: np.ndarray, p_hood: np.ndarray, local_hood: np.ndarray,
           crowd: np.ndarray, p_crowd: np.ndarray, local_crowd: np.ndarray,
           granovetter: bool, active_out: np.ndarray, active_district: np.ndarray,
           active_hood: np.ndarray, latent_district: np.ndarray) -> int:
    """Decide every citizen with G > T; return how many want to be active.

    Per group g (its members at ``group_start[g]:group_start[g + 1]`` of the sorted arrays
    ``hardship``, ``order`` (citizen ids), ``hood``, ``home``, ``risk_aversion`` and
    ``theta`` (Granovetter threshold)): 1 − L is ``unfair[g]``. Per citizen id: ``state``
    (as of the last tick) and ``resting`` (still resting). The pass reads the sorted arrays
    in order and only two small ones by id: it is bound by memory, and scattered reads of
    large per-citizen arrays cost it several times more. Each citizen weighs the arrest risk
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
            risk = risk_aversion[pos] * p
            wants = grievance - risk > threshold
            if granovetter:
                wants = wants and local >= theta[pos]
            free = state[i] != JAILED
            if wants and free and not resting[i]:
                active_out[n_active] = i
                n_active += 1
                active_district[d] += 1
                active_hood[hood[pos]] += 1
            elif free:
                latent_district[d] += 1
    return n_active


@njit(cache=True, nogil=True)
def step(rng: np.random.Generator, busy: np.ndarray, resting: np.ndarray,
         resting_mask: np.ndarray, state: np.ndarray, rest: np.ndarray, hours: float,
         rest_hours: float,
         p_drop: float, hood_district: np.ndarray, hood_active_share: np.ndarray,
         out: np.ndarray, sighting: float, presence: np.ndarray,
         population_real: np.ndarray, vision: int, k: float, risk_function: int,
         group_start: np.ndarray, unfair: np.ndarray, hardship: np.ndarray,
         order: np.ndarray, hood: np.ndarray, home: np.ndarray, threshold: float,
         risk_aversion: np.ndarray, theta: np.ndarray, crowd: np.ndarray,
         p_crowd: np.ndarray, local_crowd: np.ndarray, granovetter: bool,
         active_out: np.ndarray, active_district: np.ndarray, active_hood: np.ndarray,
         latent_district: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One tick of the citizens; returns (the busy ids ascending, the resting ids, the
    officers each neighbourhood saw). Updates ``state``, ``rest`` and ``resting_mask`` (True
    for the ``resting`` ids; by citizen id) in place, and the counts as ``decide`` does;
    ``decide``'s arrays are as it takes them.

    In order, as ``WargameModel._citizens`` documents them:

    - each neighbourhood h sees ``out`` (the share visibly out besides the actives) of
      its district plus its own active share, clipped to [0, 1];
    - it sees C ~ Poisson(``sighting`` · presence / residents) officers of its district
      (``sighting`` = vision · visibility), and A − 1 ~ Binomial(vision, share seen)
      people out — no binomial draws at all when nobody is seen anywhere;
    - P = 1 − exp(−k · f(C / A)) (``dynamics.arrest_probability``; ``risk_function``
      codes ``RISK_FUNCTIONS``);
    - the resting rest ``hours`` less; each citizen active at the last tick (``busy``'s
      actives, ascending) drops out with probability ``p_drop`` and rests ``rest_hours``;
    - ``decide`` for the citizens with G > T, then the new states: the jailed stay
      jailed, those who want to act and can are active, everyone else is quiet.
    """
    n_hoods = hood_district.size
    visible = np.empty(n_hoods)
    seen_any = False
    for h in range(n_hoods):
        v = hood_active_share[h] + out[hood_district[h]]
        v = 0.0 if v <= 0.0 else v  # clip01: NaN passes, −0 becomes 0, as in numpy
        v = 1.0 if v > 1.0 else v
        visible[h] = v
        seen_any = seen_any or v != 0.0
    mu = np.empty(presence.size)
    for d in range(presence.size):
        mu[d] = sighting * presence[d] / population_real[d]
    cops = np.empty(n_hoods, dtype=np.int64)
    for h in range(n_hoods):
        cops[h] = rng.poisson(mu[hood_district[h]])
    p_hood = np.empty(n_hoods)
    for h in range(n_hoods):
        seen = (rng.binomial(vision, visible[h]) if seen_any else 0) + 1
        ratio = float(cops[h]) / max(float(seen), 1.0)
        if risk_function == 0:
            ratio = np.floor(ratio)
        elif risk_function == 1:
            ratio = np.rint(ratio)
        p_hood[h] = 1.0 - np.exp(-k * ratio)

    for r in resting:
        left = rest[r] - hours
        rest[r] = left if left > 0.0 else 0.0
    n_busy = busy.size
    was_active = np.empty(n_busy, dtype=busy.dtype)
    jailed = np.empty(n_busy, dtype=busy.dtype)
    n_was, n_jailed = 0, 0
    for i in busy:
        if state[i] == ACTIVE:
            was_active[n_was] = i
            n_was += 1
        elif state[i] == JAILED:
            jailed[n_jailed] = i
            n_jailed += 1
    drop = np.empty(n_was, dtype=busy.dtype)
    n_drop = 0
    for j in range(n_was):
        if rng.random() < p_drop:
            drop[n_drop] = was_active[j]
            n_drop += 1
    for j in range(n_drop):
        rest[drop[j]] = rest_hours
    still = np.empty(resting.size + n_drop, dtype=resting.dtype)
    n_still = 0
    for r in resting:
        if rest[r] > 0:
            still[n_still] = r
            n_still += 1
    for j in range(n_drop):
        if rest[drop[j]] > 0:
            still[n_still] = drop[j]
            n_still += 1

    for r in resting:  # the mask marks exactly those with rest > 0, as ``still`` lists them
        resting_mask[r] = False
    for j in range(n_still):
        resting_mask[still[j]] = True
    n_active = decide(group_start, unfair, hardship, order, hood, home, threshold,
                      risk_aversion, theta, state, resting_mask, p_hood, visible, crowd,
                      p_crowd, local_crowd, granovetter, active_out, active_district,
                      active_hood, latent_district)
    for j in range(n_was):
        state[was_active[j]] = QUIET
    new_busy = np.empty(n_jailed + n_active, dtype=busy.dtype)
    new_busy[:n_jailed] = jailed[:n_jailed]
    for j in range(n_active):
        state[active_out[j]] = ACTIVE
        new_busy[n_jailed + j] = active_out[j]
    return np.sort(new_busy), still[:n_still].copy(), cops


#: numba's type of a ``numpy.random.Generator`` argument: one type for every Generator.
_GENERATOR_TYPE = numba_typeof(np.random.default_rng(0))


def _type_generators_once(dispatcher: Any) -> None:
    """Let ``dispatcher`` type a Generator argument from the type above.

    numba's dispatcher types arrays and scalars in C, but any other argument through its
    generic Python ``typeof``, which builds a new Generator type on every call: some 25 µs,
    more than the arithmetic of a tick's step. The dispatcher asks its ``typeof_pyval``
    for such arguments, so this instance's is replaced by one that answers the one
    Generator type at once and defers to the generic one for anything else. Were numba to
    stop asking ``typeof_pyval``, calls would still be typed the generic way: slower,
    never wrong (``tests/test_fast_paths.py`` checks the type used).
    """
    generic: Callable[[Any], Any] = dispatcher.typeof_pyval

    def typeof_pyval(val: Any) -> Any:
        return _GENERATOR_TYPE if type(val) is np.random.Generator else generic(val)

    dispatcher.typeof_pyval = typeof_pyval


_type_generators_once(step)


def warm() -> None:
    """Compile (or load from numba's cache) the step now, on a made-up group of one: a
    process that forks workers calls it first, so each worker does not pay for it. The
    argument types are those the engine passes (a test checks no second one appears):
    the citizens' fixed attributes and their group index are read-only arrays."""
    one, none = np.ones(1), np.zeros(1)
    ids, flag = np.zeros(1, dtype=np.intp), np.zeros(1, dtype=bool)
    counts = np.zeros(1, dtype=np.int64)
    start = np.array([0, 1], dtype=np.intp)
    fixed_ids, fixed_one, fixed_none = (_read_only(a) for a in (ids, one, none))
    step(np.random.default_rng(0), ids.copy(), ids.copy(), flag.copy(),
         np.zeros(1, dtype=np.int8), none.copy(), 1.0, 1.0, 0.5, fixed_ids, none, none, 1.0,
         one, one, 1, 1.0, RISK_FUNCTIONS["floor"], _read_only(start), one, fixed_one,
         fixed_ids, fixed_ids, fixed_ids, 0.5, fixed_none, fixed_none, flag, none, none, True,
         np.empty(1, dtype=np.intp), counts, counts.copy(), counts.copy())


def _read_only(a: np.ndarray) -> np.ndarray:
    a = a.copy()
    a.flags.writeable = False
    return a
