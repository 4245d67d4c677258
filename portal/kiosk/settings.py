"""The kiosk's tunable numbers, filled from the app config by the views."""

from dataclasses import dataclass


@dataclass
class Settings:
    """The kiosk's tunable numbers (from the app config in the views)."""

    duplicate_seconds: int = 60
    offset_flag_seconds: int = 120
    day_end_hour: int = 22
    # Wrong PINs: per employee (only that person's PIN stops), and a high ceiling per device
    # that only someone trying PIN after PIN reaches, never a few people's typos.
    pin_employee_failures: int = 5
    pin_device_failures: int = 30
    pin_window_minutes: int = 15
