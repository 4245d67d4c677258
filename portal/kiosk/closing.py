"""Closing the day: a check-in still open at the end of the day is closed by rule, and flagged."""

from portal.attendance import stamps

# Closing a day is an attendance write: the attendance area's rule, named here for the kiosk.
closing_moment = stamps.closing_moment
close_by_system = stamps.close_by_system
close_open_days = stamps.close_open_days
