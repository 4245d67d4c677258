"""The portal app plus one bare route for the benchmark's floor: one indexed insert, nothing else.

Only the benchmark serves this module (gunicorn bench.floor_app:app); the portal never does.
"""

from flask import jsonify, request

from portal import create_app, csrf
from portal.db import database

app = create_app()


@csrf.exempt
def floor():
    """Insert one row under a unique, indexed id: the least any scan could cost."""
    body = request.get_json(silent=True) or {}
    mark = database.obj.param  # "?" for SQLite, "%s" for psycopg2
    database.execute_sql(
        f"INSERT INTO bench_floor (scan_id, received_at) VALUES ({mark}, CURRENT_TIMESTAMP)",
        (str(body.get("scan_id", ""))[:64],))
    return jsonify(ok=True), 201


app.add_url_rule("/bench/floor", "bench_floor", floor, methods=["POST"])
