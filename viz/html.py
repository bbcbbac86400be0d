"""Plain HTML tables and rich text (``solara.Markdown`` pulls mermaid from a CDN: avoided)."""

from __future__ import annotations

from html import escape
from typing import Any

import solara

STYLE = ("border-collapse:collapse;font-size:0.85em;width:100%",
         "border-bottom:1px solid #ddd;padding:2px 6px;text-align:left")


@solara.component
def Table(cols: list[str], rows: list[list[Any]], classes: list[str] | None = None):
    head = "".join(f"<th style='{STYLE[1]}'>{escape(str(c))}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td style='{STYLE[1]}'>{escape(str(x))}</td>" for x in r)
                   + "</tr>" for r in rows)
    solara.HTML(tag="div", classes=classes or [],
                unsafe_innerHTML=f"<table style='{STYLE[0]}'><tr>{head}</tr>{body}</table>")


@solara.component
def Rich(parts: list[tuple[str, bool]], classes: list[str] | None = None):
    """A line of text whose parts are (text, bold)."""
    html = "".join(f"<b>{escape(p)}</b>" if bold else escape(p) for p, bold in parts)
    solara.HTML(tag="div", classes=classes or [], unsafe_innerHTML=html)
