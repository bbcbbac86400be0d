"""The Solara app: routes to the lobby, the consoles and the policy lab.

Run with ``viz.server.serve()`` (``wargame serve``). Paths: ``/`` lobby, ``/lab``,
``/facilitator/<code>``, ``/team/<code>``, ``/observer/<code>``; the code is the role's
join code, which is all that grants a role.
"""

from __future__ import annotations

import solara

from viz.facilitator import FacilitatorPage
from viz.hub import get_hub
from viz.lab import LabPage
from viz.layout import Layout
from viz.lobby import LobbyPage
from viz.observer import ObserverPage
from viz.team import TeamPage

get_hub()  # open the store and replay every saved exercise when the server starts

routes = [
    solara.Route("/", component=LobbyPage, layout=Layout),
    solara.Route("facilitator", component=FacilitatorPage),
    solara.Route("team", component=TeamPage),
    solara.Route("observer", component=ObserverPage),
    solara.Route("lab", component=LabPage),
]
