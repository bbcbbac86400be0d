"""Scenario format: the typed, validated, immutable description of one exercise area.

A scenario is human-written data (TOML). It is loaded in two passes so that every
problem can be reported with the file, the field path and what is wrong:

1. *structure* — pydantic checks types, ranges and unknown fields;
2. *references* — cross-checks that pydantic cannot express field by field
   (an edge naming an unknown district, support shares not summing to 1, …).

Every uncertain figure of the domain brief ([A]/[I]) lives here as a parameter with a
documented default, never as a constant in the engine.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

Share = Annotated[float, Field(ge=0.0, le=1.0)]
Positive = Annotated[float, Field(gt=0.0)]
NonNeg = Annotated[float, Field(ge=0.0)]
Ident = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------


class UnitKind(StrEnum):
    """Kinds of security unit, in the users' own terms (Polri, TNI, local government)."""

    POLSEK = "polsek"  # Kepolisian Sektor: sector police station, one per kecamatan
    SAMAPTA = "samapta"  # Sat Samapta (ex-Sabhara): patrols, escorts, TPS guards, Dalmas Awal
    DALMAS = "dalmas"  # Pengendalian Massa platoon equipped for Dalmas Lanjut
    BRIMOB = "brimob"  # Brigade Mobil: PHH (riot control) and reserves
    INTELKAM = "intelkam"  # Sat Intelkam: intelligence and vulnerability mapping
    BINMAS = "binmas"  # Sat Binmas: community outreach, FKUB, peace declarations
    BHABINKAMTIBMAS = "bhabinkamtibmas"  # village community-policing officers
    SATLANTAS = "satlantas"  # traffic police: convoys, escorts
    RESKRIM = "reskrim"  # criminal investigation: arrests, Gakkumdu
    POLAIRUD = "polairud"  # water police (Bali Strait)
    CYBER = "cyber"  # cyber patrol / Humas counter-hoax team
    KORAMIL = "koramil"  # TNI-AD sub-district military command
    BABINSA = "babinsa"  # TNI village NCOs
    KODIM = "kodim"  # TNI-AD district command reserve (BKO to Polri)
    LANAL = "lanal"  # TNI-AL naval base
    LINMAS = "linmas"  # civil-defence volunteers, unarmed, 2 per TPS
    NEGOTIATOR = "negotiator"  # negotiator team (e.g. a Polwan platoon)
    WATER_CANNON = "water_cannon"  # AWC water-cannon vehicle crews (Dalmas Lanjut support)
    DAMKAR = "damkar"  # fire brigade (local government)
    MEDIC = "medic"  # ambulances and medical teams


# Local-government services: neither Polri nor TNI (not scaled with the joint force, not
# counted for the TNI 2/3 cap).
CIVIL_KINDS = frozenset({UnitKind.LINMAS, UnitKind.DAMKAR, UnitKind.MEDIC})


class Task(StrEnum):
    """What a unit is doing. Orders change a unit's task and place."""

    PRESENCE = "presence"  # patrol / visible presence (KRYD "cooling system" patrols)
    GUARD_TPS = "guard_tps"  # guarding polling stations
    GUARD_SITE = "guard_site"  # guarding KPU / PPK / Bawaslu / warehouse
    ENGAGE = "engage"  # dialogue with community and religious leaders
    INTEL = "intel"  # early detection, vulnerability mapping
    COUNTER_HOAX = "counter_hoax"  # cyber patrol, counter-narratives
    RESERVE = "reserve"  # held back, ready to respond
    RESPOND = "respond"  # committed to an incident, acting on the Perkap 16/2006 ladder
    SHOW_OF_FORCE = "show_of_force"  # patroli skala besar: large, visible patrol
    ESCORT = "escort"  # escorting ballot logistics and candidates
    CHECKPOINT = "checkpoint"  # road checks that slow crowds moving through a district
    NEGOTIATE = "negotiate"  # negotiator talks with the crowd's field coordinator (korlap)
    DISPERSE = "disperse"  # early dispersal with everything the unit has
    ARREST = "arrest"  # plain-clothes arrests of provocateurs


class SiteKind(StrEnum):
    KPU_OFFICE = "kpu_office"  # Komisi Pemilihan Umum, regency election commission
    BAWASLU = "bawaslu"  # election supervisory body
    PPK = "ppk"  # Panitia Pemilihan Kecamatan: sub-district recap committee
    WAREHOUSE = "warehouse"  # KPU logistics warehouse
    POLICE_HQ = "police_hq"  # Mapolresta / Mapolres
    PENDOPO = "pendopo"  # regent's hall
    PORT = "port"  # ferry port


