"""The masses: every synthetic citizen as a row across numpy arrays (structure of arrays).

One synthetic citizen stands for ``scale`` residents (default 100; 1 means one per
resident). Citizens live in a neighbourhood (desa/kelurahan) of their district; that is
their Epstein "vision". They are never created or destroyed after initialisation:
``state`` moves them between quiet, active and jailed.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from wargame.scenario import Scenario

QUIET, ACTIVE, JAILED = 0, 1, 2

# What a citizen is (fixed for a run; read-only, so models may share them) and what
# happens to them (each model's own).
FIXED = ("district", "hood", "hardship", "risk_aversion", "threshold", "affiliation",
         "hood_district")
MUTABLE = ("state", "jail_hours", "rest_hours")


@dataclass
class Population:
    # Index arrays are intp (the platform's index type), so that the engine's per-tick
    # gathers through them need no conversion.
    district: np.ndarray  # intp, home district index
    hood: np.ndarray  # intp, global neighbourhood (village) index
    hardship: np.ndarray  # H ~ Beta with the district's mean (U(0,1) at 0.5)
    risk_aversion: np.ndarray  # R ~ U(0,1)
    threshold: np.ndarray  # Granovetter threshold, a share of neighbours
    affiliation: np.ndarray  # int8: -1 none, else candidate index
    state: np.ndarray  # int8: QUIET, ACTIVE, JAILED
    jail_hours: np.ndarray  # hours of detention left
    rest_hours: np.ndarray  # hours a dropped-out citizen stays home
    hood_district: np.ndarray  # intp, district of each neighbourhood
    scale: int

    @property
    def size(self) -> int:
        return int(self.state.size)

    def counts_by_district(self, n_districts: int, mask: np.ndarray | None = None) -> np.ndarray:
        d = self.district if mask is None else self.district[mask]
        return np.bincount(d, minlength=n_districts)

    def counts_by_hood(self, mask: np.ndarray | None = None) -> np.ndarray:
        h = self.hood if mask is None else self.hood[mask]
        return np.bincount(h, minlength=self.hood_district.size)


def synthesise(scenario: Scenario, rng: np.random.Generator,
               scale: int | None = None) -> Population:
    """Draw the synthetic population of a scenario from the model's generator."""
    p = scenario.params
    scale = scale or p.population.scale
    n_per = np.array([max(1, round(d.population / scale)) for d in scenario.districts])
    district = np.repeat(np.arange(len(n_per), dtype=np.intp), n_per)
    n = int(n_per.sum())

    # Neighbourhoods: the district's villages, citizens spread evenly and shuffled.
    villages = np.array([d.villages for d in scenario.districts])
    first_hood = np.concatenate([[0], np.cumsum(villages)[:-1]])
    hood = np.empty(n, dtype=np.intp)
    start = 0
    for i, m in enumerate(n_per):
        local = np.arange(m) % villages[i]
        rng.shuffle(local)
        hood[start:start + m] = first_hood[i] + local
        start += m
    hood_district = np.repeat(np.arange(len(villages), dtype=np.intp), villages)

    # Hardship: Beta(2m, 2(1-m)) has mean m and is U(0,1) for m = 0.5 (Epstein's H).
    m = np.array([d.hardship for d in scenario.districts])[district]
    m = np.clip(m, 0.01, 0.99)
    hardship = rng.beta(2 * m, 2 * (1 - m))
    risk_aversion = rng.random(n)
    a = p.activation
    threshold = a.threshold_mean + a.threshold_sd * rng.standard_normal(n)

    # Affiliation: a partisan share supports a Paslon, in proportion to local support.
    shares = np.array([[c.support.get(d.id, 0.0) for d in scenario.districts]
                       for c in scenario.candidates])  # (candidates, districts)
    cum = np.cumsum(shares, axis=0)[:, district]  # (candidates, n)
    u = rng.random(n)
    pick = (u[None, :] > cum).sum(axis=0)
    partisan = rng.random(n) < p.population.partisan_share
    affiliation = np.where(partisan, np.minimum(pick, len(scenario.candidates) - 1), -1)

    return Population(
        district=district,
        hood=hood,
        hardship=hardship,
        risk_aversion=risk_aversion,
        threshold=threshold,
        affiliation=affiliation.astype(np.int8),
        state=np.zeros(n, dtype=np.int8),
        jail_hours=np.zeros(n),
        rest_hours=np.zeros(n),
        hood_district=hood_district,
        scale=scale,
    )


