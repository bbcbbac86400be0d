"""Election-security wargame engine: the Python API.

>>> from wargame import load_scenario, WargameModel
>>> model = WargameModel(load_scenario("tutorial"), seed=1)
>>> outcomes = model.run()
>>> sorted(outcomes)[:3]
['arrests', 'district_turns_red', 'incidents_kuning']
"""

from wargame.catalog import load as load_scenario
from wargame.model import WargameModel
from wargame.runner import run_scenario
from wargame.scenario import Scenario, ScenarioError

__all__ = ["Scenario", "ScenarioError", "WargameModel", "load_scenario", "run_scenario"]
