"""Dutch-first labels of the orders area's codes."""

from flask_babel import lazy_gettext as _l

from portal.forms import label_of
from portal.orders.models import STATUSES


def status_labels() -> dict:
    return {"intake": _l("Intake"), "gepland": _l("Planned"), "in_productie": _l("In production"),
            "gereed": _l("Ready"), "gefactureerd": _l("Invoiced")}


def status_label(code: str) -> str:
    return label_of(status_labels(), code)


def status_pairs():
    labels = status_labels()
    return [(code, labels[code]) for code in STATUSES]
