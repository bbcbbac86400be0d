"""Red cell players: the forces of disorder's AI, working from red's own view.

``opportunist`` (the default) pushes where it pays: hoaxes where SARA messaging bites and
the race is close; mobilisation of the losing side's most aggrieved supporters where the
police are thinnest once the result is known; provocateur teams to the places where crowds
gather (the protest target in the recapitulation stages, otherwise the hottest districts
with the fewest uniformed police). ``agitator`` only spreads hoaxes and moves teams, never
mobilises. A person can play red through the same protocol instead.
"""

from __future__ import annotations

from typing import Any

from wargame.orders import Hoax, Mobilise, Orders, Provoke, engine_orders


class Opportunist:
    """Scripted-adaptive red AI: adapts to the police it can see and to the result."""

    mobilise = True

    def __init__(self, side: str = "red") -> None:
        self.side = side

    def decide(self, view: dict[str, Any]) -> Orders:
        lines: list[Any] = []
        police = {p["district"]: p["personnel"] for p in view["police_visible"]}
        dist = {d["id"]: d for d in view["districts"]}
        result = view.get("result")
        loser = result["loser"] if result else None
        # Supporters' grievance and how close the race is, per district.
        grievance: dict[str, float] = {}
        shares: dict[str, list[float]] = {}
        for s in view["supporters"]:
            shares.setdefault(s["district"], []).append(s["share"])
            if loser is None or s["candidate"] == loser:
                grievance[s["district"]] = max(grievance.get(s["district"], 0.0),
                                               s["grievance"])
        close = {d: 1.0 - (max(v) - min(v)) for d, v in shares.items()}

        def heat(d: str) -> float:
            """Where pushing pays: aggrieved, close, exposed, and few police to see it."""
            per_10k = police.get(d, 0) / max(dist[d]["population"] / 1e4, 1e-9)
            return (grievance.get(d, 0.0) + 0.05) * (0.5 + close[d]) \
                * (0.5 + dist[d]["sara_exposure"]) / (1.0 + per_10k)

        ranked = sorted(dist, key=lambda d: (-heat(d), d))
        for d in ranked[: view["means"]["hoax_per_turn"]]:
            lines.append(Hoax(district=d))
        if self.mobilise and result is not None:
            for d in ranked[: view["means"]["mobilise_per_turn"]]:
                lines.append(Mobilise(district=d, candidate=loser))
        # Teams: to the protest target when a crowd can gather there, else spread over the
        # hottest districts; a team already there stays.
        targets = []
        if view["stage"]["result_known"]:
            kpu = [s["district"] for s in view["sites"] if s["kind"] == "kpu_office"]
            targets += kpu
        hot_incidents = [i["district"] for i in view["incidents"] if i["open"]]
        targets += hot_incidents + ranked
        free = [t for t in view["teams"] if not t["arrested"]]
        for team, d in zip(free, targets, strict=False):
            if team["destination"] != d or not team["active"]:
                lines.append(Provoke(team=team["id"], district=d))
        # Every line was validated as it was made: not checked again line by line.
        return engine_orders(self.side, lines)


class Agitator(Opportunist):
    """Hoaxes and provocateurs only: no mobilisation drives."""

    mobilise = False


RED_PLAYERS = {"opportunist": Opportunist, "agitator": Agitator}
