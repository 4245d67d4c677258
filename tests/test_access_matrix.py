"""Every route of the app, for anonymous, admin, planner, supervisor, hr and jobcoach."""

import importlib
import pkgutil
from types import SimpleNamespace

import pytest
from flask import url_for

import tests.access
from portal import create_app
from tests.access import ROLES


def _all_cases():
    cases = []
    for module in pkgutil.iter_modules(tests.access.__path__):
        cases.extend(importlib.import_module(f"tests.access.{module.name}").CASES)
    return cases


CASES = _all_cases()
SHARED = [case for case in CASES if case.shares_session]
SEPARATE = [case for case in CASES if not case.shares_session]


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method


def test_every_route_has_a_case(tmp_path):
    app = create_app({"SECRET_KEY": "x" * 32, "INSTANCE_PATH": str(tmp_path),
                      "DATABASE_URL": f"sqlite:///{tmp_path}/unused.sqlite3"})
    covered = {(case.endpoint, case.method) for case in CASES}
    missing = sorted(set(_routes(app)) - covered)
    assert not missing, f"routes without an access case in tests/access/: {missing}"
    stale = sorted(covered - set(_routes(app)))
    assert not stale, f"access cases for routes that do not exist: {stale}"


@pytest.fixture
def world(make):
    """One of everything, with a supervisor who leads `group` and another who leads `other_group`.

    `jobcoach` coaches nothing yet; the detachments area gives him an individual detachment.
    """
    supervisor = make.user("supervisor")
    other_supervisor = make.user("supervisor")
    group = make.group(supervisor=supervisor)
    other_group = make.group(supervisor=other_supervisor)
    w = SimpleNamespace(
        admin=make.user("admin"), planner=make.user("planner"), hr=make.user("hr"),
        supervisor=supervisor, other_supervisor=other_supervisor,
        jobcoach=make.user("jobcoach"), other_jobcoach=make.user("jobcoach"),
        group=group, other_group=other_group,
        municipality=make.municipality(), client=make.client(),
        location=group.workfloor.location, workfloor=group.workfloor,
    )
    w.employee = make.employee(work_group=group, municipality=w.municipality)
    w.other_employee = make.employee(work_group=other_group, municipality=w.municipality)
    # Areas add their own rows through tests/access/worlds.py hooks, if any.
    for hook in getattr(tests.access, "WORLD_HOOKS", []):
        hook(w, make)
    return w


def _answer(app, client, world, case):
    with app.test_request_context():
        url = url_for(case.endpoint, **case.args(world))
    response = client.open(url, method=case.method, data=case.data(world) or None,
                           headers=case.headers)
    return url, response


@pytest.mark.parametrize("role", ROLES)
def test_read_routes_answer_role_as_expected(app, client, login, world, role):
    if role != "anonymous":
        login(getattr(world, role))
    wrong = []
    for case in SHARED:
        url, response = _answer(app, client, world, case)
        if response.status_code != case.expected(role) or b"Traceback" in response.data:
            wrong.append(f"GET {url}: {response.status_code}, expected {case.expected(role)}")
        elif response.status_code == 200 and case.reveals:
            wrong.extend(f"GET {url}: {leak}" for leak in
                         case.leaks(role, response.get_data(as_text=True)))
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", SEPARATE, ids=lambda c: f"{c.method} {c.endpoint}")
def test_route_answers_role_as_expected(app, client, login, world, case, role):
    if role != "anonymous":
        login(getattr(world, role))
    url, response = _answer(app, client, world, case)
    assert response.status_code == case.expected(role), (
        f"{role} {case.method} {url}: {response.status_code}")
    assert b"Traceback" not in response.data
    if response.status_code == 200 and case.reveals:
        assert not case.leaks(role, response.get_data(as_text=True)), (role, url)
