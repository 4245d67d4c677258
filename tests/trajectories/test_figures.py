"""The municipalities' figures: quarters, outflow, retention, and "< 5" for small numbers (the
rule itself: tests/test_suppression.py)."""

from datetime import date

from portal.suppression import SUPPRESSED as HIDDEN
from portal.trajectories import figures, rules
from portal.trajectories.models import REGULAR_JOB, STOPPED
from tests.trajectories import build


def test_quarter_bounds():
    assert figures.quarter_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 3, 31))
    assert figures.quarter_bounds(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    assert figures.quarter_of(date(2026, 8, 15)) == (2026, 3)
    assert figures.recent_quarters(date(2026, 2, 1), 3) == [(2026, 1), (2025, 4), (2025, 3)]


def _ended(make, place, start, end, outcome, **kwargs):
    made = build.trajectory(make, municipality=place, start=start, kind_=build.kind(
        name=f"Soort {make._n()}"))
    return made, rules.end_trajectory(made, outcome=outcome, day=end, user=None, **kwargs)


def test_the_quarter_counts_running_started_ended_outflow_duration_and_retention(make):
    lindendal, brugveen = make.municipality(name="Lindendal"), make.municipality(name="Brugveen")
    # Lindendal: 6 started in Q1 2026; 5 of them ended in Q1 to a regular job; 1 stopped.
    jobs = [_ended(make, lindendal, date(2026, 1, 5), date(2026, 3, 5), REGULAR_JOB,
                   employer="X", hours=20, contract="permanent") for _ in range(5)]
    _ended(make, lindendal, date(2026, 1, 5), date(2026, 2, 3), STOPPED, reason="moved")
    # One running since last year, in Brugveen.
    build.trajectory(make, municipality=brugveen, start=date(2025, 11, 3))
    # Follow-ups of older placements due in Q1 2026: five at 6 months, four still working.
    for n in range(5):
        _made, (six, _twelve) = _ended(make, lindendal, date(2025, 1, 6), date(2025, 8, 1),
                                       REGULAR_JOB, employer="X", hours=20, contract="on_call")
        rules.answer_follow_up(six, "not_working" if n == 0 else "same_employer",
                               date(2026, 2, 2), None)
    rows = {r.municipality: r for r in figures.quarter_figures(2026, 1)}
    q1 = rows["Lindendal"]
    assert (q1.in_trajectory, q1.started, q1.ended_total, q1.outflow) == (6, 6, 6, 5)
    assert q1.outflow_percent == 83
    # 5 x (5 Jan - 5 Mar: 60 days) + (5 Jan - 3 Feb: 30 days) = 330 / 6 = 55 days.
    assert q1.average_days == 55
    assert q1.still_working(6) == (4, 5) and q1.still_working_percent(6) == 80
    assert rows["Brugveen"].in_trajectory == 1 and rows["Brugveen"].started == 0
    total = rows[None]
    assert (total.in_trajectory, total.started, total.outflow) == (7, 6, 5)

    shown = figures.shown(q1)
    assert shown["in_trajectory"] == 6 and shown["outflow"] == 5
    assert shown["outflow_percent"] == HIDDEN  # 5 of 6: the one who stopped is alone
    assert shown["ended_stopped"] == HIDDEN
    assert shown["average_days"] == 55
    assert shown["working_6_percent"] == HIDDEN  # 4 of 5
    assert figures.shown(rows["Brugveen"])["in_trajectory"] == HIDDEN
