"""Every detachments route for every role; the client's link routes are public by token.

A jobcoach gets 403 everywhere except his own page and the weekly hours of the individual
detachment he coaches; another individual detachment's hours answer him 404, like a forged id.
"""

from datetime import date

from tests import access
from tests.access import Case, everyone, only

MANAGERS = ("admin", "planner")
READERS = ("admin", "planner", "hr")
STAFF = ("admin", "planner", "supervisor", "hr")
HOURS = ("admin", "planner", "jobcoach")
MARCH = date(2026, 3, 1)


def _world(w, make):
    from portal.detachments import client_links as link_rules, statements as statement_rules
    from tests.conftest import _config

    where = make.client_location(w.client)
    w.detachment = make.detachment("group", group_=w.group, where=where, start=date(2026, 1, 1),
                                   rate="150", price_form="per_person_day")
    w.member = w.detachment.members.get()
    w.other_detachment = make.detachment("group", group_=w.other_group, where=where,
                                         start=date(2026, 1, 1))
    w.individual = make.detachment(people=[make.employee()], where=where, start=date(2026, 1, 1),
                                   jobcoach=w.jobcoach)
    w.other_individual = make.detachment(people=[make.employee()], where=where,
                                         start=date(2026, 1, 1), jobcoach=w.other_jobcoach)
    make.worked(w.employee, date(2026, 3, 2), 8, where)
    w.statement, w.token = statement_rules.send_statement(w.detachment, MARCH)
    w.link = w.statement.links.get()
    w.line_key = f"{w.employee.id}:2026-03-02"
    w.link_csrf = link_rules.link_form_token(_config("", "")["SECRET_KEY"], w.link)


access.WORLD_HOOKS.append(_world)


def _det(w):
    return {"detachment_id": w.detachment.id}


def _month(w):
    return {"detachment_id": w.detachment.id, "month": "2026-03"}


CASES = [
    Case("detachments.overview", "GET", only(READERS)),
    Case("detachments.list_detachments", "GET", only(STAFF)),
    Case("detachments.my_placements", "GET", only(("jobcoach",))),
    Case("detachments.new_detachment", "GET", only(MANAGERS)),
    Case("detachments.create_detachment", "POST", only(MANAGERS, 422)),
    Case("detachments.show_detachment", "GET", only(STAFF), args=_det),
    Case("detachments.show_detachment", "GET", only(STAFF, supervisor=404),
         args=lambda w: {"detachment_id": w.other_detachment.id}),
    Case("detachments.edit_detachment", "GET", only(MANAGERS), args=_det),
    Case("detachments.update_detachment", "POST", only(MANAGERS, 422), args=_det),
    Case("detachments.add_member", "POST", only(MANAGERS, 422), args=_det),
    Case("detachments.update_member", "POST", only(MANAGERS, 422),
         args=lambda w: {"detachment_id": w.detachment.id, "member_id": w.member.id}),
    Case("detachments.add_rate", "POST", only(MANAGERS, 422), args=_det),
    Case("detachments.hours_week", "GET", only(HOURS),
         args=lambda w: {"detachment_id": w.individual.id}),
    Case("detachments.hours_week", "GET", only(HOURS, jobcoach=404),
         args=lambda w: {"detachment_id": w.other_individual.id}),
    Case("detachments.hours_week", "GET", only(HOURS, 404),
         args=_det),
    Case("detachments.save_hours", "POST", only(HOURS, 422),
         args=lambda w: {"detachment_id": w.individual.id}),
    Case("detachments.save_hours", "POST", only(HOURS, 422, jobcoach=404),
         args=lambda w: {"detachment_id": w.other_individual.id}),
    Case("detachments.show_statement", "GET", only(STAFF), args=_month),
    Case("detachments.show_statement", "GET", only(STAFF, supervisor=404),
         args=lambda w: {"detachment_id": w.other_detachment.id, "month": "2026-03"}),
    Case("detachments.send_statement", "POST", only(MANAGERS),
         args=lambda w: {"detachment_id": w.detachment.id, "month": "2026-04"},
         data=lambda w: {"send_empty": "1"}),  # April has no hours yet
    Case("detachments.renew_link", "POST", only(MANAGERS), args=_month),
    Case("detachments.revoke_link", "POST", only(MANAGERS, 303),
         args=lambda w: {"detachment_id": w.detachment.id, "link_id": w.link.id}),
    Case("detachments.start_correction", "POST", only(MANAGERS, 422), args=_month),
    Case("detachments.client_statement", "GET", only(READERS),
         args=lambda w: {"client_id": w.client.id, "month": "2026-03"}),
    Case("detachments.client_statement_csv", "GET", only(READERS),
         args=lambda w: {"client_id": w.client.id, "month": "2026-03"}),
    Case("detachments.client_statement_xlsx", "GET", only(READERS),
         args=lambda w: {"client_id": w.client.id, "month": "2026-03"}),
    Case("client_link.public_statement", "GET", everyone(200, anonymous=200),
         args=lambda w: {"token": w.token}),
    Case("client_link.public_approve", "POST", everyone(303, anonymous=303),
         args=lambda w: {"token": w.token},
         data=lambda w: {"csrf_token": w.link_csrf, "approver_name": "Petra de Klant"}),
    Case("client_link.public_dispute", "POST", everyone(303, anonymous=303),
         args=lambda w: {"token": w.token},
         data=lambda w: {"csrf_token": w.link_csrf, "line_key": w.line_key,
                         "comment": "Was maar 6 uur"}),
]

CASES.append(Case("detachments.update_rate", "POST", only(MANAGERS, 422),
                  args=lambda w: {"detachment_id": w.detachment.id,
                                  "rate_id": w.detachment.rates.get().id}))
CASES.append(Case("detachments.remove_member", "POST", only(MANAGERS, 303),
                  args=lambda w: {"detachment_id": w.individual.id,
                                  "member_id": w.individual.members.get().id}))
