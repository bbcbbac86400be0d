"""Hooks that keep a page live: hub subscriptions and a clock, both per browser tab."""

from __future__ import annotations

import threading
import time
from typing import Any

import solara
from solara.server import kernel_context

from viz.hub import get_hub


def _context() -> Any:
    return kernel_context.get_current_context() if kernel_context.has_current_context() else None


def use_live(exercise_id: str | None) -> int:
    """Subscribe this page to an exercise; returns a version that changes with it."""
    version, set_version = solara.use_state(0)

    def subscribe():
        if exercise_id is None:
            return None
        hub = get_hub()
        token = hub.subscribe(exercise_id, _context(), set_version)
        return lambda: hub.unsubscribe(token)

    solara.use_effect(subscribe, [exercise_id])
    return version


def use_clock(seconds: float, active: bool = True) -> float:
    """The wall clock, re-rendering this component every ``seconds`` while ``active``."""
    now, set_now = solara.use_state(time.time())

    def run():
        if not active:
            return None
        ctx = _context()
        stop = threading.Event()

        def loop():
            while not stop.wait(seconds):
                try:
                    if ctx is None:
                        set_now(time.time())
                    else:
                        with ctx:
                            set_now(time.time())
                except Exception:
                    return

        threading.Thread(target=loop, daemon=True, name="wg-clock").start()
        return stop.set

    solara.use_effect(run, [active, seconds])
    return now
