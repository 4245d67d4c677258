"""Who sees which figure, and how much of it."""

from portal.auth.models import ADMIN, HR, PLANNER, SUPERVISOR, User

# Everyone with a figure page; each figure names its own readers (`READERS` in its module).
FIGURE_ROLES = (ADMIN, PLANNER, SUPERVISOR, HR)


def can_see_figure(user: User, figure) -> bool:
    """Tell whether the user's role is among the figure's readers."""
    return user.role in figure.READERS


def group_scope(user: User) -> tuple | None:
    """The groups a supervisor's figures are limited to; None: every group."""
    if user.role != SUPERVISOR:
        return None
    return tuple(group.id for group in user.work_groups)


def sees_absence_codes(user: User) -> bool:
    """Hr and admin see the absence codes; a supervisor those of his own groups (his scope).

    A planner sees only "absent": "ziek" is health data (AVG).
    """
    return user.role in (ADMIN, HR, SUPERVISOR)


def can_set_targets(user: User) -> bool:
    """Hr and admin enter the beschut-werk places each municipality agreed on."""
    return user.role in (ADMIN, HR)
