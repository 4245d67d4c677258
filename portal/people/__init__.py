"""The company's structure and its people: municipalities, places, groups, employees, clients.

The blueprint's routes are in structure.py (the five kinds of master data) and employees.py.
"""

from flask import Blueprint

bp = Blueprint("people", __name__, url_prefix="/people")
