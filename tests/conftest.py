"""Fixtures for every test: a migrated database, an app per test, logged-in clients.

PORTAL_TEST_DATABASE_URL picks the server: unset runs on a SQLite file; a postgresql:// URL
makes a throwaway database on that server for this run, so parallel runs never meet
(the role must be allowed to create databases and to set session_replication_role).
"""

import os
import re

import pytest
from flask.testing import FlaskClient

from portal import create_app, db, translations_tool
from portal.db import database

from tests import factories
from tests.throwaway import throwaway_postgres

PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
CSRF_PATTERN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                          r'name="csrf_token" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """The URL of this run's own, migrated, database."""
    if not PG_URL:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        yield url
        return
    with throwaway_postgres(PG_URL, "portal_test") as url:
        yield url


@pytest.fixture(scope="session")
def _migrated(database_url, tmp_path_factory):
    translations_tool.compile_all()
    create_app(_config(database_url, tmp_path_factory.mktemp("instance")))
    db.migrate()
    return database_url


def _config(url, instance):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "DATABASE_URL": url,
        "INSTANCE_PATH": str(instance),
        # Tests post forms the way a browser does, token included.
        "WTF_CSRF_ENABLED": True,
    }


def _empty_all_tables():
    """Delete every row the test made (far cheaper than TRUNCATE on PostgreSQL: 1 ms vs 30)."""
    with database.connection_context():
        tables = [t for t in database.get_tables() if t != "schema_migration"]
        if db.is_sqlite():
            database.execute_sql("PRAGMA foreign_keys = OFF")
            for table in tables:
                database.execute_sql(f'DELETE FROM "{table}"')
            database.execute_sql("PRAGMA foreign_keys = ON")
            return
        with database.atomic():
            # Replica mode skips foreign-key triggers, so the order of the deletes is free.
            database.execute_sql("SET LOCAL session_replication_role = replica")
            for table in tables:
                database.execute_sql(f'DELETE FROM "{table}"')


@pytest.fixture(scope="session")
def _shared_app(_migrated, tmp_path_factory):
    """One application for the whole run, and the settings it started with.

    Building the app compiles every route's URL builder (about 40 ms for 130 routes) and each
    app compiles its templates anew: paid once per run instead of once per test.
    """
    application = create_app(_config(_migrated, tmp_path_factory.mktemp("instance")))
    application.test_client_class = CsrfClient
    return application, dict(application.config)


@pytest.fixture
def app(_shared_app):
    """The run's app with its original settings, on a database emptied after the test.

    A test may change `app.config`; the next test gets the settings back. No app context stays
    open: each request must get its own `g`, as in production.
    """
    application, settings = _shared_app
    application.config.clear()
    application.config.update(settings)
    db.bind(settings["DATABASE_URL"])  # a test that built an app of its own re-bound it
    yield application
    if not database.is_closed():
        database.close()
    _empty_all_tables()


class CsrfClient(FlaskClient):
    """A test client that sends the CSRF token a page gave it, as the browser would.

    Pass csrf=False to post without a token (to see it refused).
    """

    csrf_token = None

    def open(self, *args, **kwargs):
        send_token = kwargs.pop("csrf", True)
        method = (kwargs.get("method") or "GET").upper()
        if send_token and method not in ("GET", "HEAD", "OPTIONS"):
            if self.csrf_token is None:
                self._fetch_token()
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRFToken", self.csrf_token)
            kwargs["headers"] = headers
        response = super().open(*args, **kwargs)
        self._remember_token(response)
        return response

    def _fetch_token(self):
        self.get("/auth/login")

    def _remember_token(self, response):
        if response.mimetype == "text/html" and "Content-Encoding" not in response.headers:
            match = CSRF_PATTERN.search(response.get_data(as_text=True))
            if match:
                self.csrf_token = next(g for g in match.groups() if g)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login(client):
    """Log a user in through the real form: login(user) -> the client."""

    def _login(user, password=factories.PASSWORD):
        client.csrf_token = None
        response = client.post("/auth/login", data={"username": user.username,
                                                     "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        client.csrf_token = None  # the session (and its token) is new after log-in
        client.get("/overview", follow_redirects=True)  # a jobcoach lands on his own page
        return client

    return _login


@pytest.fixture
def app_context(app):
    """An app context with its connection open, for rules called outside a request."""
    with app.app_context():
        database.connect(reuse_if_open=True)
        yield
        database.close()


@pytest.fixture
def make(app):
    """The factories module, with the app context open."""
    return factories


class _QueryCounter:
    """The SQL statements sent while a `with count_queries()` block ran."""

    def __init__(self):
        self.statements = []

    @property
    def total(self) -> int:
        return len(self.statements)

    @property
    def selects(self) -> list[str]:
        return [s for s in self.statements if s.lstrip().upper().startswith("SELECT")]


@pytest.fixture
def count_queries(monkeypatch):
    """with count_queries() as counted: ... ; counted.total is the number of SQL statements.

    The one query counter of the suite: it patches the database class, so nothing is left on
    the database object for a later test.
    """
    from contextlib import contextmanager

    @contextmanager
    def _count():
        counter = _QueryCounter()
        real = type(database.obj).execute_sql

        def counting(self, sql, params=None, *args, **kwargs):
            counter.statements.append(sql)
            return real(self, sql, params, *args, **kwargs)

        monkeypatch.setattr(type(database.obj), "execute_sql", counting)
        try:
            yield counter
        finally:
            monkeypatch.setattr(type(database.obj), "execute_sql", real)

    return _count
