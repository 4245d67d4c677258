"""The migrations, applied to an empty database, give exactly the schema the models declare."""

import peewee
import pytest

from portal import db
from portal.db import database
from portal.models import ALL_MODELS


def _describe(target: peewee.Database) -> dict:
    """Tables with their columns, indexes and foreign keys, as the database reports them."""
    schema = {}
    for table in sorted(target.get_tables()):
        if table == "schema_migration":
            continue
        columns = {(c.name, c.data_type.lower(), c.null, c.primary_key)
                   for c in target.get_columns(table)}
        indexes = {(tuple(i.columns), i.unique, _where(i.sql))
                   for i in target.get_indexes(table)}
        keys = {(k.column, k.dest_table, k.dest_column) for k in target.get_foreign_keys(table)}
        schema[table] = {"columns": columns, "indexes": indexes, "foreign_keys": keys}
    return schema


def _where(sql: str | None) -> str | None:
    if not sql or " WHERE " not in sql.upper():
        return None
    return " ".join(sql[sql.upper().index(" WHERE ") + 7:].lower().replace('"', "").split())


@pytest.fixture
def scratch_databases(app, database_url, tmp_path):
    """Two empty databases on the same server as the run's: one for migrations, one for models."""
    if db.is_sqlite():
        made = [peewee.SqliteDatabase(str(tmp_path / f"{n}.sqlite3"), pragmas=db.SQLITE_PRAGMAS)
                for n in ("migrated", "declared")]
        yield made
        return
    import psycopg2

    names = [f"{database.obj.database}_{n}" for n in ("migrated", "declared")]
    server = database_url.rsplit("/", 1)[0].replace("postgresql+pool://", "postgresql://")
    admin = psycopg2.connect(f"{server}/{database.obj.database}")
    admin.autocommit = True
    for name in names:
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
    made = [peewee.PostgresqlDatabase(name, **{k: v for k, v in database.obj.connect_params.items()})
            for name in names]
    try:
        yield made
    finally:
        for one in made:
            one.close()
        for name in names:
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_migrating_from_zero_gives_exactly_the_models_schema(scratch_databases):
    migrated, declared = scratch_databases
    original = database.obj
    try:
        database.initialize(migrated)
        applied = db.migrate()
        database.initialize(declared)
        with declared.connection_context():
            declared.create_tables(ALL_MODELS)
    finally:
        database.initialize(original)
    assert applied, "no migration was applied to the empty database"
    with migrated.connection_context(), declared.connection_context():
        assert _describe(migrated) == _describe(declared)


def test_all_models_lists_every_model_of_the_portal():
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    assert set(subclasses(db.BaseModel)) == set(ALL_MODELS)
