"""The jobcoach's access rule: weekly hours of the individual detachments he coaches, only."""

import pytest
from werkzeug.exceptions import NotFound

from portal.auth.access import (can_enter_hours, can_see_detachment, coaches,
                                require_hours_access)
from portal.auth.models import User
from portal.detachments.models import GROUP, INDIVIDUAL, Detachment

COACH = User(id=7, role="jobcoach")
OTHER_COACH = User(id=8, role="jobcoach")


def _individual(jobcoach=COACH):
    return Detachment(kind=INDIVIDUAL, jobcoach=jobcoach.id if jobcoach else None)


def test_a_jobcoach_coaches_only_the_individual_detachments_that_name_him():
    assert coaches(COACH, _individual())
    assert not coaches(OTHER_COACH, _individual())
    assert not coaches(COACH, _individual(jobcoach=None))
    assert not coaches(COACH, Detachment(kind=GROUP, jobcoach=COACH.id))


def test_a_user_named_jobcoach_who_has_another_role_now_coaches_nothing():
    # The role was changed after the detachment named him: the old link gives no access.
    assert not coaches(User(id=7, role="planner"), _individual())
    assert not coaches(User(id=7, role="supervisor"), _individual())
    assert not can_enter_hours(User(id=7, role="hr"), _individual())


@pytest.mark.parametrize("user, allowed", [
    (COACH, True), (OTHER_COACH, False),
    (User(id=1, role="admin"), True), (User(id=2, role="planner"), True),
    (User(id=3, role="supervisor"), False), (User(id=4, role="hr"), False),
])
def test_who_enters_the_hours_of_an_individual_detachment(user, allowed):
    assert can_enter_hours(user, _individual()) is allowed


@pytest.mark.parametrize("role", ["admin", "planner", "jobcoach"])
def test_nobody_enters_weekly_hours_of_a_group_detachment(role):
    assert not can_enter_hours(User(id=7, role=role), Detachment(kind=GROUP, jobcoach=7))


def test_require_hours_access_answers_404_so_forged_ids_tell_nothing():
    require_hours_access(COACH, _individual())
    with pytest.raises(NotFound):
        require_hours_access(OTHER_COACH, _individual())


def test_a_jobcoach_does_not_see_the_detachment_itself():
    # Rates, statements and members are on the detachment's page: not for the jobcoach.
    assert not can_see_detachment(COACH, _individual())
