"""The company-structure rules, called directly."""

import pytest

from portal.audit import AuditEntry
from portal.people import structure_rules as rules
from portal.people.models import Location, Workfloor, WorkGroup
from portal.refusal import Refused


@pytest.fixture
def ctx(app):
    """The rules translate their messages: they run inside a request, as in the app."""
    with app.test_request_context():
        yield


def test_save_creates_and_logs(ctx, make):
    actor = make.user("admin")
    location = make.location()
    floor = rules.save(Workfloor, None, {"name": "Inpak", "location": location.id,
                                         "workplaces": 12}, actor=actor.id)
    entry = AuditEntry.get(AuditEntry.action == "workfloor.create")
    assert (entry.object_id, entry.user_id) == (floor.id, actor.id)
    assert '"workplaces": 12' in entry.after


def test_update_leaves_the_callers_row_alone_when_refused(ctx, make):
    make.group(name="Bezet")
    group = make.group(name="Vrij")
    with pytest.raises(Refused) as refused:
        rules.save(WorkGroup, group, {"name": "bezet", "supervisor": group.supervisor_id,
                                      "workfloor": group.workfloor_id}, actor=None)
    assert {each.field for each in refused.value.all()} == {"name"}
    assert group.name == "Vrij" and WorkGroup.get_by_id(group.id).name == "Vrij"


def test_workfloor_needs_an_active_own_site(ctx, make):
    site = make.location(kind="client", client=make.client())
    closed = make.location(is_active=False)
    assert set(rules.check_workfloor({"name": "A", "location": site.id, "workplaces": 1})) == {
        "location"}
    assert set(rules.check_workfloor({"name": "A", "location": closed.id, "workplaces": 1})) == {
        "location"}


def test_an_existing_inactive_reference_may_stay_but_not_be_newly_chosen(ctx, make):
    floor = make.workfloor(is_active=False)
    group = make.group(workfloor=floor)
    values = {"name": group.name, "supervisor": group.supervisor_id, "workfloor": floor.id}
    assert rules.check_group(values, group) == {}
    assert set(rules.check_group({**values, "name": "Nieuw"})) == {"workfloor"}


def test_group_supervisor_must_be_an_active_supervisor(ctx, make):
    floor = make.workfloor()
    for user in (make.user("planner"), make.user("supervisor", is_active_account=False)):
        errors = rules.check_group({"name": "P", "supervisor": user.id, "workfloor": floor.id})
        assert set(errors) == {"supervisor"}
    good = make.user("supervisor")
    assert rules.check_group({"name": "P", "supervisor": good.id, "workfloor": floor.id}) == {}


@pytest.mark.parametrize("kind", ["municipality", "client", "location", "workfloor", "group"])
def test_nothing_active_may_depend_on_a_deactivated_row(ctx, make, kind):
    group = make.group()
    person = make.employee(work_group=group)
    customer = make.client()
    site = make.location(kind="client", client=customer)
    row = {"municipality": person.municipality, "client": customer,
           "location": group.workfloor.location, "workfloor": group.workfloor,
           "group": group}[kind]
    assert rules.deactivation_problem(row)
    # Once its dependants are gone, the row may go.
    person.is_active = False
    person.save()
    dependants = {"client": [site], "location": [group, group.workfloor],
                  "workfloor": [group]}.get(kind, [])
    for dependant in dependants:
        rules.set_active(dependant, False, actor=None)
    assert rules.deactivation_problem(row) is None


def test_set_active_logs_and_does_nothing_twice(ctx, make):
    town = make.municipality()
    rules.set_active(town, False, actor=None)
    rules.set_active(town, False, actor=None)
    assert [e.action for e in AuditEntry.select()] == ["municipality.deactivate"]


def test_a_site_comes_back_only_with_its_client(ctx, make):
    customer = make.client(is_active=False)
    site = make.location(kind="client", client=customer, is_active=False)
    with pytest.raises(Refused):
        rules.set_active(site, True, actor=None)
    assert not Location.get_by_id(site.id).is_active


def test_options_offer_active_rows_and_the_current_one(ctx, make):
    active = make.client(name="A Actief")
    gone = make.client(name="B Weg", is_active=False)
    assert [row_id for row_id, _label in rules.client_options()] == [active.id]
    assert [row_id for row_id, _label in rules.client_options(gone.id)] == [active.id, gone.id]
