"""Small custom players for the tests, loaded by import path (``tests.helpers_players:X``)."""

from __future__ import annotations

from typing import Any

from wargame.orders import Deploy, Hoax, Orders
from wargame.scenario import Task


class SamaptaToBarat:
    """A blue player class (constructed with its side): Samapta patrols Sukamaju Barat."""

    def __init__(self, side: str) -> None:
        self.side = side
        self.views: list[dict[str, Any]] = []

    def decide(self, view: dict[str, Any]) -> Orders:
        self.views.append(view)
        lines = []
        if view["turn"] == 0:
            lines.append(Deploy(unit="samapta", to="barat", task=Task.PRESENCE))
        return Orders(side=self.side, lines=lines)


def hoax_in_barat(view: dict[str, Any]) -> Orders:
    """A red player as a plain function: one hoax in Barat every turn."""
    return Orders(side="red", lines=[Hoax(district="barat")])


class _Recorder:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def decide(self, view: dict[str, Any]) -> Orders:
        self.seen.append(view["side"])
        return Orders(side=view["side"])


RECORDER = _Recorder()  # an object that already is a player
