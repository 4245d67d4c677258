"""The kiosk's tunable numbers, filled from the app config by the views."""

from dataclasses import dataclass


@dataclass
class Settings:
    """The kiosk's tunable numbers (from the app config in the views)."""

    duplicate_seconds: int = 60
    # A check-out this soon after the check-in is a badge left in front of the camera, not a
    # departure: it answers as a repeat.
    min_segment_seconds: int = 300
    # Unknown badges per device and minute that are stored one by one; beyond it only counted.
    unknown_badges_per_minute: int = 20
    offset_flag_seconds: int = 120
    # Wrong PINs: per employee (only that person's PIN stops), and a high ceiling per device
    # that only someone trying PIN after PIN reaches, never a few people's typos.
    pin_employee_failures: int = 5
    pin_device_failures: int = 30
    pin_window_minutes: int = 15
