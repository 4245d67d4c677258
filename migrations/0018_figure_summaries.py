"""Day summaries for two figures (portal/reports/summary.py): presence per day, site and
group for the occupancy figure, and each expected absence with its minutes for the absence
figure.

Counting a year of check-ins (1.5 million at 10,000 people) took the database three seconds,
and a year of absences with their schedules more than one; the figures read these rows
instead. `presence_day` and `absence_summary_day` list the days each holds. Triggers forget a
day the moment anything it was computed from changes, so the figures refill it and are never
stale:
- presence: a check-in of the day (added, corrected, removed); a group move reaching back;
- absence: an absence of the day; a schedule version or its days (from the day it takes
  effect); an employee's contract dates (from the earlier start).
They fire only for days before the database's own date: the summaries never hold a later day,
and the rush of today's scans does not touch these tables at all.

A frozen copy of the models; never imports portal.*.
"""

from peewee import CompositeKey, DateField, IntegerField, CharField, Model, SqliteDatabase

# (table, the first day a change to a row of it makes stale: as SQL over NEW or OLD, None to
# forget only that row's own day), for each summary's held-days table and rows table.
PRESENCE = ("presence_day", "presence_count")
ABSENCE = ("absence_summary_day", "absence_day")


def _sqlite_forget(tables, since: str) -> str:
    return " ".join(f"DELETE FROM {table} WHERE day >= {since};" for table in tables)


def _sqlite_forget_day(tables, day: str) -> str:
    return " ".join(f"DELETE FROM {table} WHERE day = {day};" for table in tables)


def sqlite_triggers() -> list[str]:
    made = []
    for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        name = event.lower()
        both = event == "UPDATE"
        # A check-in or an absence: its own day (and its old day, when an update moved it).
        for source, tables in (("attendance_segment", PRESENCE), ("absence", ABSENCE)):
            days = [f"{row}.day"] + (["OLD.day"] if both else [])
            when = " OR ".join(f"{day} < date('now')" for day in days)
            body = " ".join(_sqlite_forget_day(tables, day) for day in days)
            made.append(f"CREATE TRIGGER forget_{source}_{name} AFTER {event} ON {source} "
                        f"WHEN {when} BEGIN {body} END")
        # A group move: the days from it on, for presence.
        since = "MIN(OLD.moved_on, NEW.moved_on)" if both else f"{row}.moved_on"
        made.append(f"CREATE TRIGGER forget_group_move_{name} AFTER {event} ON group_move "
                    f"WHEN {since} < date('now') BEGIN {_sqlite_forget(PRESENCE, since)} END")
        # A schedule version: the days from the day it takes effect, for absence.
        since = "MIN(OLD.valid_from, NEW.valid_from)" if both else f"{row}.valid_from"
        made.append(f"CREATE TRIGGER forget_schedule_{name} AFTER {event} ON schedule "
                    f"WHEN {since} < date('now') BEGIN {_sqlite_forget(ABSENCE, since)} END")
        # A day of a schedule version: from the day that version takes effect.
        version = f"(SELECT valid_from FROM schedule WHERE id = {row}.schedule_id)"
        made.append(f"CREATE TRIGGER forget_schedule_day_{name} AFTER {event} ON schedule_day "
                    f"BEGIN {_sqlite_forget(ABSENCE, version)} END")
    made.append(
        "CREATE TRIGGER forget_employee_contract AFTER UPDATE OF start_date, end_date "
        "ON employee WHEN OLD.start_date IS NOT NEW.start_date "
        "OR OLD.end_date IS NOT NEW.end_date BEGIN "
        + _sqlite_forget(ABSENCE, "MIN(OLD.start_date, NEW.start_date)") + " END")
    return made


def _pg_forget(tables, since: str) -> str:
    return " ".join(f"DELETE FROM {table} WHERE day >= {since};" for table in tables)


def _pg_function(name: str, declare: str, body: str) -> str:
    return (f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"DECLARE {declare} BEGIN {body} RETURN NULL; END $$")


