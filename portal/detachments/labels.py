"""The words the detachment pages show for stored codes."""

from flask_babel import gettext as _

from portal.detachments.forms import kind_labels, price_form_labels
from portal.detachments.models import APPROVED, DISPUTED, DRAFT, SENT
from portal.forms import label_of


def status_label(status: str | None) -> str:
    return {None: _("Not sent"), DRAFT: _("Draft"), SENT: _("Sent"), APPROVED: _("Approved"),
            DISPUTED: _("Disputed")}.get(status, status)


def template_labels() -> dict:
    """A context processor for the detachment blueprints, under names no other area uses."""
    return {"detachment_kind_label": lambda k: label_of(kind_labels(), k),
            "price_form_label": lambda f: label_of(price_form_labels(), f) if f else "",
            "statement_status_label": status_label}
