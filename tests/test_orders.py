"""Orders and the referee: every refusal reason, and what accepted lines really do.

Each refusal is checked twice through the exercise protocol: in the preview that
``Exercise.submit`` returns (``Referee.check``) and in the verdict of the turn report when
the turn is adjudicated (``Referee.apply``). Both must refuse, with a reason in English and
in Bahasa Indonesia.
"""

from __future__ import annotations

import json

import pytest
from conftest import seen_during_turn, variant

from agents import LinmasUnit, TniUnit
from wargame.exercise import Exercise
from wargame.orders import (
    Arrest,
    Deploy,
    FireInject,
    Gakkumdu,
    Hoax,
    HoldInject,
    Mobilise,
    Orders,
    PeaceDeclaration,
    Provoke,
    Reinforce,
    Respond,
    Verdict,
)
from wargame.scenario import Task

MSEL = [
    {"id": "fraud-rumour", "turn": 3, "effect": {"type": "legitimacy_shock", "magnitude": 0.05},
     "text_id": "Isu kecurangan", "text_en": "Fraud rumours"},
    {"id": "late-ballots", "turn": 4, "effect": {"type": "logistics_delay", "district": "barat",
                                                "magnitude": 0.5},
     "text_id": "Logistik terlambat", "text_en": "Ballots are late"},
]


# ----------------------------------------------------------------------------- helpers
def adjudicate(ex: Exercise, side: str, *lines) -> tuple[list[Verdict], list[Verdict]]:
    """Submit ``lines`` for ``side`` and advance: (preview verdicts, applied verdicts)."""
    preview = ex.submit(Orders(side=side, lines=list(lines)))
    report = ex.advance()
    return preview, report.verdicts[side]


def assert_refused(preview: Verdict, final: Verdict, *fragments: str) -> None:
    for v in (preview, final):
        assert not v.accepted, v
        assert v.reason_en and v.reason_id, "a refusal needs a reason in both languages"
        assert v.reason_id != v.reason_en
        for f in fragments:
            assert f in v.reason_en, (f, v.reason_en)
    assert (preview.reason_en, preview.reason_id) == (final.reason_en, final.reason_id)


def refused_last(ex: Exercise, side: str, *lines, fragments: tuple[str, ...]) -> None:
    """All lines but the last are accepted; the last is refused with ``fragments``."""
    preview, final = adjudicate(ex, side, *lines)
    for p, f in zip(preview[:-1], final[:-1], strict=True):
        assert p.accepted and f.accepted, (p, f)
    assert_refused(preview[-1], final[-1], *fragments)


def incident(ex: Exercise, district: str = "kota", *, level: int = 0, reported: bool = True,
             size: float = 400.0):
    """An incident opened on the spot (the engine's own ``open_incident``)."""
    m = ex.model
    inc = m.open_incident(m.current_tick, "unrest", m.index[district], size, "test crowd")
    inc.reported, inc.level, inc.max_level = reported, level, level
    return inc


def skip_turns(ex: Exercise, n: int) -> None:
    for _ in range(n):
        ex.advance()


@pytest.fixture()
def ex(tutorial) -> Exercise:
    return Exercise(tutorial, 3)


@pytest.fixture()
def ex_full(tutorial_full) -> Exercise:
    return Exercise(tutorial_full, 3)


@pytest.fixture()
def ex_msel(tutorial_full) -> Exercise:
    return Exercise(variant(tutorial_full, injects=MSEL), 3)


# ----------------------------------------------------------------------------- lookups
def test_unknown_unit_is_refused(ex):
    refused_last(ex, "blue", Deploy(unit="ghost", to="kota", task=Task.PRESENCE),
                 fragments=("There is no unit 'ghost'",))


@pytest.mark.parametrize("line", [
    Deploy(unit="samapta", to="atlantis", task=Task.PRESENCE),
    Arrest(unit="polsek-kota", district="atlantis"),
    Reinforce(source="brimob", personnel=10, to="atlantis"),
    PeaceDeclaration(district="atlantis"),
], ids=["deploy", "arrest", "reinforce", "peace"])
def test_unknown_district_is_refused(ex, line):
    refused_last(ex, "blue", line, fragments=("There is no district 'atlantis'",))


