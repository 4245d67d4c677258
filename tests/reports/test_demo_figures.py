"""The demo company shows every figure and every first screen with living numbers."""

import re
from datetime import date, datetime

import pytest

from portal import create_app, demo
from portal.people.models import GroupMove, Municipality
from portal.reports.models import PlacesTarget
from portal.reports.registry import FIGURES

from tests.conftest import CsrfClient, _config, _empty_all_tables

TODAY = date(2026, 3, 18)  # a Wednesday
NOW = datetime(2026, 3, 18, 10, 30)
LOGINS = {"admin": "beheer", "planner": "planning", "hr": "hr", "supervisor": "werkleider01"}


@pytest.fixture(scope="module")
def demo_app(_migrated, tmp_path_factory):
    application = create_app(_config(_migrated, tmp_path_factory.mktemp("demo-figures")))
    application.test_client_class = CsrfClient
    with application.app_context():
        demo.fill(seed=3, today=TODAY, now=NOW)
    yield application
    _empty_all_tables()


def _client(app, role):
    client = app.test_client()
    client.get("/auth/login")
    response = client.post("/auth/login", data={"username": LOGINS[role],
                                                 "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302
    client.csrf_token = None
    return client


def test_targets_for_every_municipality_and_a_few_group_moves(demo_app):
    with demo_app.app_context():
        assert PlacesTarget.select().where(PlacesTarget.year == TODAY.year).count() == \
            Municipality.select().count()
        assert GroupMove.select().count() == 3


@pytest.mark.parametrize("slug", sorted(FIGURES))
def test_every_figure_has_numbers_this_month(slug, demo_app, monkeypatch):
    from portal import timeutil

    monkeypatch.setattr(timeutil, "today", lambda: TODAY)
    reader = "admin" if "admin" in FIGURES[slug].READERS else FIGURES[slug].READERS[0]
    html = _client(demo_app, reader).get(f"/reports/{slug}/").get_data(as_text=True)
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    numbers = [int(n.replace(".", "")) for n in re.findall(r">\s*([1-9][\d.]*)(?:,\d+)?%?\s*<", body)]
    assert numbers, f"{slug}: no figure above nought"


@pytest.mark.parametrize("role", sorted(LOGINS))
def test_every_first_screen_has_something_to_do(role, demo_app, monkeypatch):
    from portal import timeutil

    monkeypatch.setattr(timeutil, "today", lambda: TODAY)
    monkeypatch.setattr(timeutil, "utcnow", lambda: NOW)
    html = _client(demo_app, role).get("/overview").get_data(as_text=True)
    counts = [int(n.replace(".", "")) for n in re.findall(r'class="attention-count">([\d.]+)<', html)]
    assert counts and any(counts), role


def test_the_demo_detachments_have_amounts_billed_and_to_be_billed(demo_app):
    from flask_babel import force_locale

    from portal.reports import detachment_amounts

    with demo_app.test_request_context(), force_locale("nl"):
        last_month, this_month = date(2026, 2, 1), date(2026, 3, 1)
        found = detachment_amounts.per_month(
            detachment_amounts.client_months([last_month, this_month]))
        # Last month's statements were sent (approved, awaiting, disputed); this month's not yet.
        assert found[last_month]["approved"] > 0 and found[last_month]["disputed"] > 0
        assert found[this_month]["not_sent"] > 0
        assert found[this_month]["approved"] == found[this_month]["sent"] == 0


def test_the_demo_orders_figure_per_product_group(demo_app, monkeypatch):
    from portal import timeutil

    monkeypatch.setattr(timeutil, "today", lambda: TODAY)
    html = _client(demo_app, "planner").get(
        "/reports/orders/?period=quarter&by=product_group").get_data(as_text=True)
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    assert "Verpakken" in body and "Assemblage" in body and "Kerstpakketten" not in body
