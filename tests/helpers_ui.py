"""Shared pieces of the browser-less UI tests: ways to find rendered widgets by CSS class
and read their text (the ``hub`` fixture is in conftest.py)."""

from __future__ import annotations

import ipyvuetify as v
import ipywidgets

from viz import hub as hubmod


def first_session(h: hubmod.Hub) -> hubmod.Session:
    return next(iter(h.sessions.values()))


def walk(w):
    yield w
    kids = list(getattr(w, "children", None) or [])
    kids += [s["children"] for s in getattr(w, "v_slots", None) or []]
    for k in kids:
        if isinstance(k, ipywidgets.Widget):
            yield from walk(k)


def by_class(rc, cls: str, kind=ipywidgets.Widget) -> list:
    """Every rendered widget of ``kind`` carrying the CSS class ``cls``."""
    return [w for root in rc.find(ipywidgets.Widget).widgets for w in walk(root)
            if isinstance(w, kind) and cls in (getattr(w, "class_", None) or "").split()]


def one(rc, cls: str, kind=ipywidgets.Widget):
    found = by_class(rc, cls, kind)
    assert len(found) == 1, f"{len(found)} widgets with class {cls}"
    return found[0]


def texts(rc, cls: str) -> list[str]:
    """The text of every widget carrying CSS class ``cls`` (Alerts, Texts)."""
    out = []
    for w in by_class(rc, cls):
        children = getattr(w, "children", None)
        out.append(" ".join(str(c) for c in children) if children else str(getattr(w, "v_model",
                                                                                    "")))
    return out


def pick(rc, label: str, startswith: str) -> None:
    w = rc.find(v.Select, label=label).widget
    w.v_model = next(x for x in w.items if str(x).startswith(startswith))
