"""Dutch-first labels of the people area's codes."""

from flask_babel import lazy_gettext as _l

from portal.forms import label_of


def employment_labels() -> dict:
    return {
        "sw": _l("SW (Wsw)"),
        "beschut": _l("Sheltered work (beschut werk)"),
        "leerwerk": _l("Learn-work trajectory"),
        "proefplaatsing": _l("Trial placement"),
        "garantiebaan": _l("Guaranteed job (garantiebaan)"),
        "staff": _l("Staff"),
    }


def employment_label(code: str) -> str:
    return label_of(employment_labels(), code)


def location_kind_labels() -> dict:
    return {"own": _l("Own site"), "client": _l("Client site")}