def test_unknown_district_is_refused_for_red_and_white(ex):
    refused_last(ex, "red", Hoax(district="atlantis"),
                 fragments=("There is no district 'atlantis'",))
    refused_last(ex, "white", FireInject(inject="lib:hoax", district="atlantis"),
                 fragments=("There is no district 'atlantis'",))


def test_a_line_of_another_side_is_refused(ex):
    refused_last(ex, "red", Deploy(unit="samapta", to="barat", task=Task.PRESENCE),
                 fragments=("'deploy' is not an order for the red side",))
    refused_last(ex, "blue", Hoax(district="barat"),
                 fragments=("'hoax' is not an order for the blue side",))


# ----------------------------------------------------------------------------- strength
def test_a_unit_cannot_get_two_orders_in_one_turn(ex):
    refused_last(ex, "blue", Deploy(unit="samapta", to="barat", task=Task.PRESENCE),
                 Deploy(unit="samapta", to="timur", task=Task.PRESENCE),
                 fragments=("Sat Samapta Polres already has an order this turn",))
    u = ex.model.unit_by_id["samapta"]
    assert u.destination == ex.model.index["barat"], "the first order stands"


def test_personnel_above_strength_is_refused(ex):
    refused_last(ex, "blue",
                 Deploy(unit="samapta", to="barat", task=Task.PRESENCE, personnel=41),
                 fragments=("Asks for 41 personnel but Sat Samapta Polres has only 40 available",))
    assert ex.model.unit_by_id["samapta"].strength == 40
    assert "samapta.1" not in ex.model.unit_by_id


def test_personnel_above_what_is_left_after_a_detachment_is_refused(ex):
    preview, final = adjudicate(
        ex, "blue",
        Deploy(unit="samapta", to="barat", task=Task.PRESENCE, personnel=30),
        Deploy(unit="samapta", to="timur", task=Task.PRESENCE, personnel=11),
        Deploy(unit="samapta", to="utara", task=Task.PRESENCE, personnel=10))
    assert [v.accepted for v in preview] == [True, False, True]
    assert [v.accepted for v in final] == [True, False, True]
    assert_refused(preview[1], final[1], "has only 10 available")
    m = ex.model
    assert m.unit_by_id["samapta.1"].strength == 30
    assert m.unit_by_id["samapta"].strength == 10  # the rest went whole, no new detachment
    assert m.unit_by_id["samapta"].destination == m.index["utara"]
    assert "samapta.2" not in m.unit_by_id


# ----------------------------------------------------------------------------- tasks
@pytest.mark.parametrize(("unit", "task"), [
    ("linmas-kota", Task.RESERVE), ("cyber", Task.GUARD_TPS), ("intelkam", Task.PRESENCE),
    ("brimob-sst", Task.ENGAGE), ("koramil-kota", Task.INTEL), ("negosiator", Task.GUARD_TPS),
])
def test_a_task_the_kind_cannot_do_is_refused(ex_full, unit, task):
    u = ex_full.model.unit_by_id[unit]
    refused_last(ex_full, "blue", Deploy(unit=unit, to="kota", task=task),
                 fragments=(f"{u.name} ({u.kind}) cannot be tasked with '{task}'",))


def test_linmas_cannot_respond(ex):
    """Linmas are unarmed: they keep order at their own TPS, but neither a deploy nor a
    respond order commits them to a crowd."""
    inc = incident(ex)
    refused_last(ex, "blue", Deploy(unit="linmas-kota", to="kota", task=Task.RESPOND),
                 fragments=("cannot be tasked with 'respond'",))
    ex2 = Exercise(ex.scenario, 3)
    inc = incident(ex2)
    refused_last(ex2, "blue", Respond(unit="linmas-kota", incident=inc.id),
                 fragments=("Linmas Sukamaju Kota (linmas) cannot be tasked with 'respond'",))


def test_incident_tasks_need_a_respond_order(ex):
    for task in (Task.RESPOND, Task.DISPERSE):
        refused_last(ex, "blue", Deploy(unit="dalmas", to="kota", task=task),
                     fragments=("To handle an incident use a 'respond' order",))


def test_guard_site_needs_a_site(ex):
    refused_last(ex, "blue", Deploy(unit="samapta", to="kota", task=Task.GUARD_SITE),
                 fragments=("Guarding needs an existing site",))
    refused_last(ex, "blue",
                 Deploy(unit="samapta", to="kota", task=Task.GUARD_SITE, site="nowhere"),
                 fragments=("Guarding needs an existing site",))


