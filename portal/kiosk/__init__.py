"""The workfloor kiosk: badges, enrolled tablets, and scans that check people in and out.

The blueprint's routes are in views.py (the tablet's page and enrolment) and api.py (its JSON).
"""

from flask import Blueprint

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk", cli_group=None)
