"""The main menu: which areas each role sees, in order."""

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.auth.access import has_role
from portal.auth.models import ADMIN, HR, JOBCOACH, PLANNER, SUPERVISOR

# A jobcoach is not among them: he sees his own placements and trajectories, nothing else.
ALL = (ADMIN, PLANNER, SUPERVISOR, HR)

# (endpoint, label, roles). An area adds its line here when its blueprint lands.
MENU = [
    ("home.index", _l("Overview"), ALL),
    ("attendance.index", _l("Today"), (ADMIN, PLANNER, SUPERVISOR, HR)),
    ("people.list_employees", _l("Employees"), (ADMIN, PLANNER, HR, SUPERVISOR)),
    ("people.list_groups", _l("Groups"), (ADMIN, PLANNER, HR)),
    ("people.list_workfloors", _l("Workfloors"), (ADMIN, PLANNER)),
    ("people.list_locations", _l("Locations"), (ADMIN, PLANNER)),
    ("people.list_clients", _l("Clients"), (ADMIN, PLANNER)),
    ("detachments.overview", _l("Detachments"), (ADMIN, PLANNER, HR)),
    ("detachments.list_detachments", _l("Detachments"), (SUPERVISOR,)),
    ("detachments.my_placements", _l("My placements"), (JOBCOACH,)),
    ("trajectories.caseload", _l("Trajectories"), (HR, SUPERVISOR, JOBCOACH)),
    ("trajectories.list_vacancies", _l("Vacancies"), (HR, PLANNER, JOBCOACH)),
    ("trajectories.figures_page", _l("Trajectory figures"), (HR,)),
    ("trajectories.settings", _l("Skills and trajectory kinds"), (ADMIN,)),
    ("people.list_municipalities", _l("Municipalities"), (ADMIN, PLANNER)),
    ("orders.list_orders", _l("Orders"), (ADMIN, PLANNER)),
    ("people.list_product_groups", _l("Product groups"), (ADMIN, PLANNER)),
    ("orders.board", _l("Planning board"), (ADMIN, PLANNER, SUPERVISOR)),
    ("orders.today_view", _l("Today's work"), (ADMIN, SUPERVISOR)),
    ("reports.index", _l("Figures"), ALL),
    ("auth.list_users", _l("Users"), (ADMIN,)),
    ("devices.list_devices", _l("Tablets"), (ADMIN,)),
    ("devices.list_badges", _l("Badges"), (ADMIN,)),
]


def main_menu() -> list[tuple[str, str, bool]]:
    """The menu entries (endpoint, label, is_current) for the current user.

    Only endpoints that exist in this app are listed; at most one entry is current.
    """
    if not current_user.is_authenticated:
        return []
    endpoints = current_app.view_functions
    entries = [(endpoint, label, url_for(endpoint)) for endpoint, label, roles in MENU
               if has_role(current_user, *roles) and endpoint in endpoints]
    current = current_href([href for _, _, href in entries], request.path)
    return [(endpoint, label, href == current) for endpoint, label, href in entries]


def current_href(hrefs: list[str], path: str) -> str | None:
    """The menu URL that is the current page or the longest one above it, or None.

    An area can have several entries (/attendance/ and /attendance/figures): only the one
    nearest to the page counts, so a page below /attendance/figures marks that entry alone.
    """
    def covers(href: str) -> bool:
        base = href.rstrip("/")
        return path == href or path == base or path.startswith(base + "/")

    matches = [href for href in hrefs if covers(href)]
    return max(matches, key=len) if matches else None
