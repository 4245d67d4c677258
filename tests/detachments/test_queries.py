"""The pages that list detachments and people ask as many questions for 3 rows as for 12."""

from datetime import date, timedelta

import pytest

from portal.timeutil import today


def _detachments(make, where, n):
    day = today()
    for _ in range(n):
        person = make.employee()
        det = make.detachment(people=[person], where=where, start=day - timedelta(days=60),
                              end=day + timedelta(days=10), rate="25")
        make.worked(person, date(2026, 3, 2), 6, where)
        make.worked(person, day - timedelta(days=1), 6, where)
        _ = det


@pytest.mark.parametrize("url", ["/detachments/", "/detachments/list",
                                 "/detachments/clients/{client}/{month}"])
def test_query_count_does_not_grow_with_the_rows(client, login, make, count_queries, url):
    login(make.user("planner"))
    where = make.client_location()
    month = today().replace(day=1).isoformat()[:7]
    target = url.format(client=where.client.id, month=month)
    counts = []
    for n in (3, 9):
        _detachments(make, where, n)
        with count_queries() as counted:
            assert client.get(target).status_code == 200
        counts.append(counted.total)
    assert counts[0] == counts[1], counts