class EventType(StrEnum):
    """Threat events drawn from a stage's threat profile."""

    RALLY = "rally"  # campaign rally or convoy that can clash with rivals
    HOAX = "hoax"  # hoax / SARA / black campaign seeded online
    MONEY_POLITICS = "money_politics"  # vote buying ("serangan fajar")
    TPS_DISRUPTION = "tps_disruption"  # scuffle or sabotage at a polling station
    PROTEST = "protest"  # mass protest at an election office


# ---------------------------------------------------------------------------
# Geography and actors
# ---------------------------------------------------------------------------


class TpsCounts(_Frozen):
    """TPS (polling stations) by vulnerability class (Polri / Bawaslu usage)."""

    kurang_rawan: int = Field(ge=0, description="less vulnerable TPS")
    rawan: int = Field(0, ge=0, description="vulnerable TPS")
    sangat_rawan: int = Field(0, ge=0, description="highly vulnerable or special TPS")

    @property
    def total(self) -> int:
        return self.kurang_rawan + self.rawan + self.sangat_rawan


class District(_Frozen):
    """A kecamatan (sub-district): one node of the district graph."""

    id: Ident
    name: str
    area_km2: Positive
    population: int = Field(gt=0, description="residents (model figure)")
    voters: int = Field(ge=0, description="DPT, registered voters")
    villages: int = Field(ge=1, description="desa + kelurahan; each is one neighbourhood")
    tps: TpsCounts
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    coast: bool = False
    sara_exposure: Share = Field(
        0.2, description="diversity / exposure to SARA (ethnic-religious) messaging, 0..1 [I]"
    )
    vulnerability: Share = Field(
        0.3, description="Bawaslu-style vulnerability (IKP-like) of the district, 0..1 [I]"
    )
    hardship: Share = Field(
        0.5, description="mean hardship H of residents (Epstein); U(0,1) has mean 0.5 [I]"
    )


class Edge(_Frozen):
    """An adjacency between two districts, with the road distance between their centres."""

    a: Ident
    b: Ident
    km: Positive = Field(description="road distance between district centres")


class Candidate(_Frozen):
    """A fictional candidate pair (Paslon). Never a real candidate or party."""

    id: Ident
    name: str = Field(description="e.g. 'Paslon 1'")
    ticket: str = Field("", description="fictional names of the pair")
    colour: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    home_district: Ident | None = None
    support: dict[str, Share] = Field(description="share of support per district id")


class Site(_Frozen):
    """A fixed place that crowds can target and units can guard."""

    id: Ident
    kind: SiteKind
    district: Ident
    name: str


class Unit(_Frozen):
    """A security unit as deployed at the start (its initial posture)."""

    id: Ident
    kind: UnitKind
    name: str
    strength: int = Field(gt=0, description="personnel")
    home: Ident = Field(description="district id of the unit's base")
    task: Task = Task.PRESENCE
    area: list[Ident] = Field(
        default_factory=list,
        description="districts the unit covers besides home (e.g. Polsek Rogojampi covers "
        "Blimbingsari); its strength is spread over home + area",
    )
    site: Ident | None = Field(None, description="site id, for task guard_site")
    speed_kmh: Positive | None = Field(None, description="overrides the kind's default speed")


class KindProfile(_Frozen):
    """What a person of a unit kind contributes, per task-hour. All [I] model defaults."""

    speed_kmh: Positive = 30.0
    presence: NonNeg = Field(1.0, description="deterrent visibility per person on patrol")
    control_level: int = Field(
        1, ge=0, le=3, description="highest crowd state it can control: 0 none, "
        "1 hijau (Dalmas Awal), 2 kuning (Dalmas Lanjut), 3 merah (PHH Brimob)"
    )
    control_power: NonNeg = Field(1.0, description="crowd-control weight per person")
    arrest_rate: NonNeg = Field(
        0.01, description="arrests per person-hour among actives in reach (Epstein's cop "
        "rule as a rate; Pilkada arrests run to dozens or hundreds, not thousands) [I]")
    engagement: NonNeg = Field(0.0, description="community-engagement effect per person")
    intel: NonNeg = Field(0.0, description="intelligence coverage per person")
    counter_hoax: NonNeg = Field(0.0, description="rumour damping per person")
    tni: bool = Field(False, description="TNI (military) unit under Polri BKO")
    negotiation: NonNeg = Field(
        0.0, description="how much a negotiating person slows escalation (0 = cannot)")
    firefighting: NonNeg = Field(0.0, description="fires put out per person-hour")
    medical: NonNeg = Field(0.0, description="casualties treated per person-hour")
    tasks: list[Task] = Field(
        default_factory=lambda: [t for t in Task if t not in (Task.ARREST,)],
        description="tasks this kind may be ordered to do")


