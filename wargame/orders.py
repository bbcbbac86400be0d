"""Orders: what a side decides in a turn, in the users' own terms.

A trainee's form, a doctrine and a replayed log all produce the same ``Orders`` value.
Each line is validated on its own against what exists (units, strengths, places, the
rules of Perkap 16/2006 and of TNI assistance); a refused line carries a reason a trainee
understands and never costs the other lines of the turn.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from wargame.scenario import Task


class _Line(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# ----------------------------------------------------------------------------- blue
class Deploy(_Line):
    """Send a unit (or a detachment of it) to a district with a task.

    Pre-emptive tasks: ``engage`` (dialogue with religious and community leaders by
    Bhabinkamtibmas/Binmas/Babinsa), ``counter_hoax`` (cyber patrol), ``intel`` (Intelkam
    focus). Preventive: ``presence`` (KRYD "cooling system" patrol), ``show_of_force``
    (patroli skala besar), ``guard_tps``, ``guard_site``, ``escort`` (ballot logistics),
    ``checkpoint`` (slows crowds moving through the district), ``reserve``.
    """

    order: Literal["deploy"] = "deploy"
    unit: str
    to: str = Field(description="district id")
    task: Task
    site: str | None = Field(None, description="site id, for guard_site")
    personnel: int | None = Field(None, ge=1, description="detach this many; default all")


class Respond(_Line):
    """Commit a unit to an incident. ``mode``: ``ladder`` follows Perkap 16/2006 (the unit
    acts at its own rung: Dalmas Awal at hijau, Dalmas Lanjut at kuning, PHH Brimob at
    merah); ``negotiate`` opens talks with the crowd's field coordinator; ``disperse``
    breaks the crowd up with everything the unit has, whatever the colour."""

    order: Literal["respond"] = "respond"
    unit: str
    incident: int
    mode: Literal["ladder", "negotiate", "disperse"] = "ladder"
    personnel: int | None = Field(None, ge=1)


class Arrest(_Line):
    """Plain-clothes arrest of provocateurs in a district (Reskrim, Intelkam, Brimob)."""

    order: Literal["arrest"] = "arrest"
    unit: str
    district: str


class Reinforce(_Line):
    """Request reinforcement: Brimob BKO from the Polda, or TNI assistance (perbantuan).
    Arrives at ``to`` after the scenario's delay; TNI is capped at 2/3 of Polri strength."""

    order: Literal["reinforce"] = "reinforce"
    source: Literal["brimob", "tni"]
    personnel: int = Field(ge=1)
    to: str


class PeaceDeclaration(_Line):
    """Deklarasi Pilkada Damai in a district, led by Binmas with community and religious
    leaders and both Paslon camps (pre-emptive; once per district per stage)."""

    order: Literal["peace_declaration"] = "peace_declaration"
    district: str


class Gakkumdu(_Line):
    """Sentra Gakkumdu action against money politics in a district (needs Reskrim there)."""

    order: Literal["gakkumdu"] = "gakkumdu"
    district: str


# ----------------------------------------------------------------------------- red
class Hoax(_Line):
    """Seed a hoax / SARA / black-campaign message in a district."""

    order: Literal["hoax"] = "hoax"
    district: str


class Mobilise(_Line):
    """Mobilisers bring a Paslon's supporters onto the street in a district."""

    order: Literal["mobilise"] = "mobilise"
    district: str
    candidate: str | None = Field(None, description="Paslon id; default the losing side")


class Provoke(_Line):
    """Move a provocateur team to a district to agitate crowds there."""

    order: Literal["provoke"] = "provoke"
    team: str
    district: str


# ----------------------------------------------------------------------------- white
class FireInject(_Line):
    """Fire an inject now: one from the scenario's MSEL by id, or from the inject library
    with the facilitator's own district and magnitude."""

    order: Literal["fire_inject"] = "fire_inject"
    inject: str
    district: str | None = None
    magnitude: float | None = None


class HoldInject(_Line):
    """Hold (cancel) a scheduled or triggered inject of the MSEL."""

    order: Literal["hold_inject"] = "hold_inject"
    inject: str


BlueLine = Deploy | Respond | Arrest | Reinforce | PeaceDeclaration | Gakkumdu
RedLine = Hoax | Mobilise | Provoke
WhiteLine = FireInject | HoldInject
Line = Annotated[BlueLine | RedLine | WhiteLine, Field(discriminator="order")]

SIDE_LINES: dict[str, tuple[type, ...]] = {
    "blue": (Deploy, Respond, Arrest, Reinforce, PeaceDeclaration, Gakkumdu),
    "red": (Hoax, Mobilise, Provoke),
    "white": (FireInject, HoldInject),
}


