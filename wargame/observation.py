"""What each side sees: its own picture of the exercise, derived from ground truth.

- **white** (the facilitator) sees everything.
- **blue** sees its own units exactly; tension and rumour only as estimates, noisy and
  late where Intelkam/Bhabinkamtibmas coverage is thin; incidents once reported; crowds
  where its units or intelligence reach; provocateur teams once detected.
- **red** sees its own teams and means, what is public (reported incidents, the result),
  uniformed police presence, and how aggrieved its own supporters are.

A view is plain JSON-able data — read-only: the parts that never change (the map, each
unit's profile) are shared between views — and a pure function of the model's state: observing does
not draw from the model's random stream (noise comes from a generator seeded by the run's
observation seed, the turn and the side), so looking never changes what happens.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.random.bit_generator import ISeedSequence

from wargame.incidents import LEVELS
from wargame.rounding import rounded
from wargame.scenario import Task

if TYPE_CHECKING:
    from wargame.model import WargameModel

SIDES = ("blue", "red", "white")
_SIDE_CODE = {s: i for i, s in enumerate(SIDES)}
UNIFORMED = {Task.PRESENCE, Task.SHOW_OF_FORCE, Task.GUARD_TPS, Task.GUARD_SITE, Task.ESCORT,
             Task.CHECKPOINT, Task.RESPOND, Task.DISPERSE, Task.NEGOTIATE}


def _r(x: float, nd: int = 4) -> float:
    return round(float(x), nd)


def _static(m: WargameModel) -> dict[str, Any]:
    """The map and the cast, which never change in a run: built once per model."""
    cached = m.__dict__.get("_static_view")
    if cached is None:
        cached = m._static_view = _build_static(m)
    return cached


def _build_static(m: WargameModel) -> dict[str, Any]:
    sc = m.setting
    return {
        "districts": [{"id": d.id, "name": d.name, "lat": d.lat, "lon": d.lon,
                       "population": d.population, "voters": d.voters,
                       "tps": d.tps.model_dump(), "vulnerability": d.vulnerability,
                       "sara_exposure": d.sara_exposure, "villages": d.villages,
                       "coast": d.coast} for d in sc.districts],
        "edges": [{"a": e.a, "b": e.b, "km": e.km} for e in sc.edges],
        "candidates": [{"id": c.id, "name": c.name, "colour": c.colour}
                       for c in sc.candidates],
        "sites": [{"id": s.site_id, "kind": s.kind, "name": s.name,
                   "district": m.district_ids[s.district]} for s in m.sites],
    }


def _header(m: WargameModel, side: str) -> dict[str, Any]:
    t = m.current_tick
    return {"side": side, "scenario": m.setting.meta.id, "turn": m.turn,
            "turns": m.ticks[-1].turn + 1, "finished": m.finished,
            "time": t.start.isoformat(),
            "stage": {"id": t.stage.id, "name": t.stage.name, "name_en": t.stage.name_en,
                      "result_known": t.stage.result_known, "tps_open": t.stage.tps_open},
            **_static(m)}


def _unit_template(m: WargameModel, u) -> dict[str, Any]:
    """What never changes about a unit, kept on it, with its state's keys in place: a
    unit's view is a copy of it with the state filled in (cheaper than a merge)."""
    ids, p = m.district_ids, u.profile
    template = u._static_view = {
        "id": u.unit_id, "name": u.name, "kind": str(u.kind), "home": ids[u.home],
        "home_task": str(u.home_task), "tni": bool(p.tni),
        "control_level": p.control_level, "control_power": p.control_power,
        "negotiation": p.negotiation, "engagement": p.engagement,
        "arrest_rate": p.arrest_rate, "speed_kmh": u.speed_kmh,
        "tasks": [str(t) for t in p.tasks],
        **dict.fromkeys(("strength", "district", "destination", "eta_hours", "task", "site",
                         "incident", "fatigue"))}
    return template


