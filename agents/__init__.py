"""Mesa agents: the actors that decide. The masses live in numpy arrays (wargame.population).

Dependencies point one way: wargame -> agents -> mesa. Agents receive what they need from
the model through a small interface (the model's rng, graph paths and per-district fields)
and hold no scenario parsing or UI logic.
"""

from agents.crowds import Crowd
from agents.groups import SupporterGroup
from agents.red import ProvocateurTeam
from agents.sites import ElectionSite, TpsCluster
from agents.units import LinmasUnit, PoliceUnit, SecurityUnit, TniUnit

__all__ = [
    "Crowd",
    "ElectionSite",
    "LinmasUnit",
    "PoliceUnit",
    "ProvocateurTeam",
    "SecurityUnit",
    "SupporterGroup",
    "TniUnit",
    "TpsCluster",
]
