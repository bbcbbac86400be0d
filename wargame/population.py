"""The masses: every synthetic citizen as a row across numpy arrays (structure of arrays).

One synthetic citizen stands for ``scale`` residents (default 100; 1 means one per
resident). Citizens live in a neighbourhood (desa/kelurahan) of their district; that is
their Epstein "vision". They are never created or destroyed after initialisation:
``state`` moves them between quiet, active and jailed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wargame.scenario import Scenario

QUIET, ACTIVE, JAILED = 0, 1, 2


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
