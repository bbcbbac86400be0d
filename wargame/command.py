"""Order validation and application: the referee between a side's orders and the model.

Every line is checked on its own against what exists: the unit, its strength, the place,
the rules of Perkap 16/2006 and of TNI assistance. A refused line gets a reason in Bahasa
Indonesia and English; the accepted lines of the same turn still stand. Accepted lines
change only the model's state (unit place and task, per-turn flags); what follows is up to
the mechanisms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from agents import PoliceUnit, SecurityUnit, TniUnit
from wargame.incidents import Incident
from wargame.injects import LIBRARY, MselItem
from wargame.orders import (
    SIDE_LINES,
    Arrest,
    Deploy,
    FireInject,
    Gakkumdu,
    Hoax,
    HoldInject,
    Mobilise,
    Orders,
    PeaceDeclaration,
    Provoke,
    Reinforce,
    Respond,
    Verdict,
    accepted,
    describe_fields,
    line_fields,
    refused,
)
from wargame.scenario import CIVIL_KINDS, Inject, InjectEffect, Task, UnitKind

if TYPE_CHECKING:
    from wargame.model import WargameModel


class Refused(Exception):
    """An order line that cannot be carried out, with the reason in both languages."""

    def __init__(self, reason_id: str, reason_en: str) -> None:
        super().__init__(reason_en)
        self.reason_id = reason_id
        self.reason_en = reason_en


class Referee:
    """Checks and applies one turn's orders of every side to a model.

    ``check`` runs the same rules without touching the model (for live validation in a
    form); ``apply`` runs them and carries out the accepted lines. Within a turn the
    referee remembers which units moved, how many personnel were detached and what red
    has spent, across all submissions of that turn.
    """

    def __init__(self, model: WargameModel) -> None:
        self.model = model
        self._turn = -1
        self._reset()
        # Units whose ids extend each unit id (``id.k``: detachments, and theirs), counted
        # over the model's first ``_counted[1]`` units of the list ``_counted[0]``.
        self._extended: dict[str, int] = {}
        self._counted: tuple[list[SecurityUnit], int] = (model.units, 0)
        # The first incident of each id among the first ``_indexed[1]`` incidents of the
        # list ``_indexed[0]`` (incidents, too, are only ever added).
        self._incident_by_id: dict[int, Incident] = {}
        self._indexed: tuple[list[Incident], int] = (model.incidents, 0)
        # The units that engage the community and the Sat Reskrim units among the model's
        # first ``_grouped[1]`` units of the list ``_grouped[0]``.
        self._engaging: list[SecurityUnit] = []
        self._reskrim: list[SecurityUnit] = []
        self._grouped: tuple[list[SecurityUnit], int] = (model.units, 0)

    def _reset(self) -> None:
        rp = self.model.params.red
        self.moved: set[str] = set()  # units moved whole this turn
        self.taken: dict[str, int] = {}  # personnel detached from a unit this turn
        self.budget = {"hoax": rp.hoax_per_turn, "mobilise": rp.mobilise_per_turn}
        self.declared: set[tuple[int, str]] = set()
        self.requested = {"brimob": 0, "tni": 0}  # reinforcements asked for while checking
        self.injects_used: set[str] = set()  # fired or held in this pass

    # ------------------------------------------------------------------ entry points
    def check(self, orders: Orders) -> list[Verdict]:
        """Validate ``orders`` as if applied now, changing nothing."""
        saved = (set(self.moved), dict(self.taken), dict(self.budget), set(self.declared),
                 dict(self.requested), set(self.injects_used), self._turn)
        try:
            return self._run(orders, applying=False)
        finally:
            (self.moved, self.taken, self.budget, self.declared, self.requested,
             self.injects_used, self._turn) = saved

    def apply(self, orders: Orders) -> list[Verdict]:
        """Validate and carry out each line of ``orders``; one verdict per line."""
        verdicts = self._run(orders, applying=True)
        m = self.model
        tick = m.current_tick
        for v in verdicts:
            order = line_fields(v.line)
            line = describe_fields(order)
            m.log(tick, "order", None,
                  ("Perintah diterima: " if v.accepted else "Perintah ditolak: ")
                  + line + (f" — {v.reason_id}" if not v.accepted else ""),
                  ("Order accepted: " if v.accepted else "Order refused: ")
                  + line + (f" — {v.reason_en}" if not v.accepted else ""),
                  side=orders.side, order=order, accepted=v.accepted)
        return verdicts

    def _run(self, orders: Orders, applying: bool) -> list[Verdict]:
        m = self.model
        if m.turn != self._turn:
            self._turn = m.turn
            self._reset()
        self.applying = applying
        verdicts = []
        allowed = SIDE_LINES[orders.side]
        for i, line in enumerate(orders.lines):
            try:
                if not isinstance(line, allowed):
                    raise Refused(f"Perintah '{line.order}' bukan untuk pihak {orders.side}",
                                  f"'{line.order}' is not an order for the {orders.side} side")
                eta = getattr(self, f"_{line.order}")(line)
                verdicts.append(accepted(i, line, eta))
            except Refused as r:
                verdicts.append(refused(i, line, r.reason_id, r.reason_en))
        return verdicts

    # ------------------------------------------------------------------ lookups
    def _district(self, did: str) -> int:
        if did not in self.model.index:
            raise Refused(f"Kecamatan '{did}' tidak ada di skenario",
                          f"There is no district '{did}' in this scenario")
        return self.model.index[did]

    def _unit(self, uid: str) -> SecurityUnit:
        u = self.model.unit_by_id.get(uid)
        if u is None:
            raise Refused(f"Satuan '{uid}' tidak ada", f"There is no unit '{uid}'")
        if uid in self.moved:
            raise Refused(f"{u.name} sudah mendapat perintah di giliran ini",
                          f"{u.name} already has an order this turn: a unit cannot be in two "
                          "places")
        return u

    def _left(self, u: SecurityUnit) -> int:
        return u.strength - self.taken.get(u.unit_id, 0)

    def _allowed(self, u: SecurityUnit, task: Task) -> None:
        if task not in u.profile.tasks:
            raise Refused(f"{u.name} ({u.kind}) tidak dapat ditugaskan '{task}'",
                          f"{u.name} ({u.kind}) cannot be tasked with '{task}'")

    def _detach(self, u: SecurityUnit, personnel: int | None) -> SecurityUnit | None:
        """The unit itself, or a detachment of ``personnel`` split off from it (None when
        only checking)."""
        left = self._left(u)
        if personnel is not None and personnel > left:
            raise Refused(f"Diminta {personnel} personel, {u.name} hanya memiliki {left} "
                          "yang tersedia",
                          f"Asks for {personnel} personnel but {u.name} has only {left} "
                          "available")
        if personnel is None or personnel == left:
            self.moved.add(u.unit_id)
            return u if self.applying else None
        if not self.applying:  # applying splits the unit for real, lowering its strength
            self.taken[u.unit_id] = self.taken.get(u.unit_id, 0) + personnel
            return None
        m = self.model
        k = self._detachments(u.unit_id) + 1
        part = type(u)(m, unit_id=f"{u.unit_id}.{k}", name=f"{u.name} (detasemen {k})",
                       kind=u.kind, profile=u.profile, strength=personnel, home=u.home,
                       task=u.task, speed_kmh=u.speed_kmh)
        part.cell = u.cell
        part.home_task = u.home_task
        part.fatigue = u.fatigue
        u.strength -= personnel
        m.units.append(part)
        m.unit_by_id[part.unit_id] = part
        return part

    def _incident(self, iid: int) -> Incident | None:
        """The model's incident ``iid``, if any, indexed from the incidents added since
        the last look rather than found by scanning them all for every order."""
        incidents, indexed = self._indexed
        if incidents is not self.model.incidents or indexed > len(incidents):
            incidents, indexed = self.model.incidents, 0
            self._incident_by_id = {}
        for inc in incidents[indexed:]:
            self._incident_by_id.setdefault(inc.id, inc)
        self._indexed = (incidents, len(incidents))
        return self._incident_by_id.get(iid)

    def _group_units(self) -> None:
        """Bring ``_engaging`` (units whose kind engages the community) and ``_reskrim``
        (Sat Reskrim) up to date, in the model's order.

        Peace declarations and Gakkumdu need such a unit standing in the district; a
        unit's kind and profile never change and units are only ever added, so the lists
        are extended with the units added since the last look instead of every unit being
        looked at for every such order."""
        units, grouped = self._grouped
        if units is not self.model.units or grouped > len(units):
            units, grouped = self.model.units, 0
            self._engaging, self._reskrim = [], []
        for u in units[grouped:]:
            if u.profile.engagement > 0:
                self._engaging.append(u)
            if u.kind == UnitKind.RESKRIM:
                self._reskrim.append(u)
        self._grouped = (units, len(units))

    def _detachments(self, uid: str) -> int:
        """How many units have ids ``uid.…`` (the ids its next detachment must avoid).

        Units are only ever added to the model, so the counts are brought up to date
        from the units added since the last split instead of scanning them all again."""
        units, counted = self._counted
        if units is not self.model.units or counted > len(units):
            units, counted = self.model.units, 0
            self._extended = {}
        for x in units[counted:]:
            dot = x.unit_id.find(".")
            while dot >= 0:
                prefix = x.unit_id[:dot]
                self._extended[prefix] = self._extended.get(prefix, 0) + 1
                dot = x.unit_id.find(".", dot + 1)
        self._counted = (units, len(units))
        return self._extended.get(uid, 0)

    def _send(self, u: SecurityUnit | None, d: int, task: Task, *, site: str | None = None,
              incident: int | None = None, origin: SecurityUnit | None = None) -> float:
        """Give the (detached) unit its place and task; while checking, just the ETA."""
        if u is None:
            if origin is None or origin.district == d:
                return 0.0
            return float(sum(self.model.edge_hours(a, b, origin.speed_kmh) for a, b in
                             zip(self.model.route(origin.district, d),
                                 self.model.route(origin.district, d)[1:], strict=False)))
        u.task, u.site, u.incident = task, site, incident
        eta = u.set_destination(d) if d != u.district or u.travelling else 0.0
        # its place, task and strength (and its origin's strength, after a split) changed
        self.model.posture_changed(u, *(o for o in (origin,) if o is not None))
        return eta

    # ------------------------------------------------------------------ blue
    def _deploy(self, o: Deploy) -> float:
        m = self.model
        u = self._unit(o.unit)
        d = self._district(o.to)
        self._allowed(u, o.task)
        if o.task in (Task.RESPOND, Task.NEGOTIATE, Task.DISPERSE):
            raise Refused("Untuk menangani insiden gunakan perintah 'respond'",
                          "To handle an incident use a 'respond' order")
        site = None
        if o.task == Task.GUARD_SITE:
            site = m.site_by_id.get(o.site or "")
            if site is None:
                raise Refused("Pengamanan objek memerlukan objek (site) yang ada",
                              "Guarding needs an existing site")
            if site.district != d:
                raise Refused(f"{site.name} tidak berada di {m.setting.districts[d].name}",
                              f"{site.name} is not in {m.setting.districts[d].name}")
        part = self._detach(u, o.personnel)
        return self._send(part, d, o.task, site=site.site_id if site else None, origin=u)

    def _respond(self, o: Respond) -> float:
        u = self._unit(o.unit)
        inc = self._incident(o.incident)
        if inc is None or not inc.reported:
            raise Refused(f"Tidak ada laporan insiden #{o.incident}",
                          f"There is no report of incident #{o.incident}")
        if not inc.open:
            raise Refused(f"Insiden #{o.incident} sudah selesai",
                          f"Incident #{o.incident} is already over")
        task = {"ladder": Task.RESPOND, "negotiate": Task.NEGOTIATE,
                "disperse": Task.DISPERSE}[o.mode]
        if o.mode == "negotiate" and u.profile.negotiation <= 0:
            raise Refused(f"{u.name} bukan negosiator", f"{u.name} cannot negotiate")
        if o.mode != "negotiate" and u.profile.control_level == 0:
            raise Refused(f"{u.name} tidak dapat mengendalikan massa",
                          f"{u.name} cannot control crowds")
        if o.mode == "disperse" and isinstance(u, TniUnit):
            raise Refused("TNI membantu Polri dengan sekat (cordon), tidak membubarkan massa",
                          "TNI back Polri up with cordons; they do not disperse crowds")
        if o.mode == "disperse" and u.kind == UnitKind.BRIMOB and inc.level < 2:
            raise Refused("Brimob (PHH) baru masuk saat massa beralih dari kuning ke merah "
                          "(Perkap 16/2006)",
                          "Brimob PHH enters only when a crowd goes from kuning to merah "
                          "(Perkap 16/2006)")
        self._allowed(u, task)
        part = self._detach(u, o.personnel)
        return self._send(part, inc.district, task, incident=inc.id, origin=u)

    def _arrest(self, o: Arrest) -> float:
        u = self._unit(o.unit)
        d = self._district(o.district)
        if u.profile.arrest_rate <= 0 and Task.ARREST not in u.profile.tasks:
            raise Refused(f"{u.name} tidak melakukan penangkapan; itu tugas Polri",
                          f"{u.name} does not make arrests; that is Polri's job")
        self._allowed(u, Task.ARREST)
        return self._send(self._detach(u, None), d, Task.ARREST, origin=u)

    def _reinforce(self, o: Reinforce) -> float:
        m = self.model
        d = self._district(o.to)
        rp = m.params.reinforcements
        asked = self.requested  # while checking, what earlier lines of this pass asked for
        if o.source == "brimob":
            left = rp.brimob_available - m.reinforced["brimob"] - asked["brimob"]
            if o.personnel > left:
                raise Refused(f"Polda hanya dapat mengirim {left} personel Brimob lagi",
                              f"The Polda can send only {left} more Brimob personnel")
            delay = rp.brimob_delay_hours
        else:
            left = rp.tni_available - m.reinforced["tni"] - asked["tni"]
            if o.personnel > left:
                raise Refused(f"Kodim hanya dapat mengirim {left} personel TNI lagi",
                              f"The Kodim can send only {left} more TNI personnel")
            police = sum(u.strength for u in m.units if isinstance(u, PoliceUnit)
                         and u.kind not in CIVIL_KINDS)
            police += sum(p["personnel"] for p in m.pending if p["source"] == "brimob")
            police += asked["brimob"]
            tni = sum(u.strength for u in m.units if isinstance(u, TniUnit))
            tni += sum(p["personnel"] for p in m.pending if p["source"] == "tni") + asked["tni"]
            cap = int(rp.tni_cap * police)
            if tni + o.personnel > cap:
                raise Refused(f"Kekuatan TNI akan menjadi {tni + o.personnel}, di atas 2/3 "
                              f"kekuatan Polri ({cap})",
                              f"TNI strength would be {tni + o.personnel}, above 2/3 of "
                              f"Polri's strength ({cap})")
            delay = rp.tni_delay_hours
        if not self.applying:
            asked[o.source] += o.personnel
            return delay
        m.reinforced[o.source] += o.personnel
        m.pending.append({"source": o.source, "personnel": o.personnel, "to": d,
                          "hours": delay})
        return delay

    def _peace_declaration(self, o: PeaceDeclaration) -> float:
        m = self.model
        d = self._district(o.district)
        stage = m.current_tick.stage.id
        if (d, stage) in m.peace_declared or (d, stage) in self.declared:
            raise Refused("Deklarasi damai sudah diadakan di kecamatan ini pada tahap ini",
                          "A peace declaration was already held here in this stage")
        name = m.setting.districts[d].name
        self._group_units()
        if not any(u.district == d and not u.travelling for u in self._engaging):
            raise Refused(f"Deklarasi damai memerlukan satuan pembina masyarakat (Binmas, "
                          f"Bhabinkamtibmas, Babinsa, Polsek, Koramil) yang berada di {name}",
                          f"A peace declaration needs a community-engagement unit (Binmas, "
                          f"Bhabinkamtibmas, Babinsa, Polsek, Koramil) present in {name}")
        self.declared.add((d, stage))
        if not self.applying:
            return 0.0
        m.peace_declared.add((d, stage))
        lp = m.params.legitimacy
        boost = 0.5 * lp.engagement_rate  # a flat gain of half a day's recovery rate [I]
        m.legit_police[d] = min(m.legit_police0[d], m.legit_police[d] + boost)
        m.legit_election[d] = min(m.legit_election0[d], m.legit_election[d] + boost)
        m.rumour[d] *= 0.5
        m.log(m.current_tick, "peace_declaration", d, "Deklarasi Pilkada Damai",
              "Peace declaration (Deklarasi Pilkada Damai)")
        return 0.0

    def _gakkumdu(self, o: Gakkumdu) -> float:
        m = self.model
        d = self._district(o.district)
        self._group_units()
        if not any(u.district == d and not u.travelling for u in self._reskrim):
            raise Refused(f"Gakkumdu memerlukan Sat Reskrim di {m.setting.districts[d].name}",
                          f"Gakkumdu needs Sat Reskrim in {m.setting.districts[d].name}")
        if self.applying:
            m.gakkumdu[d] = True
        return 0.0

    # ------------------------------------------------------------------ red
    def _spend(self, what: str) -> None:
        if self.budget.get(what, 0) <= 0:
            raise Refused(f"Kapasitas '{what}' giliran ini sudah habis",
                          f"No '{what}' capacity left this turn")
        self.budget[what] -= 1

    def _hoax(self, o: Hoax) -> float:
        m = self.model
        d = self._district(o.district)
        self._spend("hoax")
        if not self.applying:
            return 0.0
        rp = m.params.rumour
        m.rumour[d] = min(1.0, m.rumour[d] + rp.hoax_size * (0.5 + m.sara[d]))
        m.log(m.current_tick, "hoax", d, "Hoaks/SARA beredar", "A hoax / SARA message spreads",
              side="red")
        return 0.0

    def _mobilise(self, o: Mobilise) -> float:
        m = self.model
        d = self._district(o.district)
        ids = [c.id for c in m.setting.candidates]
        if o.candidate is not None and o.candidate not in ids:
            raise Refused(f"Paslon '{o.candidate}' tidak ada", f"No Paslon '{o.candidate}'")
        c = ids.index(o.candidate) if o.candidate else int(np.argmin(m.vote_share))
        self._spend("mobilise")
        if not self.applying:
            return 0.0
        share = m.params.population.partisan_share * m.shares[c, d]
        m.turn_mobilised[d] += m.params.red.mobilise_share * share
        return 0.0

    def _provoke(self, o: Provoke) -> float:
        m = self.model
        t = m.team_by_id.get(o.team)
        if t is None:
            raise Refused(f"Kelompok '{o.team}' tidak ada", f"There is no team '{o.team}'")
        if t.arrested:
            raise Refused(f"Kelompok {o.team} sudah ditangkap", f"Team {o.team} was arrested")
        d = self._district(o.district)
        if o.team in self.moved:
            raise Refused(f"Kelompok {o.team} sudah mendapat perintah di giliran ini",
                          f"Team {o.team} already has an order this turn")
        self.moved.add(o.team)
        if not self.applying:
            return 0.0
        t.active = True
        return t.set_destination(d) if d != t.district or t.travelling else 0.0

    # ------------------------------------------------------------------ white
    def _fire_inject(self, o: FireInject) -> float:
        m = self.model
        if o.district is not None:
            self._district(o.district)
        if o.inject in self.injects_used:
            raise Refused(f"Inject '{o.inject}' sudah dipakai di giliran ini",
                          f"Inject '{o.inject}' was already fired or held this turn")
        if o.inject in m.msel.items:
            self.injects_used.add(o.inject)
            if m.msel.items[o.inject].status == "fired":
                raise Refused(f"Inject '{o.inject}' sudah dijalankan",
                              f"Inject '{o.inject}' has already fired")
            if self.applying:
                m.fire(o.inject, district=o.district, magnitude=o.magnitude)
            return 0.0
        kind = o.inject.removeprefix("lib:")
        if kind not in LIBRARY:
            raise Refused(f"Inject '{o.inject}' tidak ada di MSEL maupun pustaka",
                          f"Inject '{o.inject}' is neither in the MSEL nor in the library")
        mag, text_id, text_en = LIBRARY[kind]
        if not self.applying:
            return 0.0
        n = sum(1 for k in m.msel.items if k.startswith("adhoc-")) + 1
        inj = Inject(id=f"adhoc-{n}", effect=InjectEffect(
            type=kind, district=o.district, magnitude=o.magnitude if o.magnitude is not None
            else mag), text_id=text_id, text_en=text_en, turn=m.turn)
        m.msel.items[inj.id] = MselItem(inj)
        m.fire(inj.id)
        return 0.0

    def _hold_inject(self, o: HoldInject) -> float:
        m = self.model
        item = m.msel.items.get(o.inject)
        if item is None:
            raise Refused(f"Inject '{o.inject}' tidak ada di MSEL",
                          f"Inject '{o.inject}' is not in the MSEL")
        if item.status != "pending" or o.inject in self.injects_used:
            status = item.status if item.status != "pending" else "fired or held this turn"
            raise Refused(f"Inject '{o.inject}' sudah {status}",
                          f"Inject '{o.inject}' is already {status}")
        self.injects_used.add(o.inject)
        if self.applying:
            item.status = "held"
        return 0.0
