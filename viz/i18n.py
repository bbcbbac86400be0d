"""Bahasa Indonesia and English for every page: keys → {id, en}; the language is per tab."""

from __future__ import annotations

import solara

lang = solara.reactive("id")  # module-level reactive: one value per browser tab (kernel)

TEXT: dict[str, dict[str, str]] = {
    "app": {"id": "Wargame Pengamanan Pilkada (Sispamkota)",
            "en": "Election-security wargame (Sispamkota)"},
    "lobby": {"id": "Lobi", "en": "Lobby"},
    "lab": {"id": "Lab kebijakan", "en": "Policy lab"},
    "language": {"id": "Bahasa", "en": "Language"},
    "new_exercise": {"id": "Latihan baru", "en": "New exercise"},
    "scenario": {"id": "Skenario", "en": "Scenario"},
    "upload": {"id": "Atau unggah skenario TOML", "en": "Or upload a scenario TOML"},
    "uploaded": {"id": "Skenario terunggah", "en": "Uploaded scenario"},
    "scenario_errors": {"id": "Skenario tidak valid", "en": "Invalid scenario"},
    "seed": {"id": "Benih acak (seed)", "en": "Random seed"},
    "name": {"id": "Nama latihan", "en": "Exercise name"},
    "blue_by": {"id": "Biru (Polri/TNI) dimainkan oleh", "en": "Blue (police/military) played by"},
    "red_by": {"id": "Merah (provokator) dimainkan oleh", "en": "Red (provocateurs) played by"},
    "person": {"id": "Orang (peserta)", "en": "People (trainees)"},
    "create": {"id": "Buat latihan", "en": "Create exercise"},
    "not_created": {"id": "Latihan tidak dibuat", "en": "Exercise not created"},
    "exercises": {"id": "Latihan yang ada", "en": "Existing exercises"},
    "join": {"id": "Gabung dengan kode", "en": "Join with a code"},
    "code": {"id": "Kode", "en": "Code"},
    "unknown_code": {"id": "Kode tidak dikenal", "en": "Unknown code"},
    "codes": {"id": "Kode gabung per peran", "en": "Join codes per role"},
    "role_white": {"id": "Fasilitator (sel putih)", "en": "Facilitator (white cell)"},
    "role_blue": {"id": "Tim biru", "en": "Blue team"},
    "role_red": {"id": "Tim merah", "en": "Red team"},
    "role_observer": {"id": "Pengamat", "en": "Observer"},
    "turn": {"id": "Giliran", "en": "Turn"},
    "stage": {"id": "Tahap", "en": "Stage"},
    "finished": {"id": "Latihan selesai", "en": "Exercise finished"},
    "facilitator": {"id": "Konsol fasilitator", "en": "Facilitator console"},
    "team": {"id": "Konsol tim", "en": "Team console"},
    "observer": {"id": "Tampilan pengamat", "en": "Observer view"},
    "map_truth": {"id": "Peta kondisi sebenarnya", "en": "Ground-truth map"},
    "map_own": {"id": "Gambaran situasi sendiri", "en": "Own picture"},
    "charts": {"id": "Grafik", "en": "Charts"},
    "tension": {"id": "Ketegangan", "en": "Tension"},
    "active_fraction": {"id": "Proporsi warga aktif", "en": "Active fraction"},
    "incidents": {"id": "Insiden", "en": "Incidents"},
    "legitimacy": {"id": "Legitimasi", "en": "Legitimacy"},
    "personnel": {"id": "Personel dikerahkan", "en": "Personnel committed"},
    "incident_feed": {"id": "Umpan insiden", "en": "Incident feed"},
    "msel": {"id": "MSEL (daftar inject)", "en": "MSEL (inject list)"},
    "fire": {"id": "Picu", "en": "Fire"},
    "hold": {"id": "Tahan", "en": "Hold"},
    "adhoc": {"id": "Inject ad hoc", "en": "Ad-hoc inject"},
    "district": {"id": "Kecamatan", "en": "District"},
    "all_districts": {"id": "Semua kecamatan", "en": "All districts"},
    "magnitude": {"id": "Besaran", "en": "Magnitude"},
    "queued": {"id": "Diantrekan untuk giliran ini", "en": "Queued for this turn"},
    "submitted": {"id": "Sudah menyerahkan perintah", "en": "Orders submitted"},
    "not_submitted": {"id": "Belum menyerahkan", "en": "Not yet submitted"},
    "advance": {"id": "Lanjutkan giliran", "en": "Advance turn"},
    "minutes": {"id": "Menit per giliran", "en": "Minutes per turn"},
    "deadline": {"id": "Sisa waktu giliran", "en": "Time left this turn"},
    "overdue": {"id": "Waktu habis", "en": "Time is up"},
    "view_orders": {"id": "Perintah yang diserahkan", "en": "Submitted orders"},
    "report": {"id": "Laporan giliran terakhir", "en": "Last turn report"},
    "no_report": {"id": "Belum ada laporan", "en": "No report yet"},
    "metrics": {"id": "Ukuran hasil", "en": "Outcome metrics"},
    "orders": {"id": "Perintah", "en": "Orders"},
    "order_type": {"id": "Jenis perintah", "en": "Order type"},
    "unit": {"id": "Satuan", "en": "Unit"},
    "task": {"id": "Tugas", "en": "Task"},
    "incident": {"id": "Insiden yang dilaporkan", "en": "Reported incident"},
    "mode": {"id": "Cara bertindak", "en": "Mode"},
    "source": {"id": "Sumber", "en": "Source"},
    "candidate": {"id": "Paslon", "en": "Candidate (Paslon)"},
    "provocateur": {"id": "Tim provokator", "en": "Provocateur team"},
    "add_line": {"id": "Tambah baris", "en": "Add line"},
    "remove": {"id": "Hapus", "en": "Remove"},
    "submit": {"id": "Serahkan (tersegel)", "en": "Submit (sealed)"},
    "sealed": {"id": "Perintah tersegel; bisa diserahkan ulang sebelum giliran dilanjutkan",
               "en": "Orders sealed; you may resubmit until the turn advances"},
    "accepted": {"id": "Diterima", "en": "Accepted"},
    "refused": {"id": "Ditolak", "en": "Refused"},
    "eta": {"id": "tiba dalam {h:.1f} jam", "en": "arrives in {h:.1f} h"},
    "remaining": {"id": "sisa {n} org", "en": "{n} left"},
    "draft": {"id": "Rancangan perintah", "en": "Draft orders"},
    "empty_draft": {"id": "Belum ada baris perintah", "en": "No order lines yet"},
    "own_units": {"id": "Satuan sendiri", "en": "Own units"},
    "ai_played": {"id": "Sisi ini dimainkan AI", "en": "This side is played by the AI"},
    "doctrine": {"id": "Doktrin", "en": "Doctrine"},
    "step": {"id": "Satu giliran", "en": "Step one turn"},
    "play": {"id": "Jalankan", "en": "Play"},
    "pause": {"id": "Jeda", "en": "Pause"},
    "new_run": {"id": "Jalankan ulang (simpan pembanding)", "en": "New run (keep for comparison)"},
    "previous": {"id": "Sebelumnya", "en": "Previous"},
    "current": {"id": "Sekarang", "en": "Current"},
    "policy": {"id": "Parameter kebijakan", "en": "Policy parameters"},
    "applies_next": {"id": "Berlaku mulai giliran berikutnya",
                     "en": "Takes effect from the next turn"},
    "open": {"id": "terbuka", "en": "open"},
    "closed": {"id": "selesai", "en": "closed"},
    "crowd": {"id": "massa", "en": "crowd"},
    "glossary": {"id": "Istilah", "en": "Glossary"},
}

