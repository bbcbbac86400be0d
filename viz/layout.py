"""The frame of every page: title, navigation, language switch, glossary."""

from __future__ import annotations

import solara

from viz.i18n import Glossary, LangSwitch, t


@solara.component
def Layout(children=[]):  # noqa: B006 - solara passes children this way
    solara.Title(t("app"))
    with solara.Column(style={"padding": "8px 16px", "max-width": "1500px", "margin": "auto"}):
        with solara.Row(style={"align-items": "center", "border-bottom": "2px solid #1f4e9c",
                               "padding-bottom": "4px"}):
            solara.Text(t("app"), style={"font-size": "1.35em", "font-weight": "bold",
                                         "color": "#1f4e9c"})
            solara.v.Spacer()
            with solara.Link("/"):
                solara.Button(t("lobby"), text=True)
            with solara.Link("/lab"):
                solara.Button(t("lab"), text=True)
            solara.Text(t("language") + ":")
            LangSwitch()
        solara.Column(children=children)
        Glossary()
