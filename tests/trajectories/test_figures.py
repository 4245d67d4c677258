"""The municipalities' figures: quarters, outflow, retention, the filters, and "< 5" for small
numbers (the rule itself: tests/test_suppression.py)."""

from datetime import date

from portal.suppression import SUPPRESSED as HIDDEN
from portal.trajectories import figures, rules
from portal.trajectories.figures import Narrowing
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


def _total(places, **chosen):
    narrowing = Narrowing(**{name: places[value].id if name != "employment" else value
                             for name, value in chosen.items()})
    return figures.quarter_figures(2026, 1, narrowing)[-1]


def test_the_filters_count_each_trajectory_by_the_group_of_its_first_day(make):
    places = build.sited_company(make)
    everyone = figures.quarter_figures(2026, 1)
    assert [(r.municipality, r.started) for r in everyone] == [
        ("Brugveen", 5), ("Lindendal", 13), (None, 18)]
    started = {name: _total(places, **{kind: name}).started for kind, name in (
        ("group", "a"), ("group", "b"), ("group", "c"), ("workfloor", "inpak"),
        ("workfloor", "montage"), ("workfloor", "metaal"), ("location", "noord"),
        ("location", "zuid"), ("municipality", "brugveen"), ("municipality", "lindendal"))}
    assert started == {"a": 7, "b": 5, "c": 5, "inpak": 7, "montage": 5, "metaal": 5,
                       "noord": 12, "zuid": 5, "brugveen": 5, "lindendal": 13}
    assert [_total(places, employment=kind).started for kind in ("sw", "beschut", "leerwerk")] \
        == [12, 5, 1]
    assert _total(places, location="zuid", employment="sw").started == 4  # the leerwerk one not


def test_filtered_figures_keep_ended_durations_follow_ups_and_the_small_number_rule(make):
    places = build.sited_company(make)
    group_a = _total(places, group="a")
    assert (group_a.in_trajectory, group_a.ended_total, group_a.outflow) == (7, 6, 5)
    assert group_a.average_days == 55
    assert group_a.still_working(6) == (0, 0)
    group_b = _total(places, group="b")
    assert group_b.still_working(6) == (4, 5)  # the follow-ups go with their trajectories
    assert _total(places, employment="beschut").still_working(6) == (0, 0)
    shown = figures.shown(group_a)
    assert (shown["started"], shown["outflow"], shown["outflow_percent"]) == (7, 5, HIDDEN)
    assert figures.shown(_total(places, employment="leerwerk"))["started"] == HIDDEN
    assert figures.shown(_total(places, group="b"))["working_6_percent"] == HIDDEN  # 4 of 5


def test_one_municipality_gives_its_row_and_its_total(make):
    places = build.sited_company(make)
    rows = figures.quarter_figures(2026, 1, Narrowing(municipality=places["brugveen"].id))
    assert [(r.municipality, r.started, r.in_trajectory) for r in rows] == [
        ("Brugveen", 5, 5), (None, 5, 5)]
    assert figures.quarter_figures(2026, 1, Narrowing(groups=()))[-1].started == 0
    supervised = Narrowing(groups=(places["a"].id, places["c"].id))
    assert figures.quarter_figures(2026, 1, supervised)[-1].started == 12