@dataclass(frozen=True)
class Groups:
    """The citizens indexed by their (affiliation + 1, district) group, fixed for a run.

    Everyone in a group perceives the same legitimacy L, so G = H · (1 − L) exceeds the
    threshold T exactly for the group's first citizens when they are stored group by group,
    hardship descending: ``wargame.citizens.decide`` walks each group from its start until
    G ≤ T. Only those can be active or latent; each tick evaluates them and no one else.
    """

    key: np.ndarray  # each citizen's group: (affiliation + 1) · districts + district
    order: np.ndarray  # the citizens group by group, hardship descending
    start: np.ndarray  # where each group begins in ``order`` (and, last, where it ends)
    mean_hardship: np.ndarray  # per group
    # The members' attributes in ``order``, so a group's first citizens are a slice and
    # the compiled pass reads them in sequence.
    sorted: dict[str, np.ndarray]


SORTED = ("hardship", "hood", "district", "risk_aversion", "threshold")


def index_groups(pop: Population, n_districts: int, n_candidates: int) -> Groups:
    """The group index of ``pop`` (see ``Groups``)."""
    key = (pop.affiliation.astype(np.intp) + 1) * n_districts + pop.district
    n_groups = (n_candidates + 1) * n_districts
    order = np.lexsort((-pop.hardship, key))
    start = np.searchsorted(key[order], np.arange(n_groups + 1))
    count = np.bincount(key, minlength=n_groups)
    mean = np.bincount(key, weights=pop.hardship, minlength=n_groups) / np.maximum(count, 1)
    groups = Groups(key, order, start, mean, {name: getattr(pop, name)[order]
                                              for name in SORTED})
    for a in (key, order, start, mean, *groups.sorted.values()):
        a.flags.writeable = False
    return groups


# The populations of recent models, for the next model of the same scenario, scale and
# population stream (see ``populate``): at most _MEMO_ENTRIES of them and, beyond the
# newest, _MEMO_CITIZENS citizens in all (a 1:1 regency's is some 170 MB).
_MEMO: OrderedDict[tuple, tuple[Scenario, Population, Groups, dict[str, Any]]] = OrderedDict()
_MEMO_LOCK = threading.Lock()
_MEMO_ENTRIES = 8
_MEMO_CITIZENS = 2_000_000


def _frozen(state: Any) -> Any:
    """A bit generator's state as a hashable key."""
    if isinstance(state, dict):
        return tuple((k, _frozen(v)) for k, v in sorted(state.items()))
    if isinstance(state, np.ndarray):
        return (state.dtype.str, state.tobytes())
    return state


def populate(scenario: Scenario, rng: np.random.Generator,
             scale: int | None = None) -> tuple[Population, Groups]:
    """``synthesise(scenario, rng, scale)`` and its ``index_groups``, drawn once for every
    model of the same scenario, scale and population stream.

    Compared doctrines run the same replication with the same seeds (common random
    numbers), so each would draw the very same citizens and sort them the same way: some
    12 ms of a 0.2 s run. The draws are made once and kept; a later model with the same
    (frozen) scenario object, scale and generator state gets the same citizens — their
    fixed attributes shared read-only, their state, detention and rest its own, as drawn —
    and ``rng`` is left exactly where drawing them would have left it.
    """
    key = (id(scenario), scale, _frozen(rng.bit_generator.state))
    with _MEMO_LOCK:
        kept = _MEMO.get(key)
        if kept is not None and kept[0] is scenario:
            _MEMO.move_to_end(key)
    if kept is None or kept[0] is not scenario:
        pop = synthesise(scenario, rng, scale)
        for name in FIXED:
            getattr(pop, name).flags.writeable = False
        groups = index_groups(pop, len(scenario.districts), len(scenario.candidates))
        kept = (scenario, pop, groups, rng.bit_generator.state)
        with _MEMO_LOCK:
            _MEMO[key] = kept
            while len(_MEMO) > 1 and (len(_MEMO) > _MEMO_ENTRIES or sum(
                    e[1].size for e in _MEMO.values()) > _MEMO_CITIZENS):
                _MEMO.popitem(last=False)
    else:
        rng.bit_generator.state = kept[3]
    template = kept[1]
    own = {name: getattr(template, name).copy() for name in MUTABLE}
    return dataclasses.replace(template, **own), kept[2]