def _default_profiles() -> dict[UnitKind, KindProfile]:
    """Model defaults for each kind [I]; a scenario may override any of them."""
    P, T = KindProfile, Task
    police = [T.PRESENCE, T.SHOW_OF_FORCE, T.GUARD_TPS, T.GUARD_SITE, T.ESCORT, T.CHECKPOINT,
              T.RESERVE, T.RESPOND, T.NEGOTIATE, T.ENGAGE]
    crowd = [T.PRESENCE, T.SHOW_OF_FORCE, T.GUARD_SITE, T.CHECKPOINT, T.RESERVE, T.RESPOND,
             T.DISPERSE, T.ESCORT]
    tni = [T.PRESENCE, T.SHOW_OF_FORCE, T.GUARD_SITE, T.GUARD_TPS, T.CHECKPOINT, T.ESCORT,
           T.RESERVE, T.RESPOND]
    return {
        UnitKind.POLSEK: P(speed_kmh=30, presence=1.0, control_level=1, control_power=1.0,
                           arrest_rate=0.01, engagement=0.3, intel=0.3, negotiation=1.0,
                           tasks=[*police, T.INTEL, T.ARREST]),
        UnitKind.SAMAPTA: P(speed_kmh=35, presence=1.2, control_level=1, control_power=1.5,
                            arrest_rate=0.01, negotiation=1.0, tasks=police),
        UnitKind.DALMAS: P(speed_kmh=35, presence=1.0, control_level=2, control_power=4.0,
                           arrest_rate=0.03, tasks=crowd),
        UnitKind.BRIMOB: P(speed_kmh=40, presence=1.5, control_level=3, control_power=8.0,
                           arrest_rate=0.05, tasks=[*crowd, T.ARREST, T.GUARD_TPS]),
        UnitKind.INTELKAM: P(speed_kmh=40, presence=0.0, control_level=0, control_power=0.0,
                             arrest_rate=0.0, intel=3.0, tasks=[T.INTEL, T.RESERVE, T.ARREST]),
        UnitKind.BINMAS: P(speed_kmh=30, presence=0.3, control_level=0, control_power=0.0,
                           arrest_rate=0.0, engagement=2.0, intel=0.5, negotiation=2.0,
                           tasks=[T.ENGAGE, T.INTEL, T.NEGOTIATE, T.RESERVE, T.PRESENCE]),
        UnitKind.BHABINKAMTIBMAS: P(speed_kmh=25, presence=0.5, control_level=1,
                                    control_power=0.5, arrest_rate=0.0, engagement=3.0,
                                    intel=1.5, negotiation=1.5,
                                    tasks=[T.ENGAGE, T.INTEL, T.PRESENCE, T.GUARD_TPS,
                                           T.NEGOTIATE, T.RESERVE]),
        UnitKind.SATLANTAS: P(speed_kmh=45, presence=1.0, control_level=1, control_power=0.8,
                              arrest_rate=0.002, tasks=police),
        UnitKind.RESKRIM: P(speed_kmh=40, presence=0.2, control_level=1, control_power=0.5,
                            arrest_rate=0.1, intel=0.5,
                            tasks=[T.ARREST, T.INTEL, T.RESERVE, T.PRESENCE, T.RESPOND]),
        UnitKind.POLAIRUD: P(speed_kmh=30, presence=0.8, control_level=1, control_power=1.0,
                             arrest_rate=0.005, tasks=police),
        UnitKind.CYBER: P(speed_kmh=40, presence=0.0, control_level=0, control_power=0.0,
                          arrest_rate=0.0, counter_hoax=1.0, intel=0.5,
                          tasks=[T.COUNTER_HOAX, T.INTEL, T.RESERVE]),
        UnitKind.KORAMIL: P(speed_kmh=30, presence=1.0, control_level=2, control_power=2.0,
                            arrest_rate=0.0, engagement=0.5, tni=True, tasks=[*tni, T.ENGAGE]),
        UnitKind.BABINSA: P(speed_kmh=25, presence=0.5, control_level=1, control_power=0.5,
                            arrest_rate=0.0, engagement=2.0, intel=1.0, tni=True,
                            tasks=[T.ENGAGE, T.INTEL, T.PRESENCE, T.GUARD_TPS, T.RESERVE]),
        UnitKind.KODIM: P(speed_kmh=35, presence=1.2, control_level=2, control_power=3.0,
                          arrest_rate=0.0, tni=True, tasks=tni),
        UnitKind.LANAL: P(speed_kmh=35, presence=1.0, control_level=2, control_power=2.5,
                          arrest_rate=0.0, tni=True, tasks=tni),
        # Linmas keep order at their TPS (a scuffle at hijau), unarmed, little weight.
        UnitKind.LINMAS: P(speed_kmh=15, presence=0.3, control_level=1, control_power=0.2,
                           arrest_rate=0.0, tasks=[T.GUARD_TPS, T.GUARD_SITE, T.PRESENCE]),
        UnitKind.NEGOTIATOR: P(speed_kmh=35, presence=0.3, control_level=1, control_power=0.3,
                               arrest_rate=0.0, negotiation=4.0,
                               tasks=[T.NEGOTIATE, T.RESERVE, T.PRESENCE]),
        UnitKind.WATER_CANNON: P(speed_kmh=30, presence=1.0, control_level=2,
                                 control_power=15.0, arrest_rate=0.0,
                                 tasks=[T.RESERVE, T.RESPOND, T.DISPERSE, T.GUARD_SITE]),
        UnitKind.DAMKAR: P(speed_kmh=35, presence=0.0, control_level=0, control_power=0.0,
                           arrest_rate=0.0, firefighting=0.2,
                           tasks=[T.RESERVE, T.RESPOND, T.GUARD_SITE]),
        UnitKind.MEDIC: P(speed_kmh=40, presence=0.0, control_level=0, control_power=0.0,
                          arrest_rate=0.0, medical=1.0, tasks=[T.RESERVE, T.RESPOND]),
    }


