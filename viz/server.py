"""Serve the browser UI: ``serve(host, port)`` runs Solara on ``viz.app`` in production mode.

Solara reads its settings when first imported, so the server runs in a child process whose
environment points Solara at the offline asset cache (no CDN is ever contacted) and at the
data directory. Ctrl-C stops the child cleanly.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from wargame import assets


def command(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "solara", "run", "viz.app", "--host", host, "--port",
            str(port), "--production", "--no-open"]


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault(assets.ENV, str(assets.cache_dir()))
    env.setdefault("WARGAME_DATA_DIR", str(Path("runs").resolve()))
    env.setdefault("SOLARA_THEME_SHOW_BANNER", "False")
    root = str(Path(__file__).resolve().parent.parent)  # so `viz.app` imports from a checkout
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def serve(host: str = "127.0.0.1", port: int = 8765) -> int:
    """Run the UI server until Ctrl-C (or until it exits); returns its exit code."""
    env = environment()
    missing = assets.missing(Path(env[assets.ENV]))
    if missing:
        print(f"warning: offline asset cache {env[assets.ENV]} lacks {', '.join(missing)}; "
              "run `python -c 'from wargame import assets; assets.ensure()'`", file=sys.stderr)
    print(f"Sispamkota wargame UI on http://{host}:{port}/ (data: {env['WARGAME_DATA_DIR']})")
    proc = subprocess.Popen(command(host, port), env=env)

    def stop(signum, frame):  # a SIGTERM stops the server as Ctrl-C does
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        try:
            return proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8765)
    a = ap.parse_args()
    sys.exit(serve(a.host, a.port))