def _pg_trigger(name: str, table: str, events: str = "INSERT OR UPDATE OR DELETE") -> str:
    return (f"CREATE TRIGGER {name} AFTER {events} ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION {name}()")


def postgres_triggers() -> list[str]:
    made = []
    for source, tables in (("attendance_segment", PRESENCE), ("absence", ABSENCE)):
        forget = "".join(f"DELETE FROM {table} WHERE day = changed;" for table in tables)
        made.append(_pg_function(
            f"forget_{source}", "changed date;",
            "IF TG_OP <> 'INSERT' AND OLD.day < CURRENT_DATE THEN changed := OLD.day; "
            f"{forget} END IF; "
            "IF TG_OP <> 'DELETE' AND NEW.day < CURRENT_DATE THEN changed := NEW.day; "
            f"{forget} END IF;"))
        # The condition in each trigger's WHEN, so that today's rows (the kiosk's) never
        # call the function at all.
        for event, when in (("INSERT", "NEW.day < CURRENT_DATE"),
                            ("UPDATE", "OLD.day < CURRENT_DATE OR NEW.day < CURRENT_DATE"),
                            ("DELETE", "OLD.day < CURRENT_DATE")):
            made.append(f"CREATE TRIGGER forget_{source}_{event.lower()} AFTER {event} "
                        f"ON {source} FOR EACH ROW WHEN ({when}) "
                        f"EXECUTE FUNCTION forget_{source}()")
    for source, column, tables in (("group_move", "moved_on", PRESENCE),
                                   ("schedule", "valid_from", ABSENCE)):
        made.append(_pg_function(
            f"forget_{source}", "since date;",
            f"IF TG_OP = 'INSERT' THEN since := NEW.{column}; "
            f"ELSIF TG_OP = 'DELETE' THEN since := OLD.{column}; "
            f"ELSE since := LEAST(OLD.{column}, NEW.{column}); END IF; "
            f"IF since < CURRENT_DATE THEN {_pg_forget(tables, 'since')} END IF;"))
        made.append(_pg_trigger(f"forget_{source}", source))
    made.append(_pg_function(
        "forget_schedule_day", "since date;",
        "SELECT valid_from INTO since FROM schedule WHERE id = "
        "CASE WHEN TG_OP = 'DELETE' THEN OLD.schedule_id ELSE NEW.schedule_id END; "
        f"IF since < CURRENT_DATE THEN {_pg_forget(ABSENCE, 'since')} END IF;"))
    made.append(_pg_trigger("forget_schedule_day", "schedule_day"))
    made.append(_pg_function(
        "forget_employee_contract", "",
        "IF OLD.start_date IS DISTINCT FROM NEW.start_date "
        "OR OLD.end_date IS DISTINCT FROM NEW.end_date THEN "
        f"{_pg_forget(ABSENCE, 'LEAST(OLD.start_date, NEW.start_date)')} END IF;"))
    made.append(_pg_trigger("forget_employee_contract", "employee",
                            "UPDATE OF start_date, end_date"))
    return made


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class PresenceDay(Base):
        day = DateField(primary_key=True)

    class PresenceCount(Base):
        day = DateField()
        location_id = IntegerField()
        work_group_id = IntegerField()
        people = IntegerField()

        class Meta:
            primary_key = CompositeKey("day", "location_id", "work_group_id")

    class AbsenceSummaryDay(Base):
        day = DateField(primary_key=True)

    class AbsenceDay(Base):
        day = DateField()
        employee_id = IntegerField()
        code = CharField(max_length=20)
        minutes = IntegerField()
        previous_expected = IntegerField(null=True)

        class Meta:
            primary_key = CompositeKey("day", "employee_id", "code")

    db.create_tables([PresenceDay, PresenceCount, AbsenceSummaryDay, AbsenceDay])
    triggers = sqlite_triggers() if isinstance(db, SqliteDatabase) else postgres_triggers()
    for statement in triggers:
        db.execute_sql(statement)