# ---------------------------------------------------------------------------
# Calendar
# ---------------------------------------------------------------------------


class ThreatProfile(_Frozen):
    """Base event rates of a stage, per district per day, before local multipliers [I]."""

    rally: NonNeg = 0.0
    hoax: NonNeg = 0.0
    money_politics: NonNeg = 0.0
    tps_disruption: NonNeg = Field(0.0, description="per 100 TPS per day")
    protest: NonNeg = 0.0


class Stage(_Frozen):
    """An election stage (tahapan) with its dates, turn structure and threat profile."""

    id: Ident
    name: str = Field(description="Bahasa Indonesia name")
    name_en: str
    start: dt.date
    end: dt.date = Field(description="last day of the stage (inclusive)")
    turns: int = Field(ge=1)
    ticks_per_turn: int = Field(ge=1)
    threat: ThreatProfile = ThreatProfile()
    mobilisation: Share = Field(
        0.0, description="share of partisans that supporter groups can put on the street"
    )
    protest_target: SiteKind | None = Field(
        None, description="site kind that crowds march to in this stage"
    )
    result_known: bool = Field(False, description="the (provisional) result is public")
    tps_open: bool = Field(False, description="polling stations are open (voting day)")


class Calendar(_Frozen):
    stages: list[Stage] = Field(min_length=1)


# ---------------------------------------------------------------------------
# Parameters (levers are orders; these are the uncertainties)
# ---------------------------------------------------------------------------


class PopulationParams(_Frozen):
    scale: int = Field(100, ge=1, description="residents per synthetic citizen (1 = 1:1)")
    partisan_share: Share = Field(
        0.25, description="share of residents affiliated to a Paslon (supporters) [I]"
    )


class ActivationParams(_Frozen):
    """Epstein (2002) civil-violence rule, with Granovetter (1978) thresholds."""

    k: Positive = Field(2.3, description="arrest-probability constant (Epstein)")
    threshold: NonNeg = Field(0.1, description="T in G - R*P > T (Epstein)")
    risk_function: Literal["floor", "round", "continuous"] = Field(
        "floor", description="how C/A enters P = 1-exp(-k*f(C/A)) (NetLogo floor, Mesa round)"
    )
    vision: int = Field(
        150, ge=1, description="people a citizen sees around them (Epstein's vision) [I]"
    )
    visibility: Positive = Field(
        150.0, description="how many residents' worth of 'being seen' one officer on patrol "
        "has, relative to a resident (patrols move, uniforms, vehicles) [I]"
    )
    granovetter: bool = Field(True, description="require local participation >= own threshold")
    threshold_mean: float = Field(
        0.1, ge=-1, le=1, description="mean of citizens' Granovetter thresholds (share) [I]"
    )
    threshold_sd: NonNeg = Field(
        0.05, description="dispersion of Granovetter thresholds (share) [I]"
    )


