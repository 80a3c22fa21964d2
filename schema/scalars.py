"""``DateTime`` and ``Decimal`` as the contract defines them, stricter than Strawberry's defaults."""
from __future__ import annotations

import datetime as dt
import decimal

from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.types.scalar import ScalarDefinition


def _serialize_datetime(value: dt.datetime) -> str:
    return value.astimezone(dt.timezone.utc).isoformat()


def _parse_datetime(value: object) -> dt.datetime:
    if not isinstance(value, str):
        raise StrawberryInputCoercionError("DateTime must be an ISO 8601 string.")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise StrawberryInputCoercionError(f'"{value}" is not an ISO 8601 date-time.') from None
    if parsed.tzinfo is None:
        raise StrawberryInputCoercionError(
            f'"{value}" has no UTC offset; send e.g. "2027-01-31T00:00:00Z".'
        )
    try:
        return parsed.astimezone(dt.timezone.utc)
    except OverflowError:  # e.g. 9999-12-31T23:59:59-23:59 is past year 9999 in UTC
        raise StrawberryInputCoercionError(f'"{value}" is out of range.') from None


def _parse_decimal(value: object) -> decimal.Decimal:
    # A JSON number with a fraction arrives as a float, which may already have lost digits
    # (99.999999999999999 is 100.0): amounts must come as strings. Whole numbers are exact.
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise StrawberryInputCoercionError("Decimal must be a string such as \"10.50\".")
    text = str(value)
    try:
        parsed = decimal.Decimal(text.strip())
    except decimal.InvalidOperation:
        raise StrawberryInputCoercionError(f'"{value}" is not a decimal number.') from None
    if not parsed.is_finite():
        raise StrawberryInputCoercionError("Decimal must be a finite number.")
    if abs(parsed.adjusted()) > 30:
        raise StrawberryInputCoercionError(f'"{value}" is out of range.')
    return parsed


DateTimeScalar = ScalarDefinition(
    name="DateTime",
    description="ISO 8601 date-time with offset; always UTC on output.",
    specified_by_url=None,
    serialize=_serialize_datetime,
    parse_value=_parse_datetime,
    parse_literal=None,
    origin=dt.datetime,
)

DecimalScalar = ScalarDefinition(
    name="Decimal",
    description='Decimal number as a string, e.g. "10.50".',
    specified_by_url=None,
    serialize=str,
    parse_value=_parse_decimal,
    parse_literal=None,
    origin=decimal.Decimal,
)

SCALAR_OVERRIDES = {dt.datetime: DateTimeScalar, decimal.Decimal: DecimalScalar}
