"""Fast number formatting for the board, whose hundreds of cells made Babel the bottleneck."""

from decimal import Decimal

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import g
from flask_babel import get_locale


def _symbols() -> dict:
    """The user's decimal and group separators, looked up once per request."""
    table = g.get("_hours_symbols")
    if table is None:
        locale = get_locale()
        table = g._hours_symbols = str.maketrans({".": get_decimal_symbol(locale),
                                                  ",": get_group_symbol(locale)})
    return table


def hours_text(value) -> str:
    """Hours with at most two decimals and no trailing zeros, the user's way: 1.234,5 in Dutch."""
    if value is None:
        return ""
    text = f"{Decimal(value):,.2f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.translate(_symbols())