class LegitimacyParams(_Frozen):
    police_initial: Share = Field(0.9, description="initial legitimacy of the police [I]")
    election_initial: Share = Field(
        0.9, description="initial legitimacy of the election body (KPU/Bawaslu) [I]"
    )
    election_weight: Share = Field(
        0.5, description="weight of the election body in perceived legitimacy L"
    )
    losers_discount: Share = Field(
        0.12, description="fall in election legitimacy for supporters of a losing Paslon "
        "once the result is known, scaled by how close the race is (losers' consent) [I]"
    )
    engagement_rate: NonNeg = Field(
        0.05, description="recovery per day toward the initial level at full engagement [I]"
    )
    engagement_per_village: Positive = Field(
        4.0, description="engagement (person x kind weight) per village that counts as full "
        "coverage: Bhabinkamtibmas + Babinsa + village head, the 'three pillars' [I]"
    )
    force_penalty: NonNeg = Field(
        0.3, description="police-legitimacy loss per day of fully disproportionate force "
        "(100 person-levels above what the crowd's colour calls for) [I]"
    )
    arrest_penalty: NonNeg = Field(
        3.0, description="police-legitimacy loss per share of a district's residents "
        "arrested (3.0: arresting 1% costs 0.03) — repression's long-run cost [I]"
    )
    ratchet: Share = Field(
        0.5, description="share of a repression loss (force, arrests) that also lowers the "
        "level engagement can restore: legitimacy never fully returns (Lemos et al. 2016) [I]"
    )
    money_politics_shock: NonNeg = Field(
        0.01, description="election-legitimacy loss in a district per undetected vote-buying "
        "case [I]"
    )
    red_incident_shock: NonNeg = Field(
        0.03, description="election- and police-legitimacy loss in a district per merah "
        "incident [I]"
    )


class RumourParams(_Frozen):
    diffusion: Share = Field(0.15, description="share exchanged with neighbours per day [I]")
    decay: Share = Field(0.1, description="share forgotten per day [I]")
    grievance_weight: Share = Field(
        0.3, description="how far a full rumour load lowers perceived legitimacy of "
        "partisans (scaled by SARA exposure) [I]"
    )
    hoax_size: Share = Field(0.3, description="rumour load added by one hoax event [I]")
    counter_hoax_efficacy: NonNeg = Field(
        0.1, description="rumour removed per day per counter-hoax person per 100k residents [I]"
    )


class PolarisationParams(_Frozen):
    weight: Share = Field(
        0.2, description="how far an evenly split district lowers partisans' perceived "
        "legitimacy in contested stages [I]"
    )


class JailParams(_Frozen):
    max_hours: Positive = Field(72.0, description="detention term J ~ U(0, max) hours [I]")


class CrowdParams(_Frozen):
    form_size: int = Field(300, ge=1, description="actives (people) that form a crowd [I]")
    dissolve_size: int = Field(100, ge=0, description="below this a crowd disperses [I]")
    speed_kmh: Positive = Field(8.0, description="march / convoy speed [I]")
    max_hours_on_march: Positive = Field(24.0, description="crowd gives up marching after [I]")
    dropout_per_hour: NonNeg = Field(
        0.05, description="hazard per hour that an active citizen drops out and goes home "
        "(Davies et al. 2013: rioters drop out over time) [I]"
    )
    rest_hours: NonNeg = Field(
        24.0, description="hours a dropped-out citizen stays home before deciding again [I]"
    )
    distance_decay_km: Positive = Field(
        15.0, description="distance decay of a crowd's choice of target site (Davies et al.) [I]"
    )


class IncidentParams(_Frozen):
    """Perkap 16/2006 ladder: hijau (0) -> kuning (1) -> merah (2)."""

    required_ratio: list[NonNeg] = Field(
        [0.02, 0.05, 0.10],
        min_length=3, max_length=3,
        description="control power needed per crowd member at hijau, kuning, merah [I]",
    )
    escalation_hours: list[Positive] = Field(
        [3.0, 2.0], min_length=2, max_length=2,
        description="mean hours to escalate hijau->kuning, kuning->merah when "
        "insufficiently met [I]",
    )
    control_hours: Positive = Field(
        2.0, description="hours of sufficient force to step down one level [I]"
    )
    injury_rate: list[NonNeg] = Field(
        [0.0, 0.2, 1.0], min_length=3, max_length=3,
        description="injuries per hour per 1,000 crowd members at each level [I]",
    )
    event_crowd: list[Positive] = Field(
        [200.0, 30.0], min_length=2, max_length=2,
        description="typical size of a rally, and of a TPS scuffle (people) [I]",
    )
    contact_max: Positive = Field(
        1000.0, description="crowd members in contact with the police line at most; injuries "
        "scale with min(crowd, contact_max) [I]"
    )
    tps_per_incident: int = Field(
        1, ge=1, description="TPS disrupted by a TPS incident that reaches kuning [I]"
    )
    tps_reach: Positive = Field(
        10.0, description="TPS within quick reach of one guard post: a TPS scuffle meets the "
        "district's acting force times reach / TPS in the district [I]"
    )
    event_hours: Positive = Field(
        6.0, description="a rally or TPS scuffle still at hijau ends by itself after [I]"
    )
    fire_hours: Positive = Field(
        1.0, description="hours a fire set at merah burns before the site is damaged, unless "
        "Damkar put it out [I]"
    )
    rally_clash_chance: Share = Field(
        0.3, description="chance a rally clashes with rivals in an evenly split district [I]"
    )