def test_guard_site_in_another_district_is_refused(ex):
    refused_last(ex, "blue",
                 Deploy(unit="samapta", to="barat", task=Task.GUARD_SITE, site="kpu"),
                 fragments=("Kantor KPU Kabupaten Sukamaju is not in Sukamaju Barat",))


def test_guard_site_in_its_district_is_carried_out(ex):
    preview, final = adjudicate(
        ex, "blue", Deploy(unit="samapta", to="timur", task=Task.GUARD_SITE, site="gudang"))
    assert preview[0].accepted and final[0].accepted
    u = ex.model.unit_by_id["samapta"]
    assert (u.task, u.site, u.district) == (Task.GUARD_SITE, "gudang", ex.model.index["timur"])


# ----------------------------------------------------------------------------- respond
def test_respond_to_an_unknown_incident_is_refused(ex):
    refused_last(ex, "blue", Respond(unit="samapta", incident=99),
                 fragments=("There is no report of incident #99",))


def test_respond_to_an_unreported_incident_is_refused(ex):
    inc = incident(ex, reported=False)
    refused_last(ex, "blue", Respond(unit="samapta", incident=inc.id),
                 fragments=(f"There is no report of incident #{inc.id}",))


def test_respond_to_a_closed_incident_is_refused(ex):
    inc = incident(ex)
    inc.open = False
    refused_last(ex, "blue", Respond(unit="samapta", incident=inc.id),
                 fragments=(f"Incident #{inc.id} is already over",))


def test_negotiate_by_a_unit_that_cannot_is_refused(ex):
    inc = incident(ex)
    refused_last(ex, "blue", Respond(unit="polsek-kota", incident=inc.id, mode="negotiate"),
                 Respond(unit="dalmas", incident=inc.id, mode="negotiate"),
                 fragments=("Pleton Dalmas Polres cannot negotiate",))
    assert ex.model.unit_by_id["polsek-kota"].task in (Task.NEGOTIATE, Task.PRESENCE)


def test_respond_by_a_unit_without_crowd_control_is_refused(ex):
    inc = incident(ex)
    refused_last(ex, "blue", Respond(unit="intelkam", incident=inc.id),
                 fragments=("Sat Intelkam cannot control crowds",))


def test_tni_cannot_disperse(ex):
    inc = incident(ex, level=1)
    refused_last(ex, "blue", Respond(unit="koramil-kota", incident=inc.id, mode="disperse"),
                 fragments=("TNI back Polri up with cordons; they do not disperse crowds",))


@pytest.mark.parametrize("level", [0, 1])
def test_brimob_cannot_disperse_before_merah(ex, level):
    """Perkap 16/2006: PHH Brimob only when the crowd goes from kuning to merah."""
    inc = incident(ex, level=level)
    refused_last(ex, "blue", Respond(unit="brimob-sst", incident=inc.id, mode="disperse"),
                 fragments=("Brimob PHH enters only", "(Perkap 16/2006)"))


def test_brimob_may_disperse_at_merah_and_ladder_respond_at_any_colour(ex):
    hijau = incident(ex, level=0)
    merah = incident(ex, level=2)
    v = ex.check(Orders(side="blue", lines=[
        Respond(unit="brimob-sst", incident=merah.id, mode="disperse", personnel=10),
        Respond(unit="brimob-sst", incident=hijau.id, mode="ladder", personnel=10)]))
    assert all(x.accepted for x in v), v
    preview, final = adjudicate(ex, "blue", Respond(unit="brimob-sst", incident=hijau.id))
    assert preview[0].accepted and final[0].accepted


# ----------------------------------------------------------------------------- arrest
@pytest.mark.parametrize("unit", ["koramil-kota", "babinsa-barat"])
def test_tni_cannot_arrest(ex, unit):
    refused_last(ex, "blue", Arrest(unit=unit, district="kota"),
                 fragments=("does not make arrests; that is Polri's job",))


def test_arrest_by_a_police_kind_without_the_task_is_refused(ex):
    refused_last(ex, "blue", Arrest(unit="samapta", district="kota"),
                 fragments=("cannot be tasked with 'arrest'",))


