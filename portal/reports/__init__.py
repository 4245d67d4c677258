"""Cijfers: the figures pages of the portal.

The blueprint's routes are in views.py (one page per figure) and target_views.py (the agreed
places per municipality).
"""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")
