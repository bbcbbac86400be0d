"""Front-end assets for offline use: fill Solara's asset cache from the npm registry.

Solara's server fetches its front-end files (the Vue app, require.js, fonts, Vega for
charts) from a public CDN at run time and caches them. A command centre is often offline
or air-gapped, and CI has no CDN: so the cache is filled ahead of time with ``npm pack``
(npm reaches its registry where the CDN is not reachable), one directory per
``name@version`` exactly as the CDN URL path, and the server is pointed at it with
``SOLARA_ASSETS_PROXY_CACHE_DIR``. Never committed (about 170 MB, mostly source maps).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

# What Solara 1.64 (ipyvuetify 3) asks its CDN for, and Vega for Altair charts.
PACKAGES = (
    "@widgetti/solara-vuetify3-app@5.2.0",
    "requirejs@2.3.6",
    "font-awesome@4.5.0",
    "vega@5",
    "vega-lite@5",
    "vega-embed@6",
)

ENV = "SOLARA_ASSETS_PROXY_CACHE_DIR"


def cache_dir() -> Path:
    """Where the cache lives: $SOLARA_ASSETS_PROXY_CACHE_DIR, else `.solara-assets` in the
    project (ignored by git)."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    return Path(__file__).resolve().parent.parent / ".solara-assets"


def missing(directory: Path | None = None) -> list[str]:
    d = directory or cache_dir()
    return [p for p in PACKAGES if not (d / p / "package.json").exists()]


def ensure(directory: Path | None = None, log=print) -> Path:
    """Download (with npm) every package not yet in the cache; return the cache path."""
    d = directory or cache_dir()
    todo = missing(d)
    if not todo:
        return d
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            "npm is needed once to fill the offline asset cache (apt-get install npm), or copy "
            f"a filled cache to {d} and set {ENV}")
    with tempfile.TemporaryDirectory() as tmp:
        for spec in todo:
            log(f"fetching {spec} from the npm registry")
            out = subprocess.run([npm, "pack", spec, "--silent", "--pack-destination", tmp],
                                 check=True, capture_output=True, text=True).stdout.split()
            tgz = Path(tmp) / out[-1]
            target = d / spec
            target.mkdir(parents=True, exist_ok=True)
            with tarfile.open(tgz) as tar:
                for member in tar.getmembers():
                    parts = Path(member.name).parts[1:]  # strip "package/"
                    if not parts:
                        continue
                    member.name = str(Path(*parts))
                    tar.extract(member, target, filter="data")
    return d
