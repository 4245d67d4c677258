"""A tablet's scan that arrived days late waits on the day view until the supervisor accepts it."""

from datetime import date

from portal.attendance.models import AttendanceSegment, Correction
from portal.kiosk.models import Scan
from tests.factories import at

DAY = date(2026, 11, 16)


def test_the_supervisor_sees_a_late_scan_and_accepts_it_into_the_day(make, login):
    boss = make.user("supervisor")
    group = make.group(supervisor=boss)
    anna = make.employee(work_group=group, first_name="Anna", last_name="Vos")
    forgotten = make.segment(anna, DAY, "08:00", "16:00", out_source="system",
                             closed_by_system=True)
    late = make.late_scan(anna, DAY, "14:45")
    client = login(boss)
    url = f"/attendance/groups/{group.id}/{DAY.isoformat()}"
    page = client.get(url).get_data(as_text=True)
    assert "Kioskscans die te laat binnenkwamen" in page and "gescand om 14:45" in page

    answer = client.post(f"{url}/late-scans/{late.id}/accept")

    assert answer.status_code == 303
    current = AttendanceSegment.get((AttendanceSegment.employee == anna)
                                    & AttendanceSegment.superseded_by.is_null())
    assert current.check_in == at(DAY, "08:00") and current.check_out == at(DAY, "14:45")
    assert AttendanceSegment.get_by_id(forgotten.id).superseded_by_id == current.id
    (correction,) = Correction.select()
    assert correction.made_by_id == boss.id and "14:45" in correction.reason
    assert Scan.get_by_id(late.id).outcome == "late_accepted"
    page = client.get(url).get_data(as_text=True)
    assert "Kioskscans die te laat binnenkwamen" not in page
    # accepted once: a second post finds nothing to accept
    assert client.post(f"{url}/late-scans/{late.id}/accept").status_code == 404


def test_a_late_scan_without_a_registration_to_complete_is_refused_in_words(make, login):
    boss = make.user("supervisor")
    group = make.group(supervisor=boss)
    anna = make.employee(work_group=group)
    late = make.late_scan(anna, DAY, "14:45")
    client = login(boss)
    url = f"/attendance/groups/{group.id}/{DAY.isoformat()}"
    answer = client.post(f"{url}/late-scans/{late.id}/accept", follow_redirects=True)
    assert "Deze scan maakt geen registratie van zijn dag compleet" in answer.get_data(as_text=True)
    assert AttendanceSegment.select().count() == 0
