"""A summary of who was present: people per day, site and group, for the occupancy figure.

Counting a year of check-ins (1.5 million at 10,000 people) took the database three seconds;
the figure reads these few rows instead. `presence_day` lists the days whose counts are in
`presence_count`. Triggers forget a day the moment anything that counts for it changes (a
check-in, a correction, a back-dated group move), so the figure refills it from the check-ins
and is never stale. They fire only for days before the database's own date: the summary never
holds a later day, and the rush of today's scans does not touch these tables at all.

A frozen copy of the models; never imports portal.*.
"""

from peewee import CompositeKey, DateField, IntegerField, Model, SqliteDatabase

SQLITE_TRIGGERS = [
    """CREATE TRIGGER presence_forget_segment_insert AFTER INSERT ON attendance_segment
       WHEN NEW.day < date('now')
       BEGIN
         DELETE FROM presence_day WHERE day = NEW.day;
         DELETE FROM presence_count WHERE day = NEW.day;
       END""",
    """CREATE TRIGGER presence_forget_segment_update AFTER UPDATE ON attendance_segment
       WHEN NEW.day < date('now') OR OLD.day < date('now')
       BEGIN
         DELETE FROM presence_day WHERE day IN (OLD.day, NEW.day);
         DELETE FROM presence_count WHERE day IN (OLD.day, NEW.day);
       END""",
    """CREATE TRIGGER presence_forget_segment_delete AFTER DELETE ON attendance_segment
       WHEN OLD.day < date('now')
       BEGIN
         DELETE FROM presence_day WHERE day = OLD.day;
         DELETE FROM presence_count WHERE day = OLD.day;
       END""",
    """CREATE TRIGGER presence_forget_move_insert AFTER INSERT ON group_move
       WHEN NEW.moved_on < date('now')
       BEGIN
         DELETE FROM presence_day WHERE day >= NEW.moved_on;
         DELETE FROM presence_count WHERE day >= NEW.moved_on;
       END""",
    """CREATE TRIGGER presence_forget_move_update AFTER UPDATE ON group_move
       BEGIN
         DELETE FROM presence_day WHERE day >= MIN(OLD.moved_on, NEW.moved_on);
         DELETE FROM presence_count WHERE day >= MIN(OLD.moved_on, NEW.moved_on);
       END""",
    """CREATE TRIGGER presence_forget_move_delete AFTER DELETE ON group_move
       BEGIN
         DELETE FROM presence_day WHERE day >= OLD.moved_on;
         DELETE FROM presence_count WHERE day >= OLD.moved_on;
       END""",
]

POSTGRES_TRIGGERS = [
    """CREATE FUNCTION presence_forget_segment() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP <> 'INSERT' AND OLD.day < CURRENT_DATE THEN
           DELETE FROM presence_day WHERE day = OLD.day;
           DELETE FROM presence_count WHERE day = OLD.day;
         END IF;
         IF TG_OP <> 'DELETE' AND NEW.day < CURRENT_DATE THEN
           DELETE FROM presence_day WHERE day = NEW.day;
           DELETE FROM presence_count WHERE day = NEW.day;
         END IF;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER presence_forget_segment AFTER INSERT OR UPDATE OR DELETE
       ON attendance_segment FOR EACH ROW EXECUTE FUNCTION presence_forget_segment()""",
    """CREATE FUNCTION presence_forget_move() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE since date;
       BEGIN
         IF TG_OP = 'INSERT' THEN since := NEW.moved_on;
         ELSIF TG_OP = 'DELETE' THEN since := OLD.moved_on;
         ELSE since := LEAST(OLD.moved_on, NEW.moved_on);
         END IF;
         IF since < CURRENT_DATE THEN
           DELETE FROM presence_day WHERE day >= since;
           DELETE FROM presence_count WHERE day >= since;
         END IF;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER presence_forget_move AFTER INSERT OR UPDATE OR DELETE
       ON group_move FOR EACH ROW EXECUTE FUNCTION presence_forget_move()""",
]


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

    db.create_tables([PresenceDay, PresenceCount])
    for statement in SQLITE_TRIGGERS if isinstance(db, SqliteDatabase) else POSTGRES_TRIGGERS:
        db.execute_sql(statement)
