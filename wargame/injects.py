"""Injects (the MSEL, master scenario events list) and their effects on the model.

An inject fires at a turn, or when a condition on the ground truth holds ("tension in a
district above x"), or when the facilitator fires it ad hoc. Each effect works through the
model's own state (legitimacy, rumour load, mobilisation, incidents, speeds), so what it
causes afterwards is up to the mechanisms, not the inject.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from wargame.scenario import Inject, InjectEffect

if TYPE_CHECKING:
    from wargame.calendar import Tick
    from wargame.model import WargameModel

# The facilitator's library of ad-hoc injects: effect type -> (default magnitude, id, en).
LIBRARY: dict[str, tuple[float, str, str]] = {
    "legitimacy_shock": (0.1, "Kabar dugaan kecurangan penyelenggara beredar luas",
                         "Reports of alleged organiser fraud spread widely"),
    "hoax": (0.4, "Hoaks bernuansa SARA viral di media sosial",
             "A SARA-tinged hoax goes viral on social media"),
    "rally": (0.05, "Massa pendukung turun ke jalan", "Supporters take to the streets"),
    "logistics_delay": (0.5, "Distribusi logistik pemilu terlambat",
                        "Election logistics are delayed"),
    "disputed_recap": (0.1, "Saksi paslon menolak menandatangani berita acara rekapitulasi",
                       "A Paslon's witness refuses to sign the recapitulation minutes"),
    "weather": (0.5, "Hujan lebat dan banjir", "Heavy rain and floods"),
    "tps_incident": (1.0, "Keributan di TPS", "A scuffle breaks out at a TPS"),
}


@dataclass
class MselItem:
    inject: Inject
    status: str = "pending"  # pending, fired, held
    fired_turn: int | None = None
    district: str | None = None  # facilitator's edit
    magnitude: float | None = None


class Msel:
    """The scenario's injects with their state (pending / fired / held)."""

    def __init__(self, injects: list[Inject]) -> None:
        self.items = {j.id: MselItem(j) for j in injects}

    def due(self, turn: int) -> list[MselItem]:
        return [i for i in self.items.values()
                if i.status == "pending" and i.inject.turn == turn]

    def triggered(self, model: WargameModel) -> list[tuple[MselItem, str]]:
        """Pending triggered injects whose condition holds now, each with the district
        that met it first (the one most past the threshold)."""
        out = []
        for item in self.items.values():
            trig = item.inject.trigger
            if item.status != "pending" or trig is None or item.inject.turn is not None:
                continue
            values = field_values(model, trig.field)
            if trig.district is not None:  # that district's value alone
                values = values[model.index[trig.district]:][:1]
            excess = (values - trig.above) if trig.above is not None else (trig.below - values)
            if np.count_nonzero(excess > 0):
                out.append((item, trig.district or model.district_ids[int(np.argmax(excess))]))
        return out


def field_values(model: WargameModel, name: str) -> np.ndarray:
    """Ground-truth per-district field named in a trigger."""
    if name == "tension":
        return model.tension
    if name == "rumour":
        return model.rumour
    if name == "active_fraction":
        return model.active_share
    if name == "legitimacy":
        return model.recorder.perceived_legitimacy()
    raise ValueError(f"unknown trigger field {name!r}")


def apply_effect(model: WargameModel, tick: Tick, effect: InjectEffect, inject_id: str,
                 text_id: str, text_en: str) -> None:
    """Apply an inject's effect to the model and log it with its text for the players."""
    m = effect.magnitude
    where = (np.arange(model.n) if effect.district is None
             else np.array([model.index[effect.district]]))
    kind = effect.type
    if kind == "legitimacy_shock":
        model.legit_election[where] = np.clip(model.legit_election[where] - m, 0, 1)
        model.legit_police[where] = np.clip(model.legit_police[where] - m / 2, 0, 1)
    elif kind == "hoax":
        model.rumour[where] = np.clip(model.rumour[where] + m, 0, 1)
    elif kind == "rally":
        model.turn_mobilised[where] += m
    elif kind == "logistics_delay":
        model.legit_election[where] = np.clip(model.legit_election[where] - m * 0.05, 0, 1)
        model.tps_delay[where] = m
    elif kind == "disputed_recap":
        model.losers_extra += m
    elif kind == "weather":
        model.weather = float(np.clip(m, 0, 0.9))
    elif kind == "tps_incident":
        for d in where:
            size = model.params.incident.event_crowd[1] * (1 + m)
            model.open_incident(tick, "tps_disruption", int(d), size,
                                f"inject {inject_id}: {text_en}")
    else:  # pragma: no cover - the schema admits only the types above
        raise ValueError(kind)
    model.log(tick, "inject", None if effect.district is None else int(where[0]), text_id,
              text_en, inject=inject_id, effect=kind, magnitude=m)
