"""The people blueprint: master data pages. Each module below adds its routes to `bp`."""

from flask import Blueprint

bp = Blueprint("people", __name__, url_prefix="/people")

# Route modules register on bp when imported (one module per kind of master data).
from portal.people import employees  # noqa: E402,F401
from portal.people import structure  # noqa: E402,F401
