"""The process-wide hub: every exercise of this server, its join codes and its live pages.

One plain Python object per server process (a ``solara.reactive`` would be per browser
tab). Every change goes through the exercise protocol and is written to the SQLite event
log *before* it is applied, under the exercise's lock; on start every stored exercise is
rebuilt by replay, so a crash or restart loses no decision. After a change the hub
re-enters each subscribed page's kernel context and bumps its version, so every
connected browser re-renders with no reload.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wargame.catalog import load
from wargame.exercise import Exercise
from wargame.orders import FireInject, HoldInject, Orders, Verdict
from wargame.players import bundled_player
from wargame.scenario import Scenario
from wargame.store import ExerciseStore, replay

ROLES = ("white", "blue", "red", "observer")
MAX_SEED = 2**63 - 1
MAX_MINUTES = 240
LANGS = ("id", "en")
log = logging.getLogger(__name__)
DEFAULT = {"scenario": "banyuwangi-pilkada-2024", "seed": 1, "blue": None, "red": "opportunist"}


def data_path() -> Path:
    return Path(os.environ.get("WARGAME_DATA_DIR", "runs")) / "exercises.sqlite"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass
class Session:
    """One exercise as the UI knows it: the protocol object plus its settings."""

    id: str
    exercise: Exercise
    settings: dict[str, Any]
    blue: str | None
    red: str | None
    version: int = 0
    last_push_s: float = 0.0  # how long the last push to every page took

    @property
    def codes(self) -> dict[str, str]:
        return self.settings["codes"]

    @property
    def name(self) -> str:
        return self.settings.get("name", self.id)

    def human(self, side: str) -> bool:
        return (self.blue if side == "blue" else self.red) is None


@dataclass
class _Sub:
    exercise_id: str
    context: Any  # solara kernel context (None outside a server, e.g. in tests)
    setter: Any


@dataclass
class Hub:
    store: ExerciseStore
    sessions: dict[str, Session] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    subs: dict[str, _Sub] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # stored exercises not opened, why
    pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(8, "wg-push"))

    # ------------------------------------------------------------------ life cycle
    @classmethod
    def open(cls, path: str | Path | None = None, default: bool = True) -> Hub:
        hub = cls(ExerciseStore(path or data_path()))
        for row in hub.store.exercises():  # rebuild every stored exercise by replay
            try:
                ex = replay(hub.store, row["id"], players=bundled_player)
            except ValueError as exc:  # e.g. a player name an older version let a page store
                hub.skipped[row["id"]] = str(exc)
                log.warning("exercise %s not opened: %s", row["id"], exc)
                continue
            hub.sessions[row["id"]] = Session(row["id"], ex, row["settings"], row["blue"],
                                              row["red"])
        if default and not hub.sessions:
            hub.create(load(DEFAULT["scenario"]), DEFAULT["seed"], blue=DEFAULT["blue"],
                       red=DEFAULT["red"])
        return hub

    def create(self, scenario: Scenario, seed: int, *, blue: str | None, red: str | None,
               name: str = "", lang: str = "id", minutes: int = 20) -> Session:
        """A new exercise with fresh join codes per role, recorded in the store.

        Every value is checked here, on the server, whatever the page offered: players are
        bundled names only (never an import path or a file), the seed and the minutes per
        turn are whole numbers in range. A bad value raises ``ValueError`` with the reason.
        """
        if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= MAX_SEED:
            raise ValueError(f"seed must be a whole number from 0 to {MAX_SEED}, got {seed!r}")
        if not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
            raise ValueError(f"minutes per turn must be from 1 to {MAX_MINUTES}, got {minutes!r}")
        if lang not in LANGS:
            raise ValueError(f"language must be one of {', '.join(LANGS)}, got {lang!r}")
        ex = Exercise(scenario, seed, blue=bundled_player(blue, "blue"),
                      red=bundled_player(red, "red"))
        with self.lock:
            taken = {c for s in self.sessions.values() for c in s.codes.values()}
            codes = {}
            for role in ROLES:
                code = secrets.token_hex(3)
                while code in taken:
                    code = secrets.token_hex(3)
                codes[role] = code
                taken.add(code)
            settings = {"codes": codes, "name": name or scenario.meta.name, "lang": lang,
                        "minutes": minutes, "turn_started": _now()}
            ex_id = self.store.create(scenario, seed, blue=blue, red=red, name=settings["name"],
                                      settings=settings)
            session = Session(ex_id, ex, settings, blue, red)
            self.sessions[ex_id] = session
        return session

    def by_code(self, code: str) -> tuple[Session, str] | None:
        code = (code or "").strip().lower()
        with self.lock:
            for s in self.sessions.values():
                for role, c in s.codes.items():
                    if c == code:
                        return s, role
        return None

    def get(self, exercise_id: str) -> Session:
        with self.lock:
            return self.sessions[exercise_id]

    # ------------------------------------------------------------------ changes
    def submit(self, exercise_id: str, orders: Orders) -> list[Verdict]:
        """Sealed orders: logged, then handed to the exercise; every page is told."""
        s = self.get(exercise_id)
        with s.exercise.lock:
            verdicts = self._submit(s, orders)
        self.push(exercise_id)  # never while holding the lock: pages read the exercise
        return verdicts

    def white_line(self, exercise_id: str, line: FireInject | HoldInject) -> list[Verdict]:
        """Add an inject order to white's orders for this turn (applied when it advances)."""
        s = self.get(exercise_id)
        with s.exercise.lock:
            prev = s.exercise.submitted.get("white")
            lines = [*(prev.lines if prev else []), line]
            verdicts = self._submit(s, Orders(side="white", lines=lines))
        self.push(exercise_id)
        return verdicts

    def _submit(self, s: Session, orders: Orders) -> list[Verdict]:
        if s.exercise.finished:
            raise RuntimeError("the exercise is over")
        self.store.append(s.id, "submit", orders.model_dump(mode="json"))
        return s.exercise.submit(orders)

    def advance(self, exercise_id: str) -> float:
        """Adjudicate the turn; returns the seconds it took including the push to pages."""
        t0 = time.perf_counter()
        s = self.get(exercise_id)
        with s.exercise.lock:
            if s.exercise.finished:
                raise RuntimeError("the exercise is over")
            # Logged once it has happened: the advance is deterministic, so a crash before
            # the append just means replay stops before it (every submission is logged).
            s.exercise.advance()
            self.store.append(exercise_id, "advance", {})
            s.settings["turn_started"] = _now()
            self.store.update_settings(exercise_id, s.settings)
        self.push(exercise_id)
        return time.perf_counter() - t0

    def set_minutes(self, exercise_id: str, minutes: int) -> None:
        s = self.get(exercise_id)
        with s.exercise.lock:
            s.settings["minutes"] = int(minutes)
            s.settings["turn_started"] = _now()
            self.store.update_settings(exercise_id, s.settings)
        self.push(exercise_id)

    # ------------------------------------------------------------------ live pages
    def subscribe(self, exercise_id: str, context: Any, setter: Any) -> str:
        token = secrets.token_hex(8)
        with self.lock:
            self.subs[token] = _Sub(exercise_id, context, setter)
        return token

    def unsubscribe(self, token: str) -> None:
        with self.lock:
            self.subs.pop(token, None)

    def push(self, exercise_id: str) -> float:
        """Bump the exercise's version and re-render every page that watches it (in
        parallel); returns the seconds until all pages have re-rendered."""
        t0 = time.perf_counter()
        with self.lock:
            s = self.sessions[exercise_id]
            s.version += 1
            version = s.version
            subs = [(k, v) for k, v in self.subs.items() if v.exercise_id == exercise_id]
        futures = [(k, self.pool.submit(_deliver, sub, version)) for k, sub in subs]
        for token, fut in futures:
            if not fut.result():
                self.unsubscribe(token)  # the page is gone
        s.last_push_s = time.perf_counter() - t0
        return s.last_push_s


def _deliver(sub: _Sub, version: int) -> bool:
    try:
        if sub.context is None:
            sub.setter(version)
        else:
            with sub.context:
                sub.setter(version)
        return True
    except Exception:  # a closed browser tab must not break the others
        return False


_hub: Hub | None = None
_hub_lock = threading.Lock()


def get_hub() -> Hub:
    """The hub of this process, opened (and replayed from the store) on first use."""
    global _hub
    with _hub_lock:
        if _hub is None:
            _hub = Hub.open()
        return _hub


def set_hub(hub: Hub | None) -> None:
    """Replace the process hub (tests)."""
    global _hub
    with _hub_lock:
        _hub = hub
