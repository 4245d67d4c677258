"""The employee list asks the database the same few questions for 10 rows as for 100."""

import pytest


@pytest.fixture
def crowd(make):
    """120 employees over three groups, every third with a photo."""
    municipalities = [make.municipality() for _ in range(2)]
    groups = [make.group() for _ in range(3)]
    for n in range(120):
        person = make.employee(municipality=municipalities[n % 2], work_group=groups[n % 3])
        if n % 3 == 0:
            make.photo(person)
    return groups


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}], ids=["page", "fragment"])
def test_list_queries_do_not_grow_with_the_page(client, login, make, crowd, count_queries,
                                                headers):
    login(make.user("admin"))
    counts = {}
    for size in (10, 100):
        with count_queries() as counted:
            response = client.get(f"/people/employees?size={size}", headers=headers)
        assert response.status_code == 200
        assert response.get_data(as_text=True).count('class="photo-cell"') == size
        counts[size] = counted.total
    assert counts[10] == counts[100]
    assert counts[10] >= 3  # the counter sees the queries: user, count, rows
    # The session's user, the count, the rows; the whole page adds groups and municipalities.
    assert counts[100] <= (5 if not headers else 3), counted.statements


def test_supervisor_list_queries_do_not_grow_either(client, login, crowd, count_queries):
    login(crowd[0].supervisor)
    counts = []
    for size in (10, 100):
        with count_queries() as counted:
            html = client.get(f"/people/employees?size={size}").get_data(as_text=True)
        assert html.count('class="photo-cell"') == min(size, 40)
        counts.append(counted.total)
    assert counts[0] == counts[1] <= 5
