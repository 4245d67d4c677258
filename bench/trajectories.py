"""Benchmark: trajectories at the size of a regional learn-work company.

Builds a throwaway database (a SQLite file, and PostgreSQL when a server URL is given) with
9,000 candidates in nine municipalities, three years of trajectories (some people on their
second), an evaluation every eight to twelve weeks of the default 16 skills, outcomes and
follow-ups; then times, median of 7 runs after one warm-up:

- ranking every open candidate for one vacancy (hr's view: all of them),
- one coach's list (his caseload of about 90, with phases, signals and latest evaluations),
- the quarter's figures for the nine municipalities.

    .venv/bin/python bench/trajectories.py [--pg postgresql://postgres@127.0.0.1:5432/postgres]

The target: each under 300 ms (median).
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask  # noqa: E402
from flask_babel import Babel  # noqa: E402

from portal import db  # noqa: E402
from tests.throwaway import throwaway_postgres  # noqa: E402
from portal.auth.models import User  # noqa: E402
from portal.people.models import Client, Employee, Municipality  # noqa: E402
from portal.trajectories import figures, rules  # noqa: E402
from portal.trajectories.models import (FollowUp, Phase, PhaseRule, Skill,  # noqa: E402
                                        Trajectory, TrajectoryKind)

CANDIDATES = 9_000
MUNICIPALITIES = 9
COACHES = 60
TODAY = date(2026, 11, 30)
FIRST_DAY = TODAY - timedelta(days=3 * 365)
BATCH = 5_000
RUNS = 7


def _insert(model, rows):
    for start in range(0, len(rows), BATCH):
        model.insert_many(rows[start:start + BATCH]).execute()


def build(seed: int = 11) -> dict:
    """Fill the database; return counts."""
    rng = random.Random(seed)
    counts = dict(trajectories=0, evaluations=0, scores=0, follow_ups=0)
    with db.database.atomic():
        rules.install_defaults()
        skills = [s.id for s in Skill.select().order_by(Skill.id)]
        kinds = list(TrajectoryKind.select())
        first_rule = {r.kind_id: r for r in PhaseRule.select().where(PhaseRule.position == 1)}
        towns = [Municipality.create(name=f"Gemeente {n}") for n in range(MUNICIPALITIES)]
        coaches = [User.create(username=f"coach{n}", display_name=f"Coach {n}", role="jobcoach",
                               password_hash="-") for n in range(COACHES)]
        hr = User.create(username="hr", display_name="HR", role="hr", password_hash="-")
        _insert(Employee, [dict(id=n, employee_number=f"K{n:05d}", first_name=f"Voornaam{n}",
                                last_name=f"Achternaam{n}",
                                employment=rng.choice(("leerwerk", "beschut", "sw",
                                                       "proefplaatsing", "garantiebaan")),
                                contract_hours=Decimal(24), municipality=towns[n % MUNICIPALITIES],
                                start_date=FIRST_DAY) for n in range(1, CANDIDATES + 1)])
        trajectories, phases, evaluations, scores, follow_ups = [], [], [], [], []
        evaluation_id = 0
        for person in range(1, CANDIDATES + 1):
            start = FIRST_DAY + timedelta(days=rng.randint(0, 3 * 365 - 30))
            spans = [(start, None)]
            if rng.random() < 0.45:  # ended; a third of them came back for a second one
                end = min(TODAY, start + timedelta(days=rng.randint(60, 500)))
                spans = [(start, end)]
                if rng.random() < 0.33 and (TODAY - end).days > 60:
                    spans.append((end + timedelta(days=rng.randint(30, 60)), None))
            for begin, end in spans:
                if begin > TODAY:
                    continue
                kind = rng.choice(kinds)
                ident = len(trajectories) + 1
                outcome = None if end is None else rng.choices(
                    ("regular_job", "garantiebaan", "education", "transfer", "stopped"),
                    weights=(40, 20, 10, 10, 20))[0]
                day, latest, level = begin + timedelta(weeks=3), None, rng.randint(1, 3)
                while day <= (end or TODAY):
                    evaluation_id += 1
                    evaluations.append(dict(id=evaluation_id, trajectory=ident, day=day,
                                            made_by=coaches[person % COACHES].id, comment=""))
                    level = min(5, level + (rng.random() < 0.3))
                    scores.extend(dict(evaluation=evaluation_id, skill=s,
                                       value=max(1, min(5, level + rng.choice((-1, 0, 0, 1)))))
                                  for s in skills)
                    latest = evaluation_id
                    day += timedelta(weeks=rng.randint(8, 12))
                trajectories.append(dict(
                    id=ident, employee=person, kind=kind.id, coach=coaches[person % COACHES].id,
                    start_date=begin, status="open" if end is None else "ended", ended_on=end,
                    outcome=outcome, latest_evaluation_id=latest, outcome_employer="",
                    created_by=hr.id))
                rule = first_rule[kind.id]
                phases.append(dict(trajectory=ident, position=1, name=rule.name,
                                   start_date=begin, end_date=end, max_days=rule.max_days))
                if outcome in ("regular_job", "garantiebaan"):
                    for months in (6, 12):
                        due = rules.add_months(end, months)
                        answered = due <= TODAY
                        follow_ups.append(dict(
                            trajectory=ident, months=months, due_on=due,
                            answer=rng.choices(("same_employer", "other_employer",
                                                "not_working"), weights=(70, 10, 20))[0]
                            if answered else None, answered_on=due if answered else None))
        _insert(Trajectory, trajectories)
        _insert(Phase, phases)
        from portal.trajectories.models import Evaluation, Score

        _insert(Evaluation, evaluations)
        _insert(Score, scores)
        _insert(FollowUp, follow_ups)
        client = Client.create(name="Bench BV")
        vacancy = rules.save_vacancy(None, client=client, title="Orderpicker", hours_per_week=24,
                                     place="", status="open",
                                     requirements={skills[6]: "4", skills[9]: "3",
                                                   skills[10]: "3", skills[14]: "2"},
                                     user=hr.id)
    counts.update(trajectories=len(trajectories), evaluations=len(evaluations),
                  scores=len(scores), follow_ups=len(follow_ups),
                  open=sum(t["status"] == "open" for t in trajectories))
    return dict(counts=counts, vacancy=vacancy, hr=hr, coach=coaches[7])


def timed(action) -> tuple[float, object]:
    action()  # warm-up
    times, result = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, result


def bench(url: str, label: str) -> None:
    app = Flask("bench")
    Babel(app)
    db.database.initialize(db.open_database(url))
    with app.app_context(), db.database.connection_context():
        db.migrate()
        t0 = time.perf_counter()
        made = build()
        # Fresh tables have no statistics yet; a running database has them (autovacuum).
        db.database.execute_sql("ANALYZE")
        c = made["counts"]
        print(f"\n== {label} ==")
        print(f"data: {CANDIDATES:,} candidates in {MUNICIPALITIES} municipalities, "
              f"{c['trajectories']:,} trajectories ({c['open']:,} open), "
              f"{c['evaluations']:,} evaluations with {c['scores']:,} scores, "
              f"{c['follow_ups']:,} follow-ups; built in {time.perf_counter() - t0:.1f} s")
        ms, ranked = timed(lambda: rules.rank_candidates(made["vacancy"], made["hr"]))
        print(f"rank all {len(ranked):,} open candidates for one vacancy: {ms:.0f} ms median "
              f"(target < 300 ms)")
        ms, rows = timed(lambda: rules.caseload(made["coach"], TODAY))
        print(f"one coach's list ({len(rows)} trajectories): {ms:.0f} ms median "
              f"(target < 300 ms)")
        ms, quarter = timed(lambda: [figures.shown(r) for r in figures.quarter_figures(2026, 3)])
        print(f"quarter figures 2026 Q3, {len(quarter) - 1} municipalities and the total: "
              f"{ms:.0f} ms median (target < 300 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="a PostgreSQL server URL; a throwaway database is made there")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench(f"sqlite:///{tmp}/bench.sqlite3", "SQLite")
        db.database.obj.close()
    if args.pg:
        with throwaway_postgres(args.pg, "portal_bench") as url:
            bench(url, "PostgreSQL")


if __name__ == "__main__":
    main()
