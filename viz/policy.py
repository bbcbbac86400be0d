"""Policy-lab parameters → a doctrine file (data only: the plays and their parameters)."""

from __future__ import annotations

from typing import Any

from wargame.doctrine import DoctrineFile, Play, RuleDoctrine
from wargame.players import doctrine_dir, doctrine_names

DEFAULTS: dict[str, Any] = {"engage": True, "engage_top": 4, "counter_hoax": True,
                            "patrol": True, "patrol_top": 6, "guard_tps_share": 0.8,
                            "negotiate_first": True, "respond_mode": "ladder",
                            "reinforce": True, "reinforce_personnel": 100, "recall": True}


def base(name: str) -> DoctrineFile:
    """A bundled doctrine by name (a name from a browser never becomes a path)."""
    if name not in doctrine_names():
        raise ValueError(f"unknown doctrine {name!r} (bundled: {', '.join(doctrine_names())})")
    return RuleDoctrine.from_file(doctrine_dir() / f"{name}.toml").spec


def params_of(spec: DoctrineFile) -> dict[str, Any]:
    """The lab's parameters as a bundled doctrine sets them."""
    plays = {p.play: p for p in spec.plays}
    responds = [p for p in spec.plays if p.play == "respond"]
    main = next((p for p in responds if p.mode != "negotiate"), None)
    return {"engage": "engage" in plays, "engage_top": plays["engage"].top if "engage" in plays
            else DEFAULTS["engage_top"], "counter_hoax": "counter_hoax" in plays,
            "patrol": "patrol" in plays, "patrol_top": plays["patrol"].top if "patrol" in plays
            else DEFAULTS["patrol_top"],
            "guard_tps_share": plays["guard_tps"].share if "guard_tps" in plays else 0.0,
            "negotiate_first": any(p.mode == "negotiate" for p in responds),
            "respond_mode": main.mode if main else "ladder",
            "reinforce": "reinforce" in plays,
            "reinforce_personnel": plays["reinforce"].personnel if "reinforce" in plays
            else DEFAULTS["reinforce_personnel"], "recall": "recall" in plays}


def build(name: str, p: dict[str, Any]) -> DoctrineFile:
    """The bundled doctrine ``name`` with the lab's parameters applied to its plays."""
    spec = base(name)
    plays: list[Play] = []
    off = {k for k in ("engage", "counter_hoax", "patrol", "reinforce", "recall") if not p[k]}
    for play in spec.plays:
        if play.play in off or (play.play == "guard_tps" and p["guard_tps_share"] <= 0):
            continue
        if play.play == "respond" and play.mode == "negotiate" and not p["negotiate_first"]:
            continue
        update: dict[str, Any] = {}
        if play.play == "engage":
            update["top"] = int(p["engage_top"])
        elif play.play == "patrol":
            update["top"] = int(p["patrol_top"])
        elif play.play == "guard_tps":
            update["share"] = min(1.0, float(p["guard_tps_share"]))
        elif play.play == "respond" and play.mode != "negotiate":
            update["mode"] = p["respond_mode"]
        elif play.play == "reinforce":
            update["personnel"] = int(p["reinforce_personnel"])
        # validated, not copied: a client can send any value for a widget
        plays.append(Play.model_validate({**play.model_dump(), **update}))
    have = {x.play for x in plays}
    if p["engage"] and "engage" not in have:
        plays.insert(0, Play(play="engage", kinds=["binmas"], top=int(p["engage_top"]),
                             personnel=5))
    if p["counter_hoax"] and "counter_hoax" not in have:
        plays.insert(0, Play(play="counter_hoax", kinds=["cyber"]))
    if p["patrol"] and "patrol" not in have:
        at = next((i for i, x in enumerate(plays) if x.play == "respond"), len(plays))
        plays.insert(at, Play(play="patrol", task="presence", kinds=["samapta", "satlantas"],
                              top=int(p["patrol_top"]), personnel=10))
    first_respond = next((i for i, x in enumerate(plays) if x.play == "respond"), len(plays))
    if p["guard_tps_share"] > 0 and "guard_tps" not in have:
        plays.insert(first_respond, Play(
            play="guard_tps", stages=["quiet", "voting"], share=min(1.0, p["guard_tps_share"]),
            kinds=["polsek", "samapta", "satlantas", "polairud", "koramil"]))
    if p["negotiate_first"] and not any(x.play == "respond" and x.mode == "negotiate"
                                        for x in plays):
        at = next((i for i, x in enumerate(plays) if x.play == "respond"), len(plays))
        plays.insert(at, Play(play="respond", mode="negotiate", personnel=5, margin=1.0,
                              kinds=["negotiator", "binmas", "samapta", "polsek"]))
    if p["reinforce"] and "reinforce" not in have:
        plays.append(Play(play="reinforce", source="brimob", min_level=1,
                          personnel=int(p["reinforce_personnel"])))
    doctrine = {**spec.doctrine, "id": f"lab-{spec.doctrine.get('id', name)}"}
    return DoctrineFile(doctrine=doctrine, plays=plays)
