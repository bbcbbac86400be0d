"""Policy lab (``/lab``): solo runs of a doctrine whose parameters you set, turn by turn or
continuously; change the policy mid-run; compare with the previous run. Per browser tab;
nothing is stored (a demonstration, not an exercise)."""

from __future__ import annotations

import threading
from contextlib import nullcontext

import solara

from viz import policy
from viz.hub import MAX_SEED
from viz.i18n import t
from viz.live import _context
from viz.panels import ChartsPanel, Header, MapPanel, MetricsTable
from viz.series import turn_series
from wargame.catalog import bundled_names, load_bundled
from wargame.doctrine import RuleDoctrine
from wargame.exercise import Exercise
from wargame.players import FunctionPlayer, bundled_player, doctrine_names, red_names


def _choice(allowed: list[str], setter):
    """An ``on_value`` for a Select that applies only values from its list: solara does not
    check what a client sends against the options, so the server does."""
    def apply(value):
        if value in allowed:
            setter(value)
    return apply


class LabRun:
    """One solo run; its blue player reads the current policy at every turn, so a change
    takes effect from the next turn."""

    def __init__(self, scenario: str, seed: int, red: str, doctrine: RuleDoctrine) -> None:
        self.doctrine = doctrine
        self.exercise = Exercise(load_bundled(scenario), seed, red=bundled_player(red, "red"),
                                 blue=FunctionPlayer(lambda view: self.doctrine.decide(view)))

    def step(self) -> None:
        if not self.exercise.finished:
            self.exercise.advance()


@solara.component
def PolicyControls(params: dict, set_params):
    def upd(k):
        return lambda v: set_params({**params, k: v})

    with solara.Card(t("policy"), classes=["wg-policy"]):
        solara.Checkbox(label="engage (Bhabinkamtibmas/Binmas)", value=params["engage"],
                        on_value=upd("engage"))
        solara.SliderInt("engage top-N", thumb_label="always",
                         value=params["engage_top"], min=0, max=12,
                         on_value=upd("engage_top"))
        solara.Checkbox(label="counter_hoax (cyber)", value=params["counter_hoax"],
                        on_value=upd("counter_hoax"))
        solara.Checkbox(label="patrol (KRYD)", value=params["patrol"], on_value=upd("patrol"))
        solara.SliderInt("patrol top-N", thumb_label="always",
                         value=params["patrol_top"], min=0, max=12,
                         on_value=upd("patrol_top"))
        solara.SliderFloat("guard_tps share", thumb_label="always",
                           value=params["guard_tps_share"], min=0, max=1,
                           step=0.05, on_value=upd("guard_tps_share"))
        solara.Checkbox(label="negotiate first", value=params["negotiate_first"],
                        on_value=upd("negotiate_first"))
        solara.Select("respond mode", values=["ladder", "disperse"],
                      value=params["respond_mode"], on_value=upd("respond_mode"))
        solara.Checkbox(label="reinforce (Brimob BKO)", value=params["reinforce"],
                        on_value=upd("reinforce"))
        solara.SliderInt("reinforce personnel", thumb_label="always",
                         value=params["reinforce_personnel"], min=20,
                         max=400, step=20, on_value=upd("reinforce_personnel"))
        solara.Checkbox(label="recall to reserve", value=params["recall"],
                        on_value=upd("recall"))
        solara.Text(t("applies_next"), style={"font-size": "0.8em", "color": "#666"})


@solara.component
def LabPage():
    scenario, set_scenario = solara.use_state("banyuwangi-pilkada-2024")
    seed, set_seed = solara.use_state(1)
    red, set_red = solara.use_state("opportunist")
    base, set_base_name = solara.use_state("preemptive")
    params, set_params = solara.use_state(policy.params_of(policy.base("preemptive")))
    version, set_version = solara.use_state(0)
    playing, set_playing = solara.use_state(False)
    previous, set_previous = solara.use_state(None)  # (series, metrics) of the last run
    doctrine = RuleDoctrine(policy.build(base, params))
    run = solara.use_ref(None)
    if run.current is None:
        run.current = LabRun(scenario, seed, red, doctrine)
    lab: LabRun = run.current
    lab.doctrine = doctrine  # the policy as it stands now: used from the next turn on

    def set_valid_params(new: dict) -> None:
        """Only parameters that make a valid doctrine are applied: a client can send a
        value no widget offers (a negative top-N, an unknown mode, NaN)."""
        try:
            policy.build(base, new)
        except (ValueError, TypeError, OverflowError):
            return
        set_params(new)

    def set_base(name: str):
        set_base_name(name)
        set_params(policy.params_of(policy.base(name)))

    def new_run():
        view = lab.exercise.observe("white")
        if lab.exercise.reports:
            set_previous((turn_series(lab.exercise, view), view["metrics"]))
        run.current = LabRun(scenario, int(seed), red, doctrine)
        set_playing(False)
        set_version(version + 1)

    def step():
        lab.step()
        set_version(version + 1)

    def loop():
        if not playing:
            return None
        ctx, stop = _context(), threading.Event()

        def go():
            n = version
            while not stop.is_set() and not lab.exercise.finished:
                lab.step()
                n += 1
                with ctx if ctx is not None else nullcontext():
                    set_version(n)
                stop.wait(0.6)
            if not stop.is_set():
                with ctx if ctx is not None else nullcontext():
                    set_playing(False)

        threading.Thread(target=go, daemon=True, name="wg-lab").start()
        return stop.set

    solara.use_effect(loop, [playing, run.current])
    view = lab.exercise.observe("white")
    Header(view, t("lab"))
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "center"}):
        solara.Select(t("scenario"), values=bundled_names(), value=scenario,
                      on_value=_choice(bundled_names(), set_scenario))
        solara.InputInt(t("seed"), value=seed,
                        on_value=lambda v: set_seed(v) if 0 <= v <= MAX_SEED else None)
        solara.Select(t("red_by"), values=red_names(), value=red,
                      on_value=_choice(red_names(), set_red))
        solara.Select(t("doctrine"), values=doctrine_names(), value=base,
                      on_value=_choice(doctrine_names(), set_base))
    with solara.Row(style={"flex-wrap": "wrap"}):
        solara.Button(t("step"), on_click=step, disabled=playing or view["finished"],
                      classes=["wg-step"])
        solara.Button(t("pause") if playing else t("play"), color="primary",
                      on_click=lambda: set_playing(not playing), classes=["wg-play"],
                      disabled=view["finished"] and not playing)
        solara.Button(t("new_run"), on_click=new_run, classes=["wg-new-run"])
    with solara.Columns([1, 3]):
        PolicyControls(params, set_valid_params)
        with solara.Column():
            with solara.Columns([3, 2]):
                MapPanel(view, lab.exercise, version, t("map_truth"))
                MetricsTable(view["metrics"], previous[1] if previous else None)
            ChartsPanel(lab.exercise, view, version, previous[0] if previous else None,
                        run=id(lab))
