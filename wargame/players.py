"""Players: anything that turns a side's view into that side's orders.

A player is an object with ``decide(view) -> Orders``. Bundled blue doctrines are rule
files in ``doctrines/`` (``reactive``, ``preventive``, ``preemptive``, ``repressive``), red
AIs are named in ``RED_PLAYERS``. Users add their own by import path (``pkg.mod:Name``,
a class taking the side, or a function ``view -> Orders``) or by a rule file path.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from wargame.orders import Orders


@runtime_checkable
class Player(Protocol):
    def decide(self, view: dict[str, Any]) -> Orders: ...


class FunctionPlayer:
    """Wraps a plain function ``view -> Orders`` as a player."""

    def __init__(self, fn: Callable[[dict[str, Any]], Orders]) -> None:
        self.fn = fn

    def decide(self, view: dict[str, Any]) -> Orders:
        return self.fn(view)


class HoldPosture:
    """Issues no orders: the side holds the scenario's initial posture."""

    def __init__(self, side: str) -> None:
        self.side = side

    def decide(self, view: dict[str, Any]) -> Orders:
        return Orders(side=self.side)


def doctrine_dir() -> Path:
    return Path(str(resources.files("doctrines")))


def doctrine_names() -> list[str]:
    return sorted(p.stem for p in doctrine_dir().glob("*.toml"))


def red_names() -> list[str]:
    from wargame.redcell import RED_PLAYERS

    return sorted(RED_PLAYERS)


def bundled_player(name: str | None, side: str) -> Player | None:
    """A player by a bundled name only: ``none``, ``hold``, a bundled doctrine (blue) or a
    bundled red AI (red). Anything else is refused.

    This is the loader for values that come from a browser or from a store a browser wrote
    to: a name is looked up in the bundled lists and never reaches an import or a file path
    (a client can send any value over the websocket, whatever the widget offered).
    """
    if name is None or name == "none":
        return None
    if name == "hold":
        return HoldPosture(side)
    if side == "blue" and name in doctrine_names():
        from wargame.doctrine import RuleDoctrine

        return RuleDoctrine.from_file(doctrine_dir() / f"{name}.toml")
    if side == "red" and name in red_names():
        from wargame.redcell import RED_PLAYERS

        return RED_PLAYERS[name]()
    if side not in ("blue", "red"):
        raise ValueError(f"side {side!r} takes no player")
    known = doctrine_names() if side == "blue" else red_names()
    raise ValueError(f"unknown {side} player {name!r} (bundled: {', '.join(known)}, none)")


def load_player(spec: str | None, side: str) -> Player | None:
    """A player from a bundled name, a rule-file path or an import path (``pkg.mod:Obj``).

    ``None``/"none" means no player: the side holds its posture unless a person submits.
    Paths and import paths are for the command line and the Python API only; the UI uses
    :func:`bundled_player`.
    """
    if spec is None or spec == "none":
        return None
    if spec == "hold":
        return HoldPosture(side)
    if ":" in spec and not Path(spec).exists():
        mod_name, _, attr = spec.partition(":")
        obj = getattr(importlib.import_module(mod_name), attr)
        if isinstance(obj, type):
            return obj(side)
        return obj if isinstance(obj, Player) else FunctionPlayer(obj)
    if side == "blue":
        from wargame.doctrine import RuleDoctrine

        path = Path(spec)
        if path.suffix != ".toml":
            path = doctrine_dir() / f"{spec}.toml"
            if not path.exists():
                raise ValueError(f"unknown doctrine '{spec}' (bundled: "
                                 f"{', '.join(doctrine_names())}; or a .toml path or "
                                 "pkg.module:Name)")
        return RuleDoctrine.from_file(path)
    if side == "red":
        from wargame.redcell import RED_PLAYERS

        if spec not in RED_PLAYERS:
            raise ValueError(f"unknown red player '{spec}' (bundled: "
                             f"{', '.join(sorted(RED_PLAYERS))}, none; or pkg.module:Name)")
        return RED_PLAYERS[spec]()
    raise ValueError(f"side {side!r} takes no player")