def test_arrest_by_polri_moves_the_unit_on_an_arrest_task(ex):
    preview, final = adjudicate(ex, "blue", Arrest(unit="polsek-kota", district="barat"))
    assert preview[0].accepted and final[0].accepted
    u = ex.model.unit_by_id["polsek-kota"]
    assert (u.task, u.destination) == (Task.ARREST, ex.model.index["barat"])


# ----------------------------------------------------------------------------- reinforce
def test_brimob_reinforcement_above_what_the_polda_has_is_refused(ex):
    refused_last(ex, "blue", Reinforce(source="brimob", personnel=101, to="kota"),
                 fragments=("The Polda can send only 100 more Brimob personnel",))
    preview, final = adjudicate(ex, "blue", Reinforce(source="brimob", personnel=60, to="kota"))
    assert preview[0].accepted and final[0].accepted
    assert final[0].eta_hours == ex.model.params.reinforcements.brimob_delay_hours
    assert ex.model.reinforced["brimob"] == 60
    assert ex.observe("blue")["norms"]["brimob_left"] == 40
    refused_last(ex, "blue", Reinforce(source="brimob", personnel=41, to="kota"),
                 fragments=("The Polda can send only 40 more Brimob personnel",))
    # Within one submission the referee counts what the earlier lines took (when applied).
    final = ex.referee.apply(Orders(side="blue", lines=[
        Reinforce(source="brimob", personnel=30, to="kota"),
        Reinforce(source="brimob", personnel=11, to="barat")]))
    assert [v.accepted for v in final] == [True, False]
    assert "only 10 more" in final[1].reason_en


def test_tni_reinforcement_above_what_the_kodim_has_is_refused(ex):
    refused_last(ex, "blue", Reinforce(source="tni", personnel=301, to="kota"),
                 fragments=("The Kodim can send only 300 more TNI personnel",))


def _tni_cap(m) -> tuple[int, int]:
    """(cap, TNI strength now) computed independently of the referee."""
    police = sum(u.strength for u in m.units if not isinstance(u, TniUnit | LinmasUnit))
    tni = sum(u.strength for u in m.units if isinstance(u, TniUnit))
    return int(m.params.reinforcements.tni_cap * police), tni


def test_tni_assistance_is_capped_at_two_thirds_of_polri(ex):
    cap, tni = _tni_cap(ex.model)
    assert 0 < cap - tni < 300, "the cap, not the Kodim's availability, must bind"
    v = ex.check(Orders(side="blue", lines=[Reinforce(source="tni", personnel=cap - tni,
                                                      to="kota")]))
    assert v[0].accepted and v[0].eta_hours == ex.model.params.reinforcements.tni_delay_hours
    refused_last(ex, "blue", Reinforce(source="tni", personnel=cap - tni + 1, to="kota"),
                 fragments=(f"TNI strength would be {cap + 1}, above 2/3 of Polri's strength "
                            f"({cap})",))


def test_tni_within_the_cap_arrives_and_counts_against_it(ex):
    cap, tni = _tni_cap(ex.model)
    preview, final = adjudicate(ex, "blue", Reinforce(source="tni", personnel=cap - tni,
                                                      to="barat"))
    assert preview[0].accepted and final[0].accepted
    m = ex.model
    bko = [u for u in m.units if u.unit_id.startswith("bko-tni")]
    assert [(u.strength, u.home) for u in bko] == [(cap - tni, m.index["barat"])]
    refused_last(ex, "blue", Reinforce(source="tni", personnel=1, to="kota"),
                 fragments=("above 2/3 of Polri's strength",))


def test_brimob_on_its_way_raises_the_tni_cap(ex):
    """Pending Brimob BKO count as Polri strength for the 2/3 cap."""
    m = ex.model
    cap, tni = _tni_cap(m)
    police = sum(u.strength for u in m.units if not isinstance(u, TniUnit | LinmasUnit))
    wider = int(m.params.reinforcements.tni_cap * (police + 100))
    assert wider > cap
    final = ex.referee.apply(Orders(side="blue", lines=[
        Reinforce(source="tni", personnel=wider - tni, to="kota"),
        Reinforce(source="brimob", personnel=100, to="kota"),
        Reinforce(source="tni", personnel=wider - tni, to="kota")]))
    assert [v.accepted for v in final] == [False, True, True], final
    assert f"({cap})" in final[0].reason_en


