"""Every access decision of the portal in one place.

Views declare who may enter with `roles_required`; object checks (a supervisor and his own
groups) are plain functions here so that every area asks the same question the same way.
Templates call the same functions (they are template globals), never compare role strings,
and no other module reads a user's role to decide anything.
"""

from functools import wraps

from flask import abort
from flask_login import current_user

from portal.auth.models import ADMIN, HR, JOBCOACH, PLANNER, SUPERVISOR, User
from portal.extensions import login_manager

# Everyone who works with the company's own registrations. Not the jobcoach: he sees only the
# individuals he coaches, and only their weekly hours.
STAFF_ROLES = (ADMIN, PLANNER, SUPERVISOR, HR)


def roles_required(*roles: str):
    """Let only logged-in users with one of the roles through.

    :raise 401: via flask-login when nobody is logged in (redirects to the log-in page).
    :raise 403: when the user has another role.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not has_role(current_user, *roles):
                abort(403)
            return view(*args, **kwargs)

        wrapper.allowed_roles = roles
        return wrapper

    return decorator


def has_role(user: User, *roles: str) -> bool:
    """Tell whether the user has one of the roles (the menu's and the route guards' test)."""
    return user.role in roles


def active_users_with_role(role: str):
    """The active accounts with a role (who may be chosen as a group's supervisor, a jobcoach)."""
    return User.select().where((User.role == role)
                               & (User.is_active_account == True))  # noqa: E712


def audience(user: User) -> str:
    """Which role's view of a page this is: part of the key that tells a page it changed."""
    return user.role


def sees_own_groups_only(user: User) -> bool:
    """A supervisor sees only the groups he leads (and what hangs on them)."""
    return user.role == SUPERVISOR


def limit_to_own_groups(user: User, query, supervisor_field):
    """A supervisor's query narrowed to the groups he leads; everyone else's unchanged."""
    return query.where(supervisor_field == user.id) if sees_own_groups_only(user) else query


def sees_all_work(user: User) -> bool:
    """An admin sees every group's work of the day; a supervisor only his own groups'."""
    return user.role == ADMIN


def is_jobcoach(user: User | None) -> bool:
    return user is not None and user.role == JOBCOACH


def public(view):
    """Mark a view as open to anyone, so the access matrix knows it is meant to be."""
    view.allowed_roles = "public"
    return view


def sees_all_groups(user: User) -> bool:
    """Admins, planners and hr see every group; a supervisor only his own."""
    return user.role in (ADMIN, PLANNER, HR)


def leads_group(user: User, group) -> bool:
    """Tell whether the user is the supervisor of the group."""
    return user.role == SUPERVISOR and group.supervisor_id == user.id


def can_change_group_day(user: User, group) -> bool:
    """Admins and hr change any group's registrations; a supervisor only his own groups'."""
    return user.role in (ADMIN, HR) or leads_group(user, group)


def require_group(user: User, group) -> None:
    """:raise 404: when a supervisor asks for a group he does not lead.

    404 rather than 403, so that forged ids do not tell which groups exist.
    """
    if not (sees_all_groups(user) or leads_group(user, group)):
        abort(404)


def can_see_employee(user: User, employee) -> bool:
    """Admins, planners and hr see every employee; a supervisor only his groups' members."""
    if sees_all_groups(user):
        return True
    return employee.work_group_id is not None and leads_group(user, employee.work_group)


def require_employee(user: User, employee) -> None:
    """:raise 404: when a supervisor asks for someone outside the groups he leads."""
    if not can_see_employee(user, employee):
        abort(404)


def can_plan(user: User) -> bool:
    """Planners and admins take orders and plan them; others only look (or not at all)."""
    return user.role in (ADMIN, PLANNER)


def can_register_production(user: User, group) -> bool:
    """An admin registers for any group; a supervisor only for the groups he leads."""
    return user.role == ADMIN or leads_group(user, group)


def can_view_group_day(user: User, group) -> bool:
    """Admins, hr and planners see every group's day; a supervisor only his own groups'."""
    return sees_all_groups(user) or leads_group(user, group)


def sees_absence_reasons(user: User, group) -> bool:
    """Absence codes ("ziek" is health data, AVG) for hr, admin and the group's own supervisor.

    A planner (and anyone else) sees only that someone is absent.
    """
    return user.role in (ADMIN, HR) or leads_group(user, group)


def can_sign_off(user: User, group) -> bool:
    """The group's own supervisor signs its day off; hr and admin may too."""
    return leads_group(user, group) or user.role in (ADMIN, HR)


def may_change_signed_day(user: User) -> bool:
    """After sign-off only hr and admin change a day, and each change is a logged correction."""
    return user.role in (ADMIN, HR)


def sees_company_attendance(user: User) -> bool:
    """Absence figures and everyone's timesheets: hr and admin."""
    return user.role in (ADMIN, HR)


def can_register_leave(user: User) -> bool:
    """Hr, admin and supervisors register planned leave (each for whom he may); planners not."""
    return user.role in (ADMIN, HR, SUPERVISOR)


def can_edit_employees(user: User) -> bool:
    """Hr and admin change employees; planners and supervisors read."""
    return user.role in (ADMIN, HR)


def can_plan_leave(user: User, group) -> bool:
    """Leave ahead of time is registered by hr, admin, or the supervisor of the employee's group."""
    return user.role in (ADMIN, HR) or (group is not None and leads_group(user, group))


def manages_detachments(user: User) -> bool:
    """Planners and admins make detachments, rates and statements; hr and supervisors read."""
    return user.role in (ADMIN, PLANNER)


def can_read_client_statements(user: User) -> bool:
    """A client's whole monthly statement: admins, planners and hr, not a group's supervisor."""
    return sees_all_groups(user)


def can_see_detachment(user: User, detachment) -> bool:
    """Admins, planners and hr see every detachment; a supervisor those of the groups he leads."""
    if sees_all_groups(user):
        return True
    return (user.role == SUPERVISOR and detachment.work_group_id is not None
            and detachment.work_group.supervisor_id == user.id)


def require_detachment(user: User, detachment) -> None:
    """:raise 404: when the user may not see the detachment (forged ids tell nothing)."""
    if not can_see_detachment(user, detachment):
        abort(404)


def coaches(user: User, detachment) -> bool:
    """Tell whether the user is the jobcoach of this individual detachment."""
    return (user.role == JOBCOACH and detachment.is_individual
            and detachment.jobcoach_id == user.id)


def can_enter_hours(user: User, detachment) -> bool:
    """Weekly hours of an individual detachment: planners and admins, or its own jobcoach.

    A group detachment has no weekly hours: its group checks in on the client's tablet.
    """
    if not detachment.is_individual:
        return False
    return manages_detachments(user) or coaches(user, detachment)


def require_hours_access(user: User, detachment) -> None:
    """:raise 404: when the user may not enter the detachment's hours (forged ids tell nothing)."""
    if not can_enter_hours(user, detachment):
        abort(404)
