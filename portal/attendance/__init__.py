"""Registered days: check-ins and check-outs, absence, corrections and timesheets.

The blueprint's routes are in views.py (the day, corrections, leave) and report_views.py
(timesheets and figures).
"""

from flask import Blueprint

bp = Blueprint("attendance", __name__, url_prefix="/attendance")