# ----------------------------------------------------------------------------- pre-emptive
def test_a_second_peace_declaration_in_a_stage_is_refused(ex):
    refused_last(ex, "blue", PeaceDeclaration(district="kota"),
                 PeaceDeclaration(district="kota"),
                 fragments=("A peace declaration was already held here in this stage",))
    assert ex.model.current_tick.stage.id == "campaign"  # turn 1: still the campaign
    refused_last(ex, "blue", PeaceDeclaration(district="kota"),
                 fragments=("already held here in this stage",))
    preview, final = adjudicate(ex, "blue", PeaceDeclaration(district="kota"))  # quiet period
    assert preview[0].accepted and final[0].accepted


def test_peace_declaration_calms_rumours_and_restores_legitimacy(ex):
    m = ex.model
    d = m.index["kota"]
    m.rumour[d], m.legit_police[d] = 0.6, m.legit_police0[d] - 0.2
    before = (m.rumour[d], m.legit_police[d])
    v = ex.referee.apply(Orders(side="blue", lines=[PeaceDeclaration(district="kota")]))
    assert v[0].accepted
    assert m.rumour[d] == pytest.approx(before[0] / 2)
    assert m.legit_police[d] > before[1]
    assert any(e["kind"] == "peace_declaration" for e in m.events)


def test_gakkumdu_needs_reskrim_in_the_district(ex, ex_full):
    refused_last(ex, "blue", Gakkumdu(district="kota"),
                 fragments=("Gakkumdu needs Sat Reskrim in Sukamaju Kota",))
    refused_last(ex_full, "blue", Gakkumdu(district="kota"), Gakkumdu(district="barat"),
                 fragments=("Gakkumdu needs Sat Reskrim in Sukamaju Barat",))


def test_an_accepted_gakkumdu_is_in_force_during_its_turn(ex_full):
    seen = seen_during_turn(ex_full, lambda m: bool(m.gakkumdu[m.index["kota"]]))
    preview, final = adjudicate(ex_full, "blue", Gakkumdu(district="kota"))
    assert preview[0].accepted and final[0].accepted
    assert seen and all(seen)


# ----------------------------------------------------------------------------- red
def test_red_hoaxes_beyond_the_budget_are_refused(ex):
    n = ex.model.params.red.hoax_per_turn
    refused_last(ex, "red", *[Hoax(district="barat")] * (n + 1),
                 fragments=("No 'hoax' capacity left this turn",))
    preview, final = adjudicate(ex, "red", *[Hoax(district="kota")] * n)  # a new turn's budget
    assert all(v.accepted for v in preview + final)


def test_red_mobilisation_beyond_the_budget_is_refused(ex):
    n = ex.model.params.red.mobilise_per_turn
    refused_last(ex, "red", *[Mobilise(district="barat")] * n, Mobilise(district="kota"),
                 fragments=("No 'mobilise' capacity left this turn",))


def test_red_mobilisation_of_an_unknown_paslon_is_refused(ex):
    refused_last(ex, "red", Mobilise(district="barat", candidate="paslon9"),
                 fragments=("No Paslon 'paslon9'",))


def test_provoke_by_an_unknown_team_is_refused(ex):
    refused_last(ex, "red", Provoke(team="team-9", district="barat"),
                 fragments=("There is no team 'team-9'",))


def test_provoke_by_an_arrested_team_is_refused(ex):
    ex.model.team_by_id["team-1"].arrested = True
    refused_last(ex, "red", Provoke(team="team-2", district="barat"),
                 Provoke(team="team-1", district="barat"),
                 fragments=("Team team-1 was arrested",))


def test_a_team_cannot_get_two_orders_in_one_turn(ex):
    refused_last(ex, "red", Provoke(team="team-1", district="barat"),
                 Provoke(team="team-1", district="timur"),
                 fragments=("Team team-1 already has an order this turn",))


# ----------------------------------------------------------------------------- white
def test_firing_an_unknown_inject_is_refused(ex):
    refused_last(ex, "white", FireInject(inject="alien-invasion"),
                 fragments=("'alien-invasion' is neither in the MSEL nor in the library",))
    refused_last(ex, "white", FireInject(inject="lib:earthquake"),
                 fragments=("neither in the MSEL nor in the library",))


