"""Words and icons of the day view; an absence code is shown only to those who may see it."""

from flask_babel import lazy_gettext as _l

from portal.attendance import day as day_states
from portal.auth.access import sees_absence_reasons
from portal.forms import label_of


def absence_code_labels() -> dict:
    return {
        "ziek": _l("Sick"),
        "verlof": _l("Leave"),
        "dokter": _l("Doctor or dentist"),
        "bijzonder_verlof": _l("Special leave"),
        "scholing": _l("Training"),
        "onbetaald": _l("Unpaid leave"),
        "ongeoorloofd": _l("Unauthorised absence"),
    }


def code_label(code: str) -> str:
    return label_of(absence_code_labels(), code)


def absence_label(user, group, code: str) -> str:
    """The code's name for those who may see it, else only "Absent"."""
    if sees_absence_reasons(user, group):
        return code_label(code)
    return str(_l("Absent"))


# state -> (icon, label, badge class). The icon and the words carry the meaning, not the colour.
def state_looks() -> dict:
    return {
        day_states.LATE: ("⚠", _l("Late, not in"), "badge-bad"),
        day_states.MISSING: ("✕", _l("Did not come"), "badge-bad"),
        day_states.WAITING: ("…", _l("Not in yet"), "badge-off"),
        day_states.IN: ("✓", _l("In"), "badge-ok"),
        day_states.ABSENT: ("⊘", _l("Absent"), "badge-warn"),
        day_states.LEAVE: ("⊘", _l("On leave"), "badge-warn"),
        day_states.LEFT: ("↪", _l("Left"), "badge-off"),
        day_states.OFF: ("–", _l("Not scheduled"), "badge-off"),
    }


def sections() -> list:
    """The day view's sections: (id, icon, title, states), the ones needing action first."""
    return [
        ("late", "⚠", _l("Late or not come"), (day_states.LATE, day_states.MISSING)),
        ("waiting", "…", _l("Not in yet"), (day_states.WAITING,)),
        ("in", "✓", _l("In"), (day_states.IN,)),
        ("absent", "⊘", _l("Absent"), (day_states.ABSENT, day_states.LEAVE)),
        ("left", "↪", _l("Left"), (day_states.LEFT,)),
        ("off", "–", _l("Not scheduled today"), (day_states.OFF,)),
    ]
