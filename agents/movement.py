"""Travel along the district graph: shared by units and crowds."""

from __future__ import annotations

from mesa.discrete_space import Cell, CellAgent
from mesa.discrete_space.cell_agent import HasCell


class Traveller(CellAgent):
    """A CellAgent that moves along a route of district nodes, taking real hours per edge.

    ``model.edge_hours(a, b, speed_kmh)`` gives the time on one edge and
    ``model.route(a, b)`` the shortest path by distance (both from the district graph).
    """

    speed_kmh: float
    route: list[int]
    hours_to_next: float
    # The district node it stands on (or last stood on, once removed): read far more often
    # than it moves, so kept as a plain attribute, set with the cell.
    district: int

    def _init_travel(self, speed_kmh: float) -> None:
        self.speed_kmh = speed_kmh
        self.route = []
        self.hours_to_next = 0.0

    @property
    def cell(self) -> Cell | None:
        return self._mesa_cell

    @cell.setter
    def cell(self, cell: Cell | None) -> None:
        HasCell.cell.fset(self, cell)  # Mesa's own move: the cells' agent lists
        if cell is not None:
            self.district = cell.coordinate

    @property
    def travelling(self) -> bool:
        return bool(self.route)

    @property
    def destination(self) -> int:
        return self.route[-1] if self.route else self.district

    def set_destination(self, node: int) -> float:
        """Plan a route to ``node``; returns the travel time in hours."""
        path = self.model.route(self.district, node)[1:]
        self.route = list(path)
        self.hours_to_next = (
            self.model.edge_hours(self.district, path[0], self.speed_kmh) if path else 0.0
        )
        return self.eta_hours()

    def eta_hours(self) -> float:
        if not self.route:
            return 0.0
        total = self.hours_to_next
        for a, b in zip(self.route, self.route[1:], strict=False):
            total += self.model.edge_hours(a, b, self.speed_kmh)
        return total

    def travel(self, hours: float) -> None:
        """Advance along the route for ``hours``; arrive at nodes as edges are completed."""
        while self.route and hours > 0:
            if hours < self.hours_to_next:
                self.hours_to_next -= hours
                return
            hours -= self.hours_to_next
            nxt = self.route.pop(0)
            self.cell = self.model.space[nxt]
            self.hours_to_next = (
                self.model.edge_hours(nxt, self.route[0], self.speed_kmh) if self.route else 0.0
            )
