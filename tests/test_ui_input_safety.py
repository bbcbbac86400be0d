"""Nothing a browser sends reaches an import or a file path.

``solara.Select`` does not check the value a client sends against its options, so a page
could name ``logging:FileHandler`` as a player (the server imported the module and built
the object) or a path as a scenario (the server read a file elsewhere on its disk). Here a
client's message is played by setting the widget's value on the server side, as the
websocket does, and the server must refuse it with a reason and change nothing.
"""

from __future__ import annotations

import importlib

import ipyvuetify as v
import pytest
import solara

from tests.helpers_ui import one, texts
from viz import hub as hubmod
from viz import policy
from viz.lab import LabPage, LabRun
from viz.lobby import NewExercise
from wargame.catalog import bundled_dir, load_bundled
from wargame.doctrine import Play, RuleDoctrine
from wargame.players import bundled_player, load_player
from wargame.scenario import ScenarioError

HOSTILE = ["logging:FileHandler", "os:system", "tests.helpers_players:RECORDER",
           str(bundled_dir() / "tutorial.toml"), "../../etc/passwd.toml", ""]


@pytest.fixture
def no_imports(monkeypatch):
    """Fail the test if anything asks importlib for a module the hostile values name
    (libraries import their own submodules this way too, so only those are refused)."""
    real = importlib.import_module
    named = {spec.partition(":")[0].split(".")[0] for spec in HOSTILE if ":" in spec}

    def refuse(name, *args, **kwargs):
        if name.split(".")[0] in named:
            raise AssertionError(f"the server imported {name!r} on a browser's word")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib, "import_module", refuse)


@pytest.mark.parametrize("side", ["blue", "red"])
@pytest.mark.parametrize("spec", HOSTILE)
def test_bundled_player_refuses_anything_but_a_bundled_name(spec, side, no_imports):
    with pytest.raises(ValueError, match=f"unknown {side} player"):
        bundled_player(spec, side)


def test_bundled_player_takes_the_bundled_names():
    assert bundled_player("preemptive", "blue").decide is not None
    assert bundled_player("opportunist", "red").decide is not None
    assert bundled_player("none", "red") is None and bundled_player(None, "blue") is None


def test_load_player_still_takes_import_paths_from_the_api():
    assert load_player("tests.helpers_players:RECORDER", "blue") is not None


@pytest.mark.parametrize("name", [*HOSTILE[3:], "tutorial.toml", "/tmp/x.toml"])
def test_load_bundled_never_reads_a_path(name):
    with pytest.raises(ScenarioError, match="not a bundled scenario"):
        load_bundled(name)
    assert load_bundled("tutorial").meta.id == "tutorial"


@pytest.mark.parametrize("field", ["Biru (Polri/TNI) dimainkan oleh",
                                   "Merah (provokator) dimainkan oleh"])
def test_lobby_refuses_an_import_path_sent_as_a_player(hub, field, no_imports, tmp_path,
                                                       monkeypatch):
    monkeypatch.chdir(tmp_path)  # a FileHandler would have created a file named blue/red here
    before = set(hub.sessions), sorted(p.name for p in tmp_path.iterdir())
    _box, rc = solara.render(NewExercise(on_created=lambda s: None), handle_error=False)
    rc.find(v.Select, label=field).widget.v_model = "logging:FileHandler"
    one(rc, "wg-create", v.Btn).click()
    assert (set(hub.sessions), sorted(p.name for p in tmp_path.iterdir())) == before
    assert len(hub.store.exercises()) == len(before[0])
    [message] = texts(rc, "wg-create-error")
    assert "logging:FileHandler" in message and "unknown" in message
    rc.close()


def test_lobby_refuses_a_path_sent_as_the_scenario(hub):
    n = len(hub.sessions)
    _box, rc = solara.render(NewExercise(on_created=lambda s: None), handle_error=False)
    rc.find(v.Select, label="Skenario").widget.v_model = str(bundled_dir() / "kpu-riot.toml")
    one(rc, "wg-create", v.Btn).click()
    assert len(hub.sessions) == n
    assert "not a bundled scenario" in texts(rc, "wg-create-error")[0]
    rc.close()


@pytest.mark.parametrize("seed", [-1, 10**20])
def test_lobby_refuses_a_seed_out_of_range_with_a_message(hub, seed):
    n = len(hub.sessions)
    _box, rc = solara.render(NewExercise(on_created=lambda s: None), handle_error=False)
    field = rc.find(v.TextField, label="Benih acak (seed)").widget
    field.v_model = str(seed)
    field.fire_event("focusout", None)  # the field commits its value when it loses focus
    one(rc, "wg-create", v.Btn).click()
    assert len(hub.sessions) == n
    assert "seed" in texts(rc, "wg-create-error")[0]
    rc.close()


def test_hub_refuses_bad_values_whatever_the_page(hub):
    sc = load_bundled("tutorial")
    for kwargs, problem in [({"blue": "os:system"}, "unknown blue player"),
                            ({"seed": -5}, "seed"), ({"minutes": -5}, "minutes"),
                            ({"lang": "fr"}, "language")]:
        args = {"seed": 1, "blue": None, "red": None, **kwargs}
        with pytest.raises(ValueError, match=problem):
            hub.create(sc, args.pop("seed"), **args)


def test_a_stored_import_path_is_not_replayed_at_restart(tmp_path, no_imports):
    """A store an older version let a page write to: the exercise is skipped and reported,
    the others open."""
    path = tmp_path / "exercises.sqlite"
    first = hubmod.Hub.open(path)
    sc = load_bundled("tutorial")
    bad = first.store.create(sc, 3, blue="logging:FileHandler", red=None, name="old",
                             settings={"codes": {}})
    first.store.close()
    again = hubmod.Hub.open(path)
    assert bad not in again.sessions and "logging:FileHandler" in again.skipped[bad]
    assert len(again.sessions) == 1
    again.store.close()


def test_lab_refuses_paths_and_import_paths(no_imports):
    doctrine = RuleDoctrine(policy.base("preemptive"))
    with pytest.raises(ScenarioError):
        LabRun(str(bundled_dir() / "tutorial.toml"), 1, "opportunist", doctrine)
    with pytest.raises(ValueError, match="unknown red player"):
        LabRun("tutorial", 1, "logging:FileHandler", doctrine)
    with pytest.raises(ValueError, match="unknown doctrine"):
        policy.base("../scenarios/tutorial")


def test_lab_page_ignores_values_no_widget_offers(hub, no_imports):
    _box, rc = solara.render(LabPage(), handle_error=False)
    red = rc.find(v.Select, label="Merah (provokator) dimainkan oleh").widget
    red.v_model = "logging:FileHandler"
    scenario = rc.find(v.Select, label="Skenario").widget
    scenario.v_model = str(bundled_dir() / "kpu-riot.toml")
    rc.find(v.Select, label="respond mode").widget.v_model = "charge"
    before = texts(rc, "wg-turn")
    one(rc, "wg-new-run", v.Btn).click()  # a new run from the settings the server kept
    one(rc, "wg-step", v.Btn).click()  # and its first turn plays (a bad mode would raise)
    [after] = texts(rc, "wg-turn")
    assert before == [after.replace("2/", "1/")] and after != before[0]  # same calendar
    rc.close()


@pytest.mark.parametrize("bad", [{"mode": "charge"}, {"mode": ""}, {"margin": float("inf")},
                                 {"margin": float("nan")}, {"share": float("nan")}])
def test_doctrine_plays_refuse_unknown_modes_and_non_finite_numbers(bad):
    with pytest.raises(ValueError):
        Play.model_validate({"play": "respond", **bad})
