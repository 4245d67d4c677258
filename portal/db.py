"""One database for the whole portal: SQLite by default, PostgreSQL when the URL says so."""

import uuid
from contextlib import contextmanager
from pathlib import Path

import click
import peewee
from flask import Flask
from playhouse import db_url
from playhouse.migrations import Runner

database = peewee.DatabaseProxy()

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

SQLITE_PRAGMAS = {
    # WAL lets kiosk scans write while supervisors read.
    "journal_mode": "wal",
    "foreign_keys": 1,
    # An acknowledged scan must survive a power cut on the workfloor server.
    "synchronous": "full",
    "busy_timeout": 10_000,
}


class BaseModel(peewee.Model):
    """Every model of the portal: bound to the shared database, snake_case table names."""

    class Meta:
        database = database
        legacy_table_names = False


def open_database(url: str) -> peewee.Database:
    """Make (not connect) the database a URL names, with the settings the portal relies on."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        return peewee.SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=10)
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        # A pool gave about four times the requests per second of a connection per request.
        url = "postgresql+pool://" + url.split("://", 1)[1]
    if url.startswith("postgresql+pool://"):
        return db_url.connect(url, max_connections=32, stale_timeout=300, timeout=10)
    raise ValueError(f"Unsupported database URL: {url.split(':', 1)[0]}")


def is_sqlite() -> bool:
    """Tell whether the portal runs on SQLite (some statements differ)."""
    return isinstance(database.obj, peewee.SqliteDatabase)


def write_transaction():
    """Start a transaction that takes the write lock at once on SQLite.

    A deferred SQLite transaction that reads and then writes fails with "database is locked"
    when another worker wrote in between; BEGIN IMMEDIATE waits for the lock instead.
    """
    if is_sqlite():
        return database.atomic("IMMEDIATE")
    return database.atomic()


class _Slot:
    """Where a value goes in a prepared query's parameters."""

    def __init__(self, index: int):
        self.index = index


class Prepared:
    """A query whose SQL peewee writes once per database, then runs with new values.

    peewee walks a query's whole expression tree to write its SQL every time it runs; on the
    kiosk's scan path that walk cost about as much as the database itself (see
    bench/kiosk_rush.py). A prepared query is built once from placeholders, one per field in
    `fields`; each call converts its values the way those fields do and hands the rows to the
    same query's own row wrapper, so a select still gives model instances with their joins.

        badge_by_hash = Prepared([Badge.token_hash],
                                 lambda token: Badge.select().where(Badge.token_hash == token))
        badge = badge_by_hash.first(digest)

    Only what varies per call may be a placeholder: the query's shape (its columns, joins,
    IN lists) is fixed when it is first built. Turning rows into models goes through peewee's
    own `_get_cursor_wrapper`, which is not public API: peewee is pinned in pyproject.toml, and
    tests/test_prepared.py compares the rows with the plain query's on both databases.
    """

    def __init__(self, fields, build):
        self._fields = list(fields)
        self._build = build
        self._compiled = {}  # database object -> (query, sql, params, slot positions)

    @classmethod
    def insert(cls, model, fields):
        """An insert of one row of `model`, giving `fields` in that order; runs to its new id.

        Defaults are not applied per call (they would be worked out once, when the SQL is
        written), so every field with a computed default must be among `fields`.
        """
        fields = list(fields)
        given = {f.name for f in fields}  # by name: a field's == builds an SQL expression
        missing = [f.name for f in model._meta.sorted_fields
                   if callable(f.default) and f.name not in given]
        if missing:
            raise ValueError(f"give {', '.join(missing)} on every insert")
        key = model._meta.primary_key
        return cls(fields, lambda *values: model.insert(dict(zip(fields, values))).returning(key))

    def _compile(self):
        target = database.obj
        compiled = self._compiled.get(target)
        if compiled is None:
            slots = [_Slot(i) for i in range(len(self._fields))]
            query = self._build(*(peewee.Value(slot, converter=False) for slot in slots))
            sql, params = query.sql()
            positions = [(at, param.index) for at, param in enumerate(params)
                         if isinstance(param, _Slot)]
            compiled = self._compiled[target] = (query, sql, params, positions)
        return compiled

    def _cursor(self, values):
        if len(values) != len(self._fields):
            raise TypeError(f"expected {len(self._fields)} values, got {len(values)}")
        query, sql, params, positions = self._compile()
        params = list(params)
        for at, index in positions:
            params[at] = self._fields[index].db_value(values[index])
        return query, database.execute_sql(sql, params)

    def rows(self, *values) -> list:
        """Every row of a select, as its query would give them."""
        query, cursor = self._cursor(values)
        return list(query._get_cursor_wrapper(cursor).iterator())

    def first(self, *values):
        """The first row of a select, or None."""
        query, cursor = self._cursor(values)
        return next(query._get_cursor_wrapper(cursor).iterator(), None)

    def execute(self, *values):
        """Run a write; return the first column of its first returned row (an insert's id)."""
        _query, cursor = self._cursor(values)
        row = cursor.fetchone() if cursor.description else None
        return row[0] if row else None


def migration_runner() -> Runner:
    """Return the runner that applies the scripts in migrations/ to the current database."""
    return Runner(database.obj, directory=str(MIGRATIONS_DIR))


def migrate() -> list[str]:
    """Apply every pending migration; return the names applied."""
    with database.connection_context():
        return migration_runner().up()


_opened: dict[str, peewee.Database] = {}


def close_all() -> None:
    """Close every connection (and pool) this process opened, so a database can be dropped."""
    for opened in _opened.values():
        if hasattr(opened, "close_all"):
            opened.close_all()
        elif not opened.is_closed():
            opened.close()


@contextmanager
def throwaway_postgres(server_url: str, prefix: str):
    """Yield the URL of a new, empty database on `server_url`'s server; drop it afterwards.

    For test runs and benchmarks: each makes its own, so parallel runs never meet. The user in
    the URL must be allowed to create databases.
    """
    import psycopg2

    scheme, rest = server_url.split("://", 1)
    server, admin_db = rest.rsplit("/", 1) if "/" in rest else (rest, "")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(f"postgresql://{server}/{admin_db or 'postgres'}")
    admin.autocommit = True
    try:
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{scheme}://{server}/{name}"
        finally:
            close_all()
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.close()


def bind(url: str) -> None:
    """Point the models at the database a URL names.

    One database object (and pool) per URL and process, however many apps tests build.
    """
    if url not in _opened:
        _opened[url] = open_database(url)
    database.initialize(_opened[url])


def init_app(app: Flask) -> None:
    """Bind the database to the app's URL, open per request, and add the CLI commands."""
    bind(app.config["DATABASE_URL"])

    @app.before_request
    def _connect():
        database.connect(reuse_if_open=True)

    @app.teardown_appcontext
    def _close(_exc):
        # A pooled PostgreSQL connection goes back to its pool. A SQLite connection stays
        # open for the worker's next request: closing the last connection to a WAL database
        # checkpoints it, which made open-insert-close cost 4.4 ms against 0.5 ms kept open.
        if not is_sqlite() and not database.is_closed():
            database.close()

    @app.cli.command("migrate")
    def migrate_command():
        """Apply pending schema migrations."""
        applied = migrate()
        click.echo("Applied: " + ", ".join(applied) if applied else "Schema up to date.")