# Indonesian terms with English glosses, shown on every page.
GLOSSARY = {
    "Polsek": "sector police station", "Samapta": "patrol police (ex-Sabhara)",
    "Dalmas": "crowd-control platoon", "Brimob": "mobile brigade (riot police)",
    "Babinsa": "army village NCO", "Bhabinkamtibmas": "village community police officer",
    "Linmas": "civil-defence volunteers", "TPS": "polling station",
    "PPK": "sub-district election committee", "KPU": "election commission",
    "Bawaslu": "election supervisory body", "Paslon": "candidate pair",
    "Gakkumdu": "integrated election-crime unit", "hijau/kuning/merah": "green/yellow/red",
}

LEVEL_NAMES = {-1: {"id": "aman", "en": "calm"}, 0: {"id": "hijau", "en": "green"},
               1: {"id": "kuning", "en": "yellow"}, 2: {"id": "merah", "en": "red"}}


def t(key: str, lng: str | None = None, **kw) -> str:
    """The text of ``key`` in ``lng`` or the tab's language (the key itself if unknown)."""
    entry = TEXT.get(key)
    if entry is None:
        return key
    s = entry.get(lng or lang.value, entry["en"])
    return s.format(**kw) if kw else s


def pick(id_text: str, en_text: str) -> str:
    return id_text if lang.value == "id" else en_text


@solara.component
def LangSwitch():
    solara.ToggleButtonsSingle(value=lang, values=["id", "en"], classes=["wg-lang"])


@solara.component
def Glossary():
    with solara.Details(summary=t("glossary")):
        from viz.html import Rich

        Rich([x for k, v in GLOSSARY.items() for x in ((k, True), (f" ({v}) · ", False))])
