"""The model's dynamics as pure functions of arrays: each one is a cited mechanism.

They hold no state and draw no random numbers unless given a Generator, so each can be
checked against a hand-computed case (tests/test_dynamics.py) and read beside its paper.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

RiskFunction = Literal["floor", "round", "continuous"]


def clip01(x: ArrayLike) -> NDArray[np.float64]:
    """``np.clip(x, 0, 1)`` for the small per-district arrays clipped many times a tick,
    without ``np.clip``'s Python-level dispatch (the same values).

    >>> clip01([-0.5, 0.25, 2.0]).tolist()
    [0.0, 0.25, 1.0]
    """
    return np.minimum(np.maximum(x, 0.0), 1.0)


def grievance(hardship: ArrayLike, legitimacy: ArrayLike) -> NDArray[np.float64]:
    """Epstein (2002): grievance G = H · (1 − L).

    >>> float(grievance(0.5, 0.8))
    0.09999999999999998
    """
    return np.asarray(hardship, dtype=float) * (1.0 - np.asarray(legitimacy, dtype=float))


def arrest_probability(
    cops: ArrayLike, actives: ArrayLike, k: float = 2.3, risk_function: RiskFunction = "floor"
) -> NDArray[np.float64]:
    """Epstein (2002): estimated arrest probability P = 1 − exp(−k · f(C/A)).

    ``actives`` counts the citizen itself (A ≥ 1). ``risk_function`` is the documented
    switch between the NetLogo *Rebellion* ``floor`` (Wilensky 2004), Mesa's ``round``
    (PR #2429) and the literal ``continuous`` ratio (Thron & Jackson 2015).

    >>> arrest_probability([1, 0, 2], [1, 1, 3]).round(4).tolist()
    [0.8997, 0.0, 0.0]
    """
    ratio = np.asarray(cops, dtype=float) / np.maximum(np.asarray(actives, dtype=float), 1.0)
    if risk_function == "floor":
        ratio = np.floor(ratio)
    elif risk_function == "round":
        ratio = np.round(ratio)
    elif risk_function != "continuous":
        raise ValueError(f"unknown risk function {risk_function!r}")
    return 1.0 - np.exp(-k * ratio)


def wants_active(
    grievance_: ArrayLike, risk_aversion: ArrayLike, p_arrest: ArrayLike, threshold: float
) -> NDArray[np.bool_]:
    """Epstein's agent rule A: active iff G − R·P > T (net risk N = R·P, α = 0)."""
    g = np.asarray(grievance_, dtype=float)
    risk = np.asarray(risk_aversion, dtype=float) * np.asarray(p_arrest, dtype=float)
    return g - risk > threshold


def granovetter_final(thresholds: ArrayLike, max_rounds: int = 10_000) -> int:
    """Granovetter (1978): iterate r(t+1) = #{i : θ_i ≤ r(t)} from r(0) = 0 to its fixed point.

    Thresholds are *counts* of others already participating. Returns the final count.

    >>> granovetter_final(range(100))
    100
    >>> granovetter_final([0, 2] + list(range(2, 100)))
    1
    """
    theta = np.sort(np.asarray(thresholds, dtype=float))
    r = 0
    for _ in range(max_rounds):
        nxt = int(np.searchsorted(theta, r, side="right"))
        if nxt == r:
            return r
        r = nxt
    return r


def joins_by_threshold(local_share: ArrayLike, threshold_share: ArrayLike) -> NDArray[np.bool_]:
    """Granovetter's rule in shares: join iff the share of others participating ≥ θ_i."""
    return np.asarray(local_share, dtype=float) >= np.asarray(threshold_share, dtype=float)


def row_normalised(adjacency: sp.spmatrix | sp.sparray | NDArray) -> sp.csr_array:
    """Row-normalise a (weighted, non-negative) adjacency matrix; isolated rows stay zero.

    The result stores no zeros, so a row holds entries exactly when the node has
    neighbours (``diffuse`` relies on it)."""
    a = sp.csr_array(adjacency, dtype=float)
    deg = np.asarray(a.sum(axis=1)).ravel()
    inv = np.divide(1.0, deg, out=np.zeros_like(deg), where=deg > 0)
    w = sp.csr_array(sp.diags_array(inv) @ a)
    w.eliminate_zeros()
    return w


def diffuse(values: ArrayLike, w: sp.csr_array, rate: float) -> NDArray[np.float64]:
    """One step of graph diffusion: x ← x + rate · (W x − x), W row-normalised (as
    ``row_normalised`` makes it: a CSR matrix that stores no zeros).

    Conserves nothing by design (rumours are not a conserved quantity); keeps values in
    their convex hull for 0 ≤ rate ≤ 1.

    >>> import scipy.sparse as sp
    >>> w = row_normalised(sp.csr_matrix([[0, 1], [1, 0]]))
    >>> diffuse([1.0, 0.0], w, 0.5).tolist()
    [0.5, 0.5]
    """
    x = np.asarray(values, dtype=float)
    connected = np.diff(w.indptr) > 0  # an isolated node (an empty row) keeps its value
    return x + rate * np.where(connected, w @ x - x, 0.0)


def per_day(rate_per_day: ArrayLike, hours: float) -> NDArray[np.float64]:
    """Turn a rate per day into the probability of at least one event in ``hours``."""
    return 1.0 - np.exp(-np.asarray(rate_per_day, dtype=float) * hours / 24.0)


def rumour_step(
    rumour: NDArray[np.float64],
    w: sp.csr_array,
    hours: float,
    diffusion: float,
    decay: float,
    damping: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Rumour load per district: spreads along edges, decays, and is damped by counter-hoax.

    Bhavnani, Findley & Kuklinski (2009): rumours spread through contact and die out without
    reinforcement; ``damping`` is the per-day removal from counter-hoax work per district.
    """
    days = hours / 24.0
    x = diffuse(rumour, w, min(1.0, diffusion * days))
    x *= np.exp(-(decay + damping) * days)
    return clip01(x)


def polarisation(shares: NDArray[np.float64]) -> NDArray[np.float64]:
    """How evenly split a district is: 1 − (top share − runner-up share), in [0, 1].

    ``shares`` has one row per candidate, one column per district. An evenly split
    district is a Polri "TPS rawan" marker (domain brief §4).

    >>> polarisation(np.array([[0.5, 0.8], [0.5, 0.2]])).tolist()
    [1.0, 0.3999999999999999]
    """
    s = np.sort(shares, axis=0)
    return 1.0 - (s[-1] - s[-2])


def perceived_legitimacy(
    police: NDArray[np.float64],
    election: NDArray[np.float64],
    election_weight: float,
) -> NDArray[np.float64]:
    """Perceived legitimacy L as a weighted mean of police and election-body legitimacy."""
    return (1.0 - election_weight) * police + election_weight * election


def partisan_legitimacy(
    base: NDArray[np.float64],
    rumour: NDArray[np.float64],
    sara: NDArray[np.float64],
    polar: NDArray[np.float64],
    rumour_weight: float,
    polar_weight: float,
    contested: bool,
) -> NDArray[np.float64]:
    """Legitimacy as a supporter perceives it: lowered by hoaxes (more where SARA messaging
    bites) and, in contested stages, by an evenly split race."""
    l_eff = base * (1.0 - rumour_weight * rumour * (0.5 + sara))
    if contested:
        l_eff = l_eff * (1.0 - polar_weight * polar)
    return clip01(l_eff)


def recovery_share(coverage: NDArray[np.float64], rate_per_day: float,
                   hours: float) -> NDArray[np.float64]:
    """The share of the gap to its initial level that legitimacy recovers in ``hours``
    where engagement covers ``coverage`` of the community (0 where nobody engages)."""
    return 1.0 - np.exp(-rate_per_day * clip01(coverage) * hours / 24)


def engagement_recovery(
    legitimacy: NDArray[np.float64],
    initial: NDArray[np.float64],
    share: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Legitimacy recovers toward (never above) its initial level by ``share`` of the gap
    (``recovery_share``). No engagement, no recovery: the ratchet of Lemos et al. (2016).

    >>> engagement_recovery(np.array([0.4, 0.8]), np.array([0.6, 0.6]),
    ...                     np.array([0.5, 0.5])).tolist()
    [0.5, 0.8]
    """
    gap = np.maximum(initial - legitimacy, 0.0)
    return legitimacy + gap * share


def escalation_step(
    level: int,
    force_ratio: float,
    hours_controlled: float,
    hours: float,
    escalation_hours: tuple[float, float],
    control_hours: float,
    u: float,
    hazard_factor: float = 1.0,
) -> tuple[int, float]:
    """Perkap 16/2006 colour ladder: hijau (0) → kuning (1) → merah (2).

    ``force_ratio`` is the control power on the spot that may act at this level, divided by
    what the crowd's size calls for at this level (Davies et al. 2013: the police-to-rioter
    ratio). At ≥ 1 the force is sufficient and the incident calms one level after
    ``control_hours`` of control (−1 means resolved). Below 1 it escalates with hazard
    (1 − ratio) / escalation_hours[level]: the weaker the response, the faster it climbs.
    ``hazard_factor`` scales the escalation hazard (provocateurs raise it, negotiation
    lowers it). ``u`` is a uniform draw. Returns (new level, hours controlled so far).

    >>> escalation_step(0, 1.2, 1.5, 1.0, (3.0, 2.0), 2.0, 0.5)
    (-1, 0.0)
    >>> escalation_step(1, 0.0, 0.0, 2.0, (3.0, 2.0), 2.0, 0.1)
    (2, 0.0)
    >>> escalation_step(1, 0.9, 0.0, 2.0, (3.0, 2.0), 2.0, 0.5)
    (1, 0.0)
    """
    if force_ratio >= 1.0:
        hours_controlled += hours
        if hours_controlled >= control_hours:
            return level - 1, 0.0
        return level, hours_controlled
    if level >= 2:
        return level, 0.0
    deficit = 1.0 - max(force_ratio, 0.0)
    hazard = hours * deficit * hazard_factor / escalation_hours[level]
    if u < 1.0 - np.exp(-hazard):
        return level + 1, 0.0
    return level, 0.0


def stochastic_round(x: ArrayLike, rng: np.random.Generator) -> NDArray[np.int64]:
    """Round to an integer with the fractional part as probability (unbiased)."""
    x = np.asarray(x, dtype=float)
    base = np.floor(x)
    return (base + (rng.random(x.shape) < x - base)).astype(np.int64)
