"""Prepared queries: written once, run with new values, same rows as the plain query."""

from datetime import date, datetime

import peewee
import pytest

from portal.attendance.models import AttendanceSegment
from portal.kiosk.prepared import Prepared
from portal.people.models import Employee, Workfloor, WorkGroup
from tests import factories

members_of = Prepared(
    [Employee.work_group, Employee.start_date],
    lambda group, started: Employee.select(Employee, WorkGroup, Workfloor)
    .join(WorkGroup).join(Workfloor)
    .where((Employee.work_group == group) & (Employee.start_date <= started))
    .order_by(Employee.id))


def test_select_gives_the_same_models_and_joins_as_the_plain_query(app):
    with app.app_context():
        group = factories.group()
        early = factories.employee(work_group=group, start_date=date(2020, 1, 1))
        factories.employee(work_group=group, start_date=date(2026, 6, 1))
        factories.employee(work_group=factories.group(), start_date=date(2020, 1, 1))

        found = members_of.rows(group.id, date(2025, 1, 1))
        assert [e.id for e in found] == [early.id]
        assert found[0].start_date == date(2020, 1, 1)  # converted back from the database
        assert found[0].work_group.workfloor.name == group.workfloor.name  # joins, no query
        assert [e.id for e in members_of.rows(group.id, date(2027, 1, 1))] == \
            [e.id for e in Employee.select().where(Employee.work_group == group)
             .order_by(Employee.id)]
        assert members_of.first(group.id, date(2019, 1, 1)) is None


def test_values_go_through_their_fields_conversion(app):
    """A model instance where a foreign key is expected, as with a plain query."""
    with app.app_context():
        group = factories.group()
        person = factories.employee(work_group=group, start_date=date(2020, 1, 1))
        assert members_of.first(group, date(2021, 1, 1)).id == person.id


def test_wrong_number_of_values_is_refused(app):
    with app.app_context(), pytest.raises(TypeError):
        members_of.rows(1)


def test_insert_returns_the_new_id_and_takes_each_calls_values(app):
    insert = Prepared.insert(AttendanceSegment, [
        AttendanceSegment.employee, AttendanceSegment.day, AttendanceSegment.check_in,
        AttendanceSegment.in_source, AttendanceSegment.created_at])
    with app.app_context():
        person, other = factories.employee(), factories.employee()
        first = insert.execute(person.id, date(2026, 3, 2), datetime(2026, 3, 2, 7, 0), "badge",
                               datetime(2026, 3, 2, 7, 0, 1))
        second = insert.execute(other.id, date(2026, 3, 3), datetime(2026, 3, 3, 7, 5), "pin",
                                datetime(2026, 3, 3, 7, 5, 1))
        rows = {s.id: s for s in AttendanceSegment.select()}
        assert set(rows) == {first, second}
        assert rows[second].in_source == "pin" and rows[second].day == date(2026, 3, 3)
        assert rows[first].created_at == datetime(2026, 3, 2, 7, 0, 1)
        with pytest.raises(peewee.IntegrityError):  # a second open check-in: the index holds
            insert.execute(person.id, date(2026, 3, 4), datetime(2026, 3, 4, 7, 0), "badge",
                           datetime(2026, 3, 4, 7, 0))


def test_an_insert_must_give_every_computed_default():
    """A default would be worked out once, when the SQL is written, and then repeated."""
    with pytest.raises(ValueError, match="created_at"):
        Prepared.insert(AttendanceSegment, [AttendanceSegment.employee, AttendanceSegment.day])
