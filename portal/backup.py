"""An online backup of the SQLite database, while tablets go on scanning.

SQLite's backup API (Python's sqlite3 Connection.backup) copies the database page by page in
short steps; a write by a worker in between makes it copy the changed pages again, so the copy
is one consistent moment and no worker waits more than a step. Copying the file with cp while
the WAL is in use could give a torn copy. PostgreSQL has pg_dump for this (docs/backup.md).
"""

import sqlite3
from pathlib import Path

# Pages per step, and the pause between steps: short steps let scans through.
PAGES_PER_STEP = 256
PAUSE_SECONDS = 0.005


def sqlite_backup(source: Path, target: Path) -> Path:
    """Copy a live SQLite database to `target` (a new file) and check the copy.

    :raise FileExistsError: when `target` exists (a backup never overwrites one).
    :raise sqlite3.DatabaseError: when the copy does not pass SQLite's integrity check.
    """
    target = Path(target)
    if target.exists():
        raise FileExistsError(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    live = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=10)
    copy = sqlite3.connect(str(target))
    try:
        live.backup(copy, pages=PAGES_PER_STEP, sleep=PAUSE_SECONDS)
        # A plain file without a WAL beside it: the copy stands on its own.
        copy.execute("PRAGMA journal_mode = DELETE")
        (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
        if verdict != "ok":
            raise sqlite3.DatabaseError(f"the backup is damaged: {verdict}")
    finally:
        copy.close()
        live.close()
    return target
