"""A fictional but realistic SW company, for demos and for a first run on an empty database.

Each area fills its own part in `portal/<area>/demo.py` (see `portal.demo_kit`); `fill()` loads
those modules and runs their sections in order. Everything is drawn from random.Random(seed) and
dated relative to `today`, so the same seed on the same day gives the same company. Names of
municipalities, sites and clients are invented and meant to look it; KvK numbers start with 0000
and e-mail addresses use the reserved .example domain.
"""

import random
from datetime import date, datetime, time
from importlib import import_module
from pathlib import Path

from portal.auth.models import User
from portal.auth.rules import hash_password
from portal.db import database
from portal.demo_kit import DEMO_PASSWORD, SECTIONS, Demo
from portal.timeutil import local_day, to_utc, utcnow
from portal.timeutil import today as local_today

DEFAULT_SEED = 2026


def is_empty() -> bool:
    """Tell whether the database has no users yet (a fresh installation)."""
    return not User.select().exists()


def fill(seed: int = DEFAULT_SEED, today: date | None = None,
         now: datetime | None = None) -> Demo:
    """Fill an empty database with the demo company; return what was made.

    `now` (naive UTC) is the moment the demo's day has reached: today's check-ins stop there.
    Without it the real clock is used for the real today, and half past ten for another day,
    so that the same seed, day and moment always give the same company.
    """
    today, now = _story_moment(today, now)
    demo = Demo(rng=random.Random(seed), today=today, now=now,
                password_hash=hash_password(DEMO_PASSWORD))
    with database.atomic():
        for section in sections():
            section(demo)
    return demo


def sections() -> list:
    """Every area's demo sections in step order; each `portal/<area>/demo.py` is found here."""
    for folder in sorted(Path(__file__).parent.iterdir()):
        if (folder / "__init__.py").exists() and (folder / "demo.py").exists():
            import_module(f"portal.{folder.name}.demo")
    return [function for _step, function in sorted(SECTIONS, key=lambda s: s[0])]


def _story_moment(today: date | None, now: datetime | None) -> tuple[date, datetime]:
    if now is not None:
        return today or local_day(now), now
    if today is None or today == local_today():
        now = utcnow().replace(microsecond=0)
        return local_day(now), now
    return today, to_utc(datetime.combine(today, time(10, 30)))