class Orders(_Line):
    """One side's orders for one turn.

    Orders from outside the engine (a form, a replayed log, a user's player) are made
    with ``Orders(...)`` or ``Orders.model_validate(...)``, which check every line. The
    engine's own players assemble theirs with ``engine_orders`` from lines they made,
    each already checked as it was made.
    """

    side: Literal["blue", "red", "white"]
    lines: list[Line] = Field(default_factory=list)


def _assembled[M: BaseModel](cls: type[M], values: dict[str, Any], fields_set: set[str]
                              ) -> M:
    """A ``cls`` holding ``values`` (every field, in order, each already what validating
    it would give), with ``fields_set`` the fields given rather than defaulted.

    This is what pydantic's ``model_construct`` makes of a model like these (no aliases,
    no extra fields, no private attributes, no post-init hook); ``model_construct``
    searches every field for its value and aliases first, which costs more than
    validating. Callers check that their values are what validation would keep as they
    are and validate otherwise."""
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", fields_set)
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


def engine_orders(side: str, lines: list[BlueLine | RedLine | WhiteLine]) -> Orders:
    """``Orders(side=side, lines=lines)`` for ``lines`` the engine itself made, each a line
    model validated as it was made: the same value, without checking each line again
    (holding ``lines`` itself, as ``Orders.model_construct`` would). A side that is not a
    side is still refused, as ``Orders`` refuses it."""
    if side not in SIDE_LINES:
        return Orders(side=side, lines=lines)  # type: ignore[arg-type]  # raises
    return _assembled(Orders, {"side": side, "lines": lines}, {"side", "lines"})


class Verdict(_Line):
    """What became of one order line (made by the referee with ``accepted``/``refused``)."""

    index: int
    accepted: bool
    line: Line
    reason_id: str = ""
    reason_en: str = ""
    eta_hours: float | None = None


# The order lines' own classes: validating a Verdict keeps an instance of one as it is.
_LINE_TYPES = frozenset(t for kinds in SIDE_LINES.values() for t in kinds)


def accepted(index: int, line: BlueLine | RedLine | WhiteLine,
             eta_hours: float | None) -> Verdict:
    """``Verdict(index=index, accepted=True, line=line, eta_hours=eta_hours)``, without
    validating what needs no validating: the referee gives a verdict to every line of
    every side each turn. Anything but an int, an order line and a float or None is
    validated (an int ETA becomes a float, a wrong value is refused), as before."""
    if (type(index) is int and type(line) in _LINE_TYPES
            and (eta_hours is None or type(eta_hours) is float)):
        return _assembled(Verdict, {"index": index, "accepted": True, "line": line,
                                    "reason_id": "", "reason_en": "", "eta_hours": eta_hours},
                          {"index", "accepted", "line", "eta_hours"})
    return Verdict(index=index, accepted=True, line=line, eta_hours=eta_hours)


def refused(index: int, line: BlueLine | RedLine | WhiteLine, reason_id: str,
            reason_en: str) -> Verdict:
    """``Verdict(index=index, accepted=False, line=line, reason_id=reason_id,
    reason_en=reason_en)``, validated only where the values are not already an int, an
    order line and two strings (see ``accepted``)."""
    if (type(index) is int and type(line) in _LINE_TYPES
            and type(reason_id) is str and type(reason_en) is str):
        return _assembled(Verdict, {"index": index, "accepted": False, "line": line,
                                    "reason_id": reason_id, "reason_en": reason_en,
                                    "eta_hours": None},
                          {"index", "accepted", "line", "reason_id", "reason_en"})
    return Verdict(index=index, accepted=False, line=line, reason_id=reason_id,
                   reason_en=reason_en)


def describe(line: BaseModel) -> str:
    """One readable line for reports: 'deploy unit=samapta-1, to=muncar, task=guard_tps'."""
    return describe_fields(line.model_dump())


def line_fields(line: BlueLine | RedLine | WhiteLine) -> dict[str, Any]:
    """``line.model_dump()`` of an order line: its fields by name, in order, as they are.

    Every order line is flat (no field holds another model, no field is serialised in a
    way of its own), so its dump is a copy of its fields; the referee dumps every line it
    logs, and the copy costs a fraction of a dump."""
    return dict(line.__dict__)


def describe_fields(fields: Mapping[str, Any]) -> str:
    """``describe`` of a line given as its ``model_dump()``, for the referee, which logs
    that dump with every line anyway (dumping costs more than the text)."""
    return fields["order"] + " " + ", ".join([f"{k}={v}" for k, v in fields.items()
                                              if k != "order" and v is not None])