def _unit_views(m: WargameModel) -> list[dict[str, Any]]:
    """Every unit as its side sees it: profile and state (the profile's lists shared).

    Most units stand where they are, on the same task, from one turn to the next, and
    many of them no longer tire or recover: their view is the same as last time. So a
    standing unit keeps its last view with the state it was built from (the view of a
    standing unit depends on nothing else) and hands out the same read-only dict again
    while that state holds. A travelling unit's ETA changes by the hour: its view is
    always built afresh, and never kept.
    """
    ids = m.district_ids
    views = []
    for u, fatigue in zip(m.units, m.unit_ledger.fatigue.tolist(), strict=True):
        state = (u.strength, u.cell, u.task, u.site, u.incident, fatigue)
        route = u.route
        if not route:
            try:  # (an attribute read, cheaper than a look-up in the unit's __dict__)
                last = u._state_view
            except AttributeError:  # not seen standing yet
                last = None
            if last is not None and last[0] == state:
                views.append(last[1])
                continue
        try:
            template = u._static_view
        except AttributeError:
            template = _unit_template(m, u)
        v = template.copy()
        here = ids[u.district]
        v["strength"] = u.strength
        v["district"] = here
        v["destination"] = ids[route[-1]] if route else here
        v["eta_hours"] = _r(u.eta_hours(), 2) if route else 0.0
        v["task"] = str(u.task)
        v["site"] = u.site
        v["incident"] = u.incident
        v["fatigue"] = _r(fatigue, 3)
        if not route:
            u._state_view = (state, v)
        views.append(v)
    return views


def _incident_view(m: WargameModel, inc, size: float) -> dict[str, Any]:
    return {"id": inc.id, "kind": inc.kind, "district": m.district_ids[inc.district],
            "level": inc.level, "level_name": LEVELS[max(inc.level, 0)], "open": inc.open,
            "crowd_estimate": round(size), "site": inc.site, "turn": inc.turn,
            "negotiated": inc.negotiated}


def _norms(m: WargameModel) -> dict[str, Any]:
    """Doctrine that every player knows: the Perkap ladder's force needs, TPS patterns."""
    p = m.params
    return {"required_ratio": list(p.incident.required_ratio),
            "tps_guard_ratio": list(p.forces.tps_guard_ratio),
            "tni_cap": p.reinforcements.tni_cap,
            "brimob_left": p.reinforcements.brimob_available - m.reinforced["brimob"],
            "tni_left": p.reinforcements.tni_available - m.reinforced["tni"],
            "brimob_delay_hours": p.reinforcements.brimob_delay_hours,
            "tni_delay_hours": p.reinforcements.tni_delay_hours}


def observe(m: WargameModel, side: str) -> dict[str, Any]:
    """The view of ``side`` ('blue', 'red' or 'white') at the current turn."""
    if side not in _SIDE_CODE:
        raise ValueError(f"unknown side {side!r}; sides are {', '.join(SIDES)}")
    view = _header(m, side)
    if side == "white":
        view.update(_white(m))
    elif side == "blue":
        view.update(_blue(m))
    else:
        view.update(_red(m))
    return view


def _noise(m: WargameModel, side: str) -> np.random.Generator:
    """The generator of ``side``'s noise this turn: ``default_rng([obs_seed, turn, side])``.

    numpy seeds a generator by hashing the seed's 32-bit words into a pool
    (``SeedSequence``) and drawing the words PCG64 seeds from out of it: a few dozen
    32-bit multiplications, which numpy wraps in array handling that costs far more than
    they do (and more again in a run, where that code is cold), at every call. The seeds
    of every turn and side of a run are known from the start, so those words are worked
    out for all of them at once, as arrays, on the first call (``_seed_states``); each
    call then seeds PCG64 from its turn's and side's words (``_SeedWords``).
    """
    turn, code = m.turn, _SIDE_CODE[side]
    kept = m.__dict__.get("_noise_kept")
    if kept is None or kept[0] != m.obs_seed:
        turns = np.arange(m.ticks[-1].turn + 1)
        entropy = np.column_stack([  # [seed, turn, side] of every turn and side, as words
            np.tile(_uint32_words(m.obs_seed), (turns.size * len(SIDES), 1)),
            np.repeat(turns, len(SIDES)), np.tile(np.arange(len(SIDES)), turns.size)])
        states = _seed_states(entropy.astype(np.uint32), 8)
        # as SeedSequence hands them to PCG64: four 64-bit words, low 32 bits first
        kept = m._noise_kept = (m.obs_seed, list(states.astype("<u4").view("<u8").astype(
            np.uint64)))
    if not 0 <= turn < len(kept[1]) // len(SIDES):  # not a turn of the run: numpy's own
        return np.random.default_rng([m.obs_seed, turn, code])
    return np.random.Generator(np.random.PCG64(_SeedWords(kept[1][turn * len(SIDES) + code])))