def test_firing_an_inject_twice_is_refused(ex_msel):
    preview, final = adjudicate(ex_msel, "white", FireInject(inject="fraud-rumour"))
    assert preview[0].accepted and final[0].accepted
    assert ex_msel.model.msel.items["fraud-rumour"].status == "fired"
    refused_last(ex_msel, "white", FireInject(inject="fraud-rumour"),
                 fragments=("Inject 'fraud-rumour' has already fired",))


def test_an_adhoc_inject_cannot_be_fired_again(ex):
    adjudicate(ex, "white", FireInject(inject="lib:hoax", district="barat"))
    assert ex.model.msel.items["adhoc-1"].status == "fired"
    refused_last(ex, "white", FireInject(inject="adhoc-1"),
                 fragments=("Inject 'adhoc-1' has already fired",))


def test_holding_a_fired_or_unknown_inject_is_refused(ex_msel):
    adjudicate(ex_msel, "white", FireInject(inject="fraud-rumour"))
    refused_last(ex_msel, "white", HoldInject(inject="fraud-rumour"),
                 fragments=("Inject 'fraud-rumour' is already fired",))
    adjudicate(ex_msel, "white", HoldInject(inject="late-ballots"))
    assert ex_msel.model.msel.items["late-ballots"].status == "held"
    refused_last(ex_msel, "white", HoldInject(inject="late-ballots"),
                 fragments=("Inject 'late-ballots' is already held",))
    refused_last(ex_msel, "white", HoldInject(inject="nope"),
                 fragments=("Inject 'nope' is not in the MSEL",))


# ----------------------------------------------------------------------------- check vs apply
@pytest.mark.parametrize(("side", "lines"), [
    ("blue", [Reinforce(source="brimob", personnel=60, to="kota"),
              Reinforce(source="brimob", personnel=60, to="barat")]),
    ("white", [FireInject(inject="fraud-rumour"), FireInject(inject="fraud-rumour")]),
    ("white", [HoldInject(inject="late-ballots"), HoldInject(inject="late-ballots")]),
], ids=["brimob-twice", "fire-twice", "hold-twice"])
def test_the_submit_preview_matches_the_adjudicated_verdicts(ex_msel, side, lines):
    preview, final = adjudicate(ex_msel, side, *lines)
    assert [v.accepted for v in preview] == [v.accepted for v in final]


# ----------------------------------------------------------------------------- effects
def test_valid_lines_stand_when_another_line_is_refused(ex):
    preview, final = adjudicate(
        ex, "blue",
        Deploy(unit="ghost", to="kota", task=Task.PRESENCE),
        Deploy(unit="samapta", to="barat", task=Task.PRESENCE),
        Deploy(unit="brimob-sst", to="kota", task=Task.ENGAGE),
        Deploy(unit="koramil-kota", to="kota", task=Task.CHECKPOINT))
    assert [v.accepted for v in final] == [False, True, False, True]
    assert [v.accepted for v in preview] == [False, True, False, True]
    m = ex.model
    sam, kor = m.unit_by_id["samapta"], m.unit_by_id["koramil-kota"]
    assert (sam.district, sam.travelling, sam.task) == (m.index["barat"], False, Task.PRESENCE)
    assert kor.task == Task.CHECKPOINT
    assert m.unit_by_id["brimob-sst"].task == Task.RESERVE


def test_a_detachment_really_splits_strength(ex):
    preview, final = adjudicate(
        ex, "blue", Deploy(unit="samapta", to="timur", task=Task.PRESENCE, personnel=15))
    assert preview[0].accepted and final[0].accepted
    m = ex.model
    parent, part = m.unit_by_id["samapta"], m.unit_by_id["samapta.1"]
    assert (parent.strength, part.strength) == (25, 15)
    assert parent.strength + part.strength == 40
    assert (parent.district, parent.task) == (m.index["kota"], Task.RESERVE)
    assert (part.district, part.task) == (m.index["timur"], Task.PRESENCE)
    seen = {u["id"]: u for u in ex.observe("blue")["units"]}
    assert (seen["samapta"]["strength"], seen["samapta.1"]["strength"]) == (25, 15)
    assert sum(u.strength for u in m.units if u.unit_id.split(".")[0] == "samapta") == 40