class ForceParams(_Frozen):
    linmas_per_tps: NonNeg = Field(2.0, description="Linmas guards per TPS (KPU rule) [C]")
    joint_personnel: int | None = Field(
        None, ge=1, description="if set, police and TNI strengths are scaled to this "
        "total (the seed article's ~750 variant) [A]"
    )
    strength_multiplier: Positive = Field(
        1.0, description="multiplier on all police and TNI strengths (sweeps) [I]"
    )
    tps_guard_ratio: list[NonNeg] = Field(
        [0.25, 0.5, 1.0], min_length=3, max_length=3,
        description="police per TPS that make guarding complete, by class kurang rawan, "
        "rawan, sangat rawan [I]",
    )
    tps_deterrence: Share = Field(
        0.8, description="share of TPS incidents prevented by complete guarding [I]"
    )


class RedParams(_Frozen):
    """The red cell's means: what the forces of disorder can do [I]."""

    provocateur_teams: int = Field(4, ge=0, description="provocateur teams")
    team_size: int = Field(8, ge=1, description="people per provocateur team")
    team_speed_kmh: Positive = Field(30.0, description="teams move by motorbike")
    provocation_share: Share = Field(
        0.02, description="share of a district's residents a working team makes visibly "
        "'out' (agitation through korlap and chat groups) [I]")
    provocation_escalation: NonNeg = Field(
        0.5, description="extra escalation hazard per team at an incident's district [I]")
    hoax_per_turn: int = Field(2, ge=0, description="hoax campaigns red can seed per turn")
    mobilise_per_turn: int = Field(2, ge=0, description="mobilisation drives per turn")
    mobilise_share: Share = Field(
        0.3, description="share of the district's partisans a mobilisation drive brings out "
        "for a turn (before grievance decides who stays) [I]")
    detection: NonNeg = Field(
        1.5, description="chance per turn that blue's intelligence finds a working team is "
        "1 - exp(-detection x intel coverage) [I]")


class ReinforcementParams(_Frozen):
    brimob_available: int = Field(100, ge=0, description="Brimob BKO the Polda can send [I]")
    brimob_delay_hours: NonNeg = Field(12.0, description="hours until Brimob BKO arrives [I]")
    tni_available: int = Field(300, ge=0, description="extra TNI the Kodim/Korem can send [I]")
    tni_delay_hours: NonNeg = Field(6.0, description="hours until TNI assistance arrives [I]")
    tni_cap: Share = Field(
        2 / 3, description="TNI strength at most this share of Polri's (Polri 2019) [C]")


class Params(_Frozen):
    population: PopulationParams = PopulationParams()
    activation: ActivationParams = ActivationParams()
    legitimacy: LegitimacyParams = LegitimacyParams()
    rumour: RumourParams = RumourParams()
    polarisation: PolarisationParams = PolarisationParams()
    jail: JailParams = JailParams()
    crowd: CrowdParams = CrowdParams()
    incident: IncidentParams = IncidentParams()
    forces: ForceParams = ForceParams()
    red: RedParams = RedParams()
    reinforcements: ReinforcementParams = ReinforcementParams()
    unit_kinds: dict[UnitKind, KindProfile] = Field(
        default_factory=_default_profiles,
        description="per-kind profiles; a scenario overrides only the fields it names, the "
        "rest keep the kind's defaults")

    @field_validator("unit_kinds", mode="before")
    @classmethod
    def _merge_kind_defaults(cls, given: Any) -> Any:
        """Overlay the scenario's partial profiles on each kind's own defaults."""
        if not isinstance(given, dict):
            return given
        merged: dict[Any, Any] = {k: v.model_dump() for k, v in _default_profiles().items()}
        for kind, fields in given.items():
            key = UnitKind(kind) if kind in UnitKind._value2member_map_ else kind
            base = merged.get(key, {})
            merged[key] = {**base, **fields} if isinstance(fields, dict) else fields
        return merged


# ---------------------------------------------------------------------------
# Injects (MSEL). Schema defined now; played by the turn engine.
# ---------------------------------------------------------------------------


class Trigger(_Frozen):
    """A condition on the ground truth: ``field`` in ``district`` (or in any district when
    left out) goes above ``above`` or below ``below`` (give exactly one)."""

    field: Literal["tension", "rumour", "active_fraction", "legitimacy"]
    district: Ident | None = Field(None, description="leave out for any district")
    above: float | None = None
    below: float | None = None


