"""Players for the batch tests, loaded by import path (``tests.helpers_batch:Boom``)."""

from __future__ import annotations

from typing import Any

from wargame.orders import Orders


class Boom:
    """A blue player that loads fine but fails at run time, on its first decision."""

    def __init__(self, side: str) -> None:
        self.side = side

    def decide(self, view: dict[str, Any]) -> Orders:
        raise RuntimeError("boom: this doctrine always fails")
