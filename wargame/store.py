"""Saved exercises: an SQLite event log from which any exercise can be rebuilt.

A run is a pure function of (scenario, seed, players, orders per turn), so an exercise is
stored as its set-up plus the ordered list of what people did: each submitted ``Orders``
and each turn advance. Replaying the log through a fresh ``Exercise`` rebuilds the exact
state — after a crash or a restart of the UI server, no decision is lost. The same log
serves replay, the after-action report and "what-if" branches from any turn.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wargame.exercise import Exercise
from wargame.orders import Orders
from wargame.players import Player, load_player
from wargame.scenario import Scenario, parse_scenario

SCHEMA = """
CREATE TABLE IF NOT EXISTS exercises (
    id TEXT PRIMARY KEY,
    created TEXT NOT NULL,
    name TEXT NOT NULL,
    scenario_id TEXT NOT NULL,
    scenario_digest TEXT NOT NULL,
    scenario_json TEXT NOT NULL,
    seed INTEGER NOT NULL,
    blue TEXT,
    red TEXT,
    settings_json TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS events (
    exercise_id TEXT NOT NULL REFERENCES exercises(id),
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload_json TEXT NOT NULL,
    PRIMARY KEY (exercise_id, seq)
);
"""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class ExerciseStore:
    """An SQLite file of exercises and their event logs (safe to share between threads)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # a decision is on disk when we return
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ------------------------------------------------------------------ writing
    def create(self, scenario: Scenario, seed: int, *, blue: str | None = None,
               red: str | None = None, name: str = "",
               settings: dict[str, Any] | None = None) -> str:
        """Record a new exercise's set-up; returns its id."""
        with self._lock:
            ex_id = secrets.token_hex(4)
            while self._db.execute("SELECT 1 FROM exercises WHERE id = ?",
                                   (ex_id,)).fetchone():
                ex_id = secrets.token_hex(4)
            self._db.execute(
                "INSERT INTO exercises VALUES (?,?,?,?,?,?,?,?,?,?)",
                (ex_id, _now(), name or scenario.meta.name, scenario.meta.id,
                 scenario.digest(), json.dumps(scenario.model_dump(mode="json")), seed, blue,
                 red, json.dumps(settings or {})))
        return ex_id

    def append(self, exercise_id: str, kind: str, payload: dict[str, Any]) -> int:
        """Append one event (``submit`` with orders, ``advance``) to an exercise's log."""
        with self._lock:
            cur = self._db.execute(
                "SELECT COALESCE(MAX(seq), -1) + 1 FROM events WHERE exercise_id = ?",
                (exercise_id,))
            seq = int(cur.fetchone()[0])
            self._db.execute("INSERT INTO events VALUES (?,?,?,?,?)",
                             (exercise_id, seq, _now(), kind, json.dumps(payload)))
        return seq

    def update_settings(self, exercise_id: str, settings: dict[str, Any]) -> None:
        with self._lock:
            self._db.execute("UPDATE exercises SET settings_json = ? WHERE id = ?",
                             (json.dumps(settings), exercise_id))

    # ------------------------------------------------------------------ reading
    def exercises(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, created, name, scenario_id, seed, blue, red, settings_json "
                "FROM exercises ORDER BY created").fetchall()
        return [{"id": r[0], "created": r[1], "name": r[2], "scenario": r[3], "seed": r[4],
                 "blue": r[5], "red": r[6], "settings": json.loads(r[7])} for r in rows]

    def events(self, exercise_id: str) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, at, kind, payload_json FROM events WHERE exercise_id = ? "
                "ORDER BY seq", (exercise_id,)).fetchall()
        return [{"seq": r[0], "at": r[1], "kind": r[2], "payload": json.loads(r[3])}
                for r in rows]

    def setup(self, exercise_id: str) -> dict[str, Any]:
        with self._lock:
            r = self._db.execute(
                "SELECT scenario_json, seed, blue, red, settings_json FROM exercises "
                "WHERE id = ?", (exercise_id,)).fetchone()
        if r is None:
            raise KeyError(f"no exercise {exercise_id!r} in {self.path}")
        return {"scenario": json.loads(r[0]), "seed": r[1], "blue": r[2], "red": r[3],
                "settings": json.loads(r[4])}


def replay(store: ExerciseStore, exercise_id: str, upto: int | None = None, *,
           players: Callable[[str | None, str], Player | None] = load_player) -> Exercise:
    """Rebuild an exercise from its log (the first ``upto`` events, or all of them).

    ``players`` turns the stored player names into players: the UI server passes
    ``bundled_player``, so a name a browser managed to store never reaches an import.
    """
    s = store.setup(exercise_id)
    scenario = parse_scenario(s["scenario"], f"exercise {exercise_id}")
    ex = Exercise(scenario, s["seed"], blue=players(s["blue"], "blue"),
                  red=players(s["red"], "red"))
    for event in store.events(exercise_id)[:upto]:
        if event["kind"] == "submit":
            ex.submit(Orders.model_validate(event["payload"]))
        elif event["kind"] == "advance":
            ex.advance()
    return ex
