"""Prepared queries for the kiosk's scan path, the one place where they pay.

bench/kiosk_rush.py shows why: on the scan path peewee's SQL writing cost as much as the
database. Nothing else in the portal runs hot enough to need them; use plain queries there.
"""

import peewee

from portal.db import database


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
    tests/kiosk/test_prepared.py compares the rows with the plain query's on both databases.
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