class InjectEffect(_Frozen):
    type: Literal[
        "legitimacy_shock", "hoax", "rally", "logistics_delay", "disputed_recap",
        "weather", "tps_incident",
    ]
    district: Ident | None = Field(None, description="leave out for the whole regency")
    magnitude: float = 0.1
    at_trigger: bool = Field(
        False, description="act in the district whose condition fired the inject")


class Inject(_Frozen):
    id: Ident
    turn: int | None = Field(None, ge=0, description="fires at this turn (0-based)")
    trigger: Trigger | None = None
    effect: InjectEffect
    text_id: str
    text_en: str


# ---------------------------------------------------------------------------
# The scenario
# ---------------------------------------------------------------------------


class Meta(_Frozen):
    id: Ident
    name: str
    name_en: str
    description: str = ""
    region: str = ""
    handling: str = Field("TLP:CLEAR", description="Traffic Light Protocol handling label")
    simulated: bool = Field(True, description="incidents are simulated, not allegations")


class Scenario(_Frozen):
    meta: Meta
    districts: list[District] = Field(min_length=1)
    edges: list[Edge] = Field(default_factory=list)
    candidates: list[Candidate] = Field(min_length=2)
    sites: list[Site] = Field(default_factory=list)
    units: list[Unit] = Field(default_factory=list)
    calendar: Calendar
    params: Params = Params()
    injects: list[Inject] = Field(default_factory=list)

    @property
    def district_ids(self) -> list[str]:
        return [d.id for d in self.districts]

    def digest(self) -> str:
        """A stable hash of the scenario's content (for manifests and saved exercises)."""
        blob = json.dumps(self.model_dump(mode="json"), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


# ---------------------------------------------------------------------------
# Loading and validation
# ---------------------------------------------------------------------------


class ScenarioError(Exception):
    """A scenario file is invalid. Carries one line per problem: file, field, what is wrong."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [f"{self.source}: {path or '<root>'}: {msg}" for path, msg in self.problems]


def _loc_to_path(loc: tuple[Any, ...], data: Any) -> str:
    """Turn a pydantic location into a readable path, naming list items by their id."""
    path = ""
    node = data
    for item in loc:
        if isinstance(item, int) and isinstance(node, list) and 0 <= item < len(node):
            node = node[item]
            ident = node.get("id") if isinstance(node, dict) else None
            path += f"[{item}]" + (f"({ident})" if isinstance(ident, str) else "")
        else:
            path += ("." if path else "") + str(item)
            node = node.get(item) if isinstance(node, dict) else None
    return path


def _reference_problems(sc: Scenario) -> list[tuple[str, str]]:
    """Cross-field checks that a per-field schema cannot express."""
    problems: list[tuple[str, str]] = []
    ids = sc.district_ids

    def dupes(kind: str, items: list[str]) -> None:
        seen: set[str] = set()
        for i, x in enumerate(items):
            if x in seen:
                problems.append((f"{kind}[{i}].id", f"duplicate id '{x}'"))
            seen.add(x)

    dupes("districts", ids)
    dupes("candidates", [c.id for c in sc.candidates])
    dupes("sites", [s.id for s in sc.sites])
    dupes("units", [u.id for u in sc.units])
    dupes("injects", [j.id for j in sc.injects])
    dupes("calendar.stages", [s.id for s in sc.calendar.stages])
    known = set(ids)

    for i, d in enumerate(sc.districts):
        if d.voters > d.population:
            problems.append((f"districts[{i}]({d.id}).voters",
                             f"{d.voters} voters exceed population {d.population}"))
    seen_edges: set[frozenset[str]] = set()
    for i, e in enumerate(sc.edges):
        for end in ("a", "b"):
            if getattr(e, end) not in known:
                problems.append((f"edges[{i}].{end}", f"unknown district '{getattr(e, end)}'"))
        if e.a == e.b:
            problems.append((f"edges[{i}]", f"edge from '{e.a}' to itself"))
        key = frozenset((e.a, e.b))
        if key in seen_edges:
            problems.append((f"edges[{i}]", f"duplicate edge {e.a}–{e.b}"))
        seen_edges.add(key)
    if len(ids) > 1 and not problems:
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(ids)
        g.add_edges_from((e.a, e.b) for e in sc.edges)
        if not nx.is_connected(g):
            parts = sorted((sorted(c) for c in nx.connected_components(g)), key=len)
            problems.append(("edges", f"district graph is not connected: {parts[0]} is cut off"))

    for i, c in enumerate(sc.candidates):
        for d in c.support:
            if d not in known:
                problems.append((f"candidates[{i}]({c.id}).support.{d}",
                                 f"unknown district '{d}'"))
        if c.home_district is not None and c.home_district not in known:
            problems.append((f"candidates[{i}]({c.id}).home_district",
                             f"unknown district '{c.home_district}'"))
    for d in ids:
        total = sum(c.support.get(d, 0.0) for c in sc.candidates)
        if abs(total - 1.0) > 1e-3:
            problems.append((f"candidates[*].support.{d}",
                             f"support shares in '{d}' sum to {total:.4f}, not 1"))

    site_ids = {s.id for s in sc.sites}
    for i, s in enumerate(sc.sites):
        if s.district not in known:
            problems.append((f"sites[{i}]({s.id}).district", f"unknown district '{s.district}'"))
    for i, u in enumerate(sc.units):
        if u.home not in known:
            problems.append((f"units[{i}]({u.id}).home", f"unknown district '{u.home}'"))
        for j, a in enumerate(u.area):
            if a not in known:
                problems.append((f"units[{i}]({u.id}).area[{j}]", f"unknown district '{a}'"))
        if u.site is not None and u.site not in site_ids:
            problems.append((f"units[{i}]({u.id}).site", f"unknown site '{u.site}'"))
        if u.task == Task.GUARD_SITE and u.site is None:
            problems.append((f"units[{i}]({u.id}).site", "task guard_site needs a site"))

    stages = sc.calendar.stages
    for i, s in enumerate(stages):
        if s.end < s.start:
            problems.append((f"calendar.stages[{i}]({s.id}).end",
                             f"ends {s.end} before it starts {s.start}"))
        if i and s.start < stages[i - 1].start:
            problems.append((f"calendar.stages[{i}]({s.id}).start",
                             "stages must be in chronological order"))
        if s.protest_target is not None and not any(
                x.kind == s.protest_target for x in sc.sites):
            problems.append((f"calendar.stages[{i}]({s.id}).protest_target",
                             f"no site of kind '{s.protest_target}' in the scenario"))
    n_turns = sum(s.turns for s in stages)
    for i, j in enumerate(sc.injects):
        if j.turn is None and j.trigger is None:
            problems.append((f"injects[{i}]({j.id})", "needs a turn or a trigger"))
        if j.trigger is not None and (j.trigger.above is None) == (j.trigger.below is None):
            problems.append((f"injects[{i}]({j.id}).trigger",
                             "give exactly one of 'above' and 'below'"))
        if j.effect.at_trigger and j.trigger is None:
            problems.append((f"injects[{i}]({j.id}).effect.at_trigger",
                             "only a triggered inject can act where it was triggered"))
        if j.turn is not None and j.turn >= n_turns:
            problems.append((f"injects[{i}]({j.id}).turn",
                             f"turn {j.turn} is after the last turn ({n_turns - 1})"))
        for where, d in (("effect.district", j.effect.district),
                         ("trigger.district", j.trigger.district if j.trigger else None)):
            if d is not None and d not in known:
                problems.append((f"injects[{i}]({j.id}).{where}", f"unknown district '{d}'"))
    inc = sc.params.incident
    if sc.params.crowd.dissolve_size >= sc.params.crowd.form_size:
        problems.append(("params.crowd.dissolve_size", "must be below params.crowd.form_size"))
    if list(inc.required_ratio) != sorted(inc.required_ratio):
        problems.append(("params.incident.required_ratio", "must not decrease up the ladder"))
    return problems


def parse_scenario(data: dict[str, Any], source: str = "<scenario>") -> Scenario:
    """Validate a scenario given as plain data; raise ScenarioError listing every problem."""
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            msg = err["msg"]
            if err["type"] == "extra_forbidden":
                msg = "unknown field"
            elif err["type"] == "enum":
                msg = f"{msg} (got {err.get('input')!r})"
            problems.append((_loc_to_path(err["loc"], data), msg))
        raise ScenarioError(source, problems) from None
    problems = _reference_problems(sc)
    if problems:
        raise ScenarioError(source, problems)
    return sc


def read_toml(path: str | Path) -> dict[str, Any]:
    """Read a TOML data file (scenario, doctrine, sweep design); a missing or unreadable
    file is a ScenarioError naming it, never a traceback."""
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(str(path), [("", "file not found")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(str(path), [("", f"not valid TOML: {exc}")]) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(str(path), [("", f"not UTF-8 text: {exc}")]) from None


def load_scenario_file(path: str | Path) -> Scenario:
    """Read and validate a TOML scenario file."""
    return parse_scenario(read_toml(path), str(path))


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario format (what `wargame schema` prints)."""
    return Scenario.model_json_schema()