def test_travel_takes_time(ex):
    """Linmas walk at 15 km/h: Utara → Kota → Barat (34 km) takes 2.3 h, more than one
    2-hour tick of a voting turn."""
    skip_turns(ex, 3)
    m = ex.model
    assert m.current_tick.hours == 2.0
    orders = Orders(side="blue", lines=[Deploy(unit="linmas-utara", to="barat",
                                               task=Task.PRESENCE)])
    preview = ex.check(orders)[0]
    assert preview.accepted and preview.eta_hours == pytest.approx(34 / 15)
    applied = ex.referee.apply(orders)[0]  # what Exercise.advance does, tick by tick
    assert applied.eta_hours == pytest.approx(preview.eta_hours)
    u = m.unit_by_id["linmas-utara"]
    m.step()
    assert u.travelling and u.district != m.index["barat"]
    assert ex.observe("blue")["units"][[x.unit_id for x in m.units].index(u.unit_id)][
        "eta_hours"] > 0
    m.step()
    assert not u.travelling and u.district == m.index["barat"]


def _state(m) -> str:
    """Everything an order line may change, as one string."""
    return json.dumps({
        "units": [(u.unit_id, u.strength, u.district, list(u.route), u.hours_to_next,
                   str(u.task), u.site, u.incident, u.fatigue, u.personnel_hours)
                  for u in m.units],
        "reinforced": m.reinforced, "pending": m.pending,
        "peace": sorted(m.peace_declared),
        "arrays": [a.tolist() for a in (m.rumour, m.turn_mobilised, m.gakkumdu, m.tps_delay,
                                        m.legit_police, m.legit_election)],
        "weather": m.weather, "losers_extra": m.losers_extra,
        "teams": [(t.team_id, t.district, list(t.route), t.active, t.detected, t.arrested)
                  for t in m.teams],
        "msel": {k: (i.status, i.fired_turn) for k, i in m.msel.items.items()},
        "events": m.events, "incidents": len(m.incidents),
        "rng": m.rng.bit_generator.state,
    }, default=str, sort_keys=True)


def test_check_changes_nothing(ex_msel):
    ex = ex_msel
    inc = incident(ex)
    twin = Exercise(ex.scenario, 3)
    incident(twin)
    every = {
        "blue": [Deploy(unit="samapta", to="barat", task=Task.PRESENCE, personnel=10),
                 Deploy(unit="dalmas", to="kota", task=Task.GUARD_SITE, site="bawaslu"),
                 Respond(unit="brimob-sst", incident=inc.id),
                 Arrest(unit="reskrim", district="barat"),
                 Reinforce(source="brimob", personnel=50, to="kota"),
                 Reinforce(source="tni", personnel=20, to="timur"),
                 PeaceDeclaration(district="kota"), Gakkumdu(district="kota")],
        "red": [Hoax(district="barat"), Mobilise(district="timur"),
                Provoke(team="team-1", district="selatan")],
        "white": [FireInject(inject="lib:hoax", district="barat"),
                  FireInject(inject="fraud-rumour"), HoldInject(inject="late-ballots")],
    }
    before = _state(ex.model)
    for side, lines in every.items():
        verdicts = ex.check(Orders(side=side, lines=lines))
        assert all(v.accepted for v in verdicts), verdicts
        assert _state(ex.model) == before
    # ...and the turn runs exactly as if nobody had looked.
    assert ex.advance().metrics == twin.advance().metrics
    assert _state(ex.model) == _state(twin.model)


def test_orders_cost_personnel_hours_and_fatigue(ex):
    inc = incident(ex, level=0)
    adjudicate(ex, "blue",
               Deploy(unit="samapta", to="kota", task=Task.GUARD_SITE, site="bawaslu",
                      personnel=20),
               Respond(unit="brimob-sst", incident=inc.id))
    m = ex.model
    reserve = m.unit_by_id["samapta"]  # the other 20 stayed in reserve
    guard, respond = m.unit_by_id["samapta.1"], m.unit_by_id["brimob-sst"]
    idle = m.unit_by_id["koramil-kota"]  # in reserve all along
    assert reserve.task == idle.task == Task.RESERVE
    assert guard.personnel_hours > reserve.personnel_hours
    assert respond.personnel_hours > idle.personnel_hours
    assert guard.fatigue > reserve.fatigue and respond.fatigue > idle.fatigue
    # The run's outcome counts them.
    quiet = Exercise(ex.scenario, 3)
    incident(quiet)
    quiet.advance()
    assert m.metrics()["personnel_hours"] > quiet.model.metrics()["personnel_hours"]
