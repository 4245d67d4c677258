"""A throwaway PostgreSQL database for a test run or a benchmark: test plumbing, not the app's."""

import uuid
from contextlib import contextmanager

from portal.db import close_all


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
