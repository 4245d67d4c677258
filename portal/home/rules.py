"""Figures for the overview page."""

import peewee

from portal.people.models import Employee, Municipality, Workfloor, WorkGroup


def headcount_by_employment() -> dict[str, int]:
    """Active employees per employment type."""
    rows = (Employee.select(Employee.employment, peewee.fn.COUNT(Employee.id).alias("n"))
            .where(Employee.is_active == True)  # noqa: E712
            .group_by(Employee.employment).tuples())
    return dict(rows)


def headcount_by_municipality() -> list[tuple[str, int]]:
    """Active employees per municipality, largest first."""
    count = peewee.fn.COUNT(Employee.id)
    return list(Municipality.select(Municipality.name, count.alias("n"))
                .join(Employee, peewee.JOIN.LEFT_OUTER,
                      on=(Employee.municipality == Municipality.id)
                      & (Employee.is_active == True))  # noqa: E712
                .group_by(Municipality.name).order_by(count.desc(), Municipality.name).tuples())


def workfloor_occupancy() -> list[dict]:
    """Per active workfloor: its workplaces and the active employees of the groups based there."""
    employees = peewee.fn.COUNT(Employee.id)
    rows = (Workfloor.select(Workfloor.id, Workfloor.name, Workfloor.workplaces,
                             employees.alias("employees"))
            .join(WorkGroup, peewee.JOIN.LEFT_OUTER,
                  on=(WorkGroup.workfloor == Workfloor.id) & (WorkGroup.is_active == True))  # noqa: E712
            .join(Employee, peewee.JOIN.LEFT_OUTER,
                  on=(Employee.work_group == WorkGroup.id) & (Employee.is_active == True))  # noqa: E712
            .where(Workfloor.is_active == True)  # noqa: E712
            .group_by(Workfloor.id, Workfloor.name, Workfloor.workplaces)
            .order_by(Workfloor.name).dicts())
    return list(rows)
