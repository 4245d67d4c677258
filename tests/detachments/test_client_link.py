"""The client's link: one statement, nothing else, no session, and clear pages when it fails."""

import re
from datetime import date, timedelta

import pytest

from portal.detachments import statements as statement_rules
from portal.detachments.models import Statement, StatementDispute, StatementLink
from portal.timeutil import utcnow

MARCH = date(2026, 3, 1)
PUBLIC = {"client_link.public_statement", "client_link.public_approve",
          "client_link.public_dispute"}


def _sent(make, name):
    person = make.employee(first_name=name, last_name="Werker")
    det = make.detachment(people=[person], name=f"Klus {name}", rate="30")
    make.worked(person, date(2026, 3, 2), 8, det.location)
    statement, token = statement_rules.send_statement(det, MARCH)
    return person, det, statement, token


def _form_token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@pytest.fixture
def two(make):
    return _sent(make, "Anna"), _sent(make, "Bert")


def test_the_link_shows_its_own_statement_and_nothing_of_another(client, two):
    (anna, det_a, _st_a, token_a), (bert, det_b, _st_b, _token_b) = two
    response = client.get(f"/detachments/link/{token_a}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Klus Anna" in page and "Anna Werker" in page
    assert "Klus Bert" not in page and "Bert Werker" not in page
    assert det_a.client.name in page and det_b.client.name not in page


def test_approving_through_one_link_changes_only_that_statement(client, two):
    (_a, _da, st_a, token_a), (_b, _db, st_b, _token_b) = two
    page = client.get(f"/detachments/link/{token_a}").get_data(as_text=True)
    form_token = _form_token(page)
    nameless = client.post(f"/detachments/link/{token_a}/approve",
                           data={"csrf_token": form_token, "approver_name": "  "}, csrf=False)
    assert nameless.status_code == 422 and "Geef uw naam" in nameless.get_data(as_text=True)
    assert Statement.get_by_id(st_a.id).status == "sent"
    response = client.post(f"/detachments/link/{token_a}/approve",
                           data={"csrf_token": form_token, "approver_name": " Petra  de Klant "},
                           csrf=False)
    assert response.status_code == 303
    approved = Statement.get_by_id(st_a.id)
    assert approved.status == "approved" and approved.approved_by_name == "Petra de Klant"
    assert Statement.get_by_id(st_b.id).status == "sent"
    page = client.get(f"/detachments/link/{token_a}").get_data(as_text=True)
    assert "U hebt deze urenstaat goedgekeurd" in page
    assert "goedgekeurd door Petra de Klant" in page
    again = client.post(f"/detachments/link/{token_a}/approve",
                        data={"csrf_token": form_token, "approver_name": "Piet"}, csrf=False)
    assert again.status_code == 422
    assert "wacht niet meer op goedkeuring" in again.get_data(as_text=True)


def test_a_form_token_of_another_link_or_none_is_refused(client, two):
    (_a, _da, st_a, token_a), (_b, _db, _st_b, token_b) = two
    page_b = client.get(f"/detachments/link/{token_b}").get_data(as_text=True)
    for data in ({}, {"csrf_token": _form_token(page_b)}, {"csrf_token": "0" * 64}):
        response = client.post(f"/detachments/link/{token_a}/approve", data=data, csrf=False)
        assert response.status_code == 400
    assert Statement.get_by_id(st_a.id).status == "sent"


def test_a_tampered_token_gives_a_clear_page(client, two):
    (_a, _da, _st, token_a), _other = two
    for bad in (token_a[:-2] + "xx", "kapot", "x" * 300, token_a.upper()):
        response = client.get(f"/detachments/link/{bad}")
        assert response.status_code == 404
        page = response.get_data(as_text=True)
        assert "Deze link is ongeldig" in page
        assert "Traceback" not in page
    response = client.post(f"/detachments/link/{token_a[:-2]}xx/approve", data={}, csrf=False)
    assert response.status_code == 404


def test_a_revoked_link_no_longer_works(client, two):
    (_a, _da, st_a, token_a), _other = two
    statement_rules.revoke_link(StatementLink.get(StatementLink.statement == st_a.id))
    response = client.get(f"/detachments/link/{token_a}")
    assert response.status_code == 410
    assert "ingetrokken" in response.get_data(as_text=True)
    response = client.post(f"/detachments/link/{token_a}/approve", data={}, csrf=False)
    assert response.status_code == 410
    assert Statement.get_by_id(st_a.id).status == "sent"


def test_an_expired_link_no_longer_works(client, two):
    (_a, _da, st_a, token_a), _other = two
    link = StatementLink.get(StatementLink.statement == st_a.id)
    link.expires_at = utcnow() - timedelta(minutes=1)
    link.save()
    response = client.get(f"/detachments/link/{token_a}")
    assert response.status_code == 410
    assert "verlopen" in response.get_data(as_text=True)


def test_a_new_version_stops_the_old_link(client, two):
    (_a, det_a, _st, token_a), _other = two
    _second, token_new = statement_rules.send_statement(det_a, MARCH)
    assert client.get(f"/detachments/link/{token_a}").status_code == 410
    assert client.get(f"/detachments/link/{token_new}").status_code == 200


def test_a_dispute_needs_a_comment_and_is_shown_beside_the_line(client, two):
    (anna, _da, st_a, token_a), _other = two
    page = client.get(f"/detachments/link/{token_a}").get_data(as_text=True)
    data = {"csrf_token": _form_token(page), "line_key": f"{anna.id}:2026-03-02", "comment": " "}
    response = client.post(f"/detachments/link/{token_a}/dispute", data=data, csrf=False)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'id="comment-error"' in body and "Schrijf wat er niet klopt" in body
    assert StatementDispute.select().count() == 0
    data["line_key"] = "999:2026-03-02"
    data["comment"] = "onbekend"
    assert client.post(f"/detachments/link/{token_a}/dispute", data=data,
                       csrf=False).status_code == 422
    data.update(line_key=f"{anna.id}:2026-03-02", comment="Anna was er maar 6 uur")
    response = client.post(f"/detachments/link/{token_a}/dispute", data=data, csrf=False)
    assert response.status_code == 303
    assert Statement.get_by_id(st_a.id).status == "disputed"
    page = client.get(f"/detachments/link/{token_a}").get_data(as_text=True)
    assert "Anna was er maar 6 uur" in page and "Betwist" in page
    assert "Urenstaat goedkeuren" not in page  # no approval after a dispute


def test_the_link_pages_set_no_session_and_show_no_portal(client, login, make, two):
    (_a, _da, _st, token_a), _other = two
    response = client.get(f"/detachments/link/{token_a}")
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    page = response.get_data(as_text=True)
    assert "<nav" not in page and "Uitloggen" not in page
    hrefs = set(re.findall(r'(?:href|action)="([^"]+)"', page))
    assert all(h.startswith(("/static/", f"/detachments/link/{token_a}")) for h in hrefs), hrefs
    posted = client.post(f"/detachments/link/{token_a}/approve",
                         data={"csrf_token": _form_token(page), "approver_name": "Petra"},
                         csrf=False)
    assert "Set-Cookie" not in posted.headers
    # A logged-in planner who opens a link sees no account data on it either.
    planner = make.user("planner", display_name="Petra Planner")
    login(planner)
    page = client.get(f"/detachments/link/{token_a}").get_data(as_text=True)
    assert "Petra Planner" not in page


def test_with_a_token_only_the_link_pages_are_reachable(app, client, two):
    """Anonymous, with the token and the link's own form token, every other route refuses."""
    (_a, det_a, _st, token_a), _other = two
    form_token = _form_token(client.get(f"/detachments/link/{token_a}").get_data(as_text=True))
    values = {"detachment_id": det_a.id, "client_id": det_a.client_id, "month": "2026-03",
              "member_id": 1, "link_id": 1, "rate_id": 1, "token": token_a}
    reached = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(("detachments.", "client_link.")):
            continue
        url = rule.build({k: v for k, v in values.items() if k in rule.arguments})[1]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(url, method=method, data={"csrf_token": form_token},
                                   csrf=False)
            to_login = response.status_code == 302 and "/auth/login" in response.headers.get(
                "Location", "")
            if response.status_code < 400 and not to_login or response.status_code == 422:
                reached.add(rule.endpoint)
            else:
                # Pages: to the log-in page; posts: refused for want of a session's CSRF token.
                assert to_login or (method == "POST" and response.status_code == 400)
    assert reached == PUBLIC