class _SeedWords(ISeedSequence):
    """A seed sequence whose ``generate_state(n, np.uint64)`` (the one request PCG64
    makes) was worked out in advance: the 64-bit words a ``SeedSequence`` gives."""

    def __init__(self, words: np.ndarray) -> None:
        self.words = words

    def generate_state(self, n_words: int, dtype: Any = np.uint32) -> np.ndarray:
        if n_words == self.words.size and np.dtype(dtype) == np.uint64:
            return self.words
        raise ValueError(f"only {self.words.size} uint64 words were worked out")


# numpy's SeedSequence hash constants (numpy/random/bit_generator.pyx).
_INIT_A, _MULT_A, _INIT_B, _MULT_B = 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R = 0xCA01F9DD, 0x4973F715
_M32 = (1 << 32) - 1


def _seed_states(entropy: np.ndarray, n_words: int) -> np.ndarray:
    """``SeedSequence(row).generate_state(n_words)`` for each row of ``entropy`` (uint32
    words; no spawn key), as one array: numpy's hashing, on columns (uint32 arithmetic
    wraps as numpy's does).

    Each word is hashed into a pool of four (zeros hashed where there are fewer words),
    every pool word is mixed into every other, words beyond the fourth are mixed into
    each; the state is the pool's words, cycled, hashed again.
    """
    h = _INIT_A

    def hashed(value: np.ndarray) -> np.ndarray:
        nonlocal h
        value = value ^ h
        h = (h * _MULT_A) & _M32
        value = value * h
        return value ^ (value >> 16)

    def mixed(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        r = _MIX_L * x - _MIX_R * y
        return r ^ (r >> 16)

    words = list(entropy.T)
    pool = [hashed(words[i] if i < len(words) else np.zeros_like(words[0]))
            for i in range(4)]
    for src in range(4):
        for dst in range(4):
            if src != dst:
                pool[dst] = mixed(pool[dst], hashed(pool[src]))
    for word in words[4:]:
        for dst in range(4):
            pool[dst] = mixed(pool[dst], hashed(word))
    h, out = _INIT_B, []
    for i in range(n_words):
        value = pool[i % 4] ^ h
        h = (h * _MULT_B) & _M32
        value = value * h
        out.append(value ^ (value >> 16))
    return np.column_stack(out)


def _uint32_words(n: int) -> list[int]:
    """The 32-bit words ``SeedSequence`` reads a non-negative integer as: low word first,
    and one word 0 for 0."""
    if n < 0:
        raise ValueError("expected a non-negative integer")
    words = [n & 0xFFFFFFFF]
    n >>= 32
    while n:
        words.append(n & 0xFFFFFFFF)
        n >>= 32
    return words


def _gaussian(rng: np.random.Generator, scale: np.ndarray) -> np.ndarray:
    """``rng.normal(0, scale)``: the same draws and values where it matters, cheaply.

    numpy draws ``0 + scale * z`` for each element, one standard normal ``z`` each, in
    order, but its path for an array of scales costs several times the draws themselves;
    ``standard_normal(n) * scale`` draws the same ``z`` and multiplies the same way (only
    a zero's sign can differ: ``0 + -0.0`` is ``0.0``). Scales with the sign bit set
    (negative, or -0.0, which numpy refuses) are left to numpy.
    """
    if np.signbit(scale).any():
        return rng.normal(0, scale)
    return rng.standard_normal(scale.shape) * scale


def timeline_rows(m: WargameModel, turn: int) -> list[dict[str, Any]]:
    """The recorder's timeline rows of ``turn``, in order.

    The timeline grows by a row per district every turn and rows are only ever appended,
    so instead of scanning all of it whenever a turn's rows are needed, an index by turn
    is kept on the model (keyed on the list and its length) and extended with the rows
    appended since.
    """
    timeline = m.recorder.timeline
    index = m.__dict__.get("_timeline_index")
    if index is None or index[0] is not timeline or index[1] > len(timeline):
        index = (timeline, 0, {})
    by_turn: dict[int, list[dict[str, Any]]] = index[2]
    for row in timeline[index[1]:]:
        by_turn.setdefault(row["turn"], []).append(row)
    m._timeline_index = (timeline, len(timeline), by_turn)
    return by_turn.get(turn, [])


def _previous_turn_truth(m: WargameModel, key: str) -> np.ndarray:
    """Ground truth of ``key`` per district at the end of the previous turn (or now)."""
    rows = timeline_rows(m, m.turn - 2)
    if not rows:
        return getattr(m, key).copy()
    return np.array([r[key if key != "active_share" else "active_fraction"] for r in rows])


def _blue(m: WargameModel) -> dict[str, Any]:
    rng = _noise(m, "blue")
    ids, turn, cov = m.district_ids, m.turn, m.intel_coverage
    # Estimates: noise shrinks with coverage; below 0.3 coverage the picture is a turn late.
    sd = 0.15 * (1 - cov)
    late = cov < 0.3
    tension_src = m.tension
    if late.any():
        tension_src = np.where(late, _previous_turn_truth(m, "tension"), m.tension)
    tension = np.clip(tension_src + rng.normal(0, 1, m.n) * sd, 0, 1)
    online = min(1.0, m.counter_hoax / 2.0)  # cyber patrol sees what circulates online
    rumour = np.clip(m.rumour + rng.normal(0, 1, m.n) * 0.2 * (1 - online), 0, 1)
    # One draw per known incident, then one per crowd in sight, in that order: drawn as
    # arrays (the same stream, the same numbers as one draw at a time).
    known = [i for i in m.incidents if i.reported and (
        i.open or (i.closed_tick is not None and m.ticks[i.closed_tick].turn >= turn - 1))]
    seen = [c for c in m.crowds.values()
            if cov[c.district] >= 0.5 or m._units_at(c.district)]
    # exp(-0.0) is exp(0.0): the sign of a zero _gaussian may change does not show.
    off = np.exp(_gaussian(rng, 0.3 * (1 - cov[[i.district for i in known]]))).tolist()
    incidents = [_incident_view(m, i, i.crowd_size * e)
                 for i, e in zip(known, off, strict=True)]
    off = np.exp(rng.normal(0, 0.3, len(seen))).tolist()
    crowds = [{"district": ids[c.district], "origin": ids[c.origin],
               "size_estimate": int(c.size * e), "travelling": c.travelling}
              for c, e in zip(seen, off, strict=True)]
    teams = [{"id": t.team_id, "district": ids[t.district]}
             for t in m.teams if t.detected and not t.arrested and t.active]
    n = m.n
    at4 = rounded(np.concatenate((tension, rumour, cov)), 4)
    stage = m.current_tick.stage.id
    return {
        "units": _unit_views(m),
        "estimates": [{"district": d, "tension": t, "rumour": r, "late": x, "coverage": c}
                      for d, t, r, x, c in zip(ids, at4[:n], at4[n:2 * n], late.tolist(),
                                               at4[2 * n:], strict=True)],
        "incidents": incidents,
        "crowds": crowds,
        "provocateurs": teams,
        "norms": _norms(m),
        "pending_reinforcements": [{"source": p["source"], "personnel": p["personnel"],
                                    "to": ids[p["to"]], "hours": _r(p["hours"], 1)}
                                   for p in m.pending],
        "money_politics_detected": m.recorder.money_politics_detected,
        "peace_declared": sorted(ids[d] for d, s in m.peace_declared if s == stage),
    }


def _red(m: WargameModel) -> dict[str, Any]:
    rng = _noise(m, "red")
    ids, candidates = m.district_ids, m.setting.candidates
    presence = [0.0] * m.n  # sums of whole personnel: exact in any order
    for u in m.units:
        if u.task in UNIFORMED and not u.route and u.profile.presence > 0:
            presence[u.district] += u.strength
    # One draw per district, as an array; np.rint rounds half to even, as round() does.
    visible = np.rint(np.array(presence) * np.exp(rng.normal(0, 0.2, m.n))).astype(int)
    grievance = m._group_grievance()
    at4 = rounded(np.concatenate((grievance.ravel(), np.ravel(m.shares))), 4)
    g, shares = at4[:grievance.size], at4[grievance.size:]
    rp = m.params.red
    loser = int(np.argmin(m.vote_share))
    public = [_incident_view(m, i, i.crowd_size) for i in m.incidents if i.reported and i.open]
    return {
        "teams": [{"id": t.team_id, "district": ids[t.district],
                   "destination": ids[t.destination], "active": t.active,
                   "arrested": t.arrested, "size": t.size} for t in m.teams],
        "means": {"hoax_per_turn": rp.hoax_per_turn, "mobilise_per_turn": rp.mobilise_per_turn,
                  "teams": rp.provocateur_teams},
        "police_visible": [{"district": d, "personnel": p}
                           for d, p in zip(ids, visible.tolist(), strict=True)],
        "supporters": [{"district": d, "candidate": c.id, "grievance": g[k], "share": shares[k]}
                       for k, (c, d) in enumerate(itertools.product(candidates, ids))],
        "result": ({"winner": candidates[m.winner].id, "loser": candidates[loser].id,
                    "shares": {c.id: _r(m.vote_share[k]) for k, c in enumerate(candidates)}}
                   if m.current_tick.stage.result_known else None),
        "incidents": public,
    }


def _white(m: WargameModel) -> dict[str, Any]:
    legit = m.recorder.perceived_legitimacy()
    return {
        "truth": [{"district": d, "tension": _r(m.tension[i]),
                   "active_fraction": _r(m.active_share[i], 6), "rumour": _r(m.rumour[i]),
                   "legitimacy": _r(legit[i]), "legitimacy_police": _r(m.legit_police[i]),
                   "legitimacy_election": _r(m.legit_election[i]),
                   "presence": _r(m.presence[i], 1) if hasattr(m, "presence") else 0.0,
                   "intel_coverage": _r(m.intel_coverage[i]),
                   "street_share": _r(m.street_share()[i], 5)}
                  for i, d in enumerate(m.district_ids)],
        "units": _unit_views(m),
        "incidents": [{**_incident_view(m, i, i.crowd_size), "cause": i.cause,
                       "reported": i.reported, "max_level": i.max_level,
                       "injured": i.injured} for i in m.incidents],
        "crowds": [{"district": m.district_ids[c.district], "origin": m.district_ids[c.origin],
                    "size": int(c.size), "target": c.target_site, "travelling": c.travelling}
                   for c in m.crowds.values()],
        "teams": [{"id": t.team_id, "district": m.district_ids[t.district], "active": t.active,
                   "detected": t.detected, "arrested": t.arrested} for t in m.teams],
        "msel": [{"id": k, "status": i.status, "turn": i.inject.turn,
                  "trigger": i.inject.trigger.model_dump() if i.inject.trigger else None,
                  "effect": i.inject.effect.model_dump(), "text_id": i.inject.text_id,
                  "text_en": i.inject.text_en, "fired_turn": i.fired_turn}
                 for k, i in m.msel.items.items()],
        "norms": _norms(m),
        "metrics": m.metrics(),
    }
