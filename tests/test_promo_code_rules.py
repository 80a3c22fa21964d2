"""The contract's promo code rules as plain functions (domain/promo_codes.py)."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from domain.discounts import DiscountMethod
from domain.errors import DomainError, ErrorCode
from domain.promo_codes import (
    PromoCodeDraft,
    PromoCodeStatus,
    UseCase,
    ValidityStatus,
    check_deletable,
    check_disable,
    check_editable,
    check_enable,
    normalize_code,
    validate_settings,
    validity_status,
)

NOW = datetime(2027, 1, 15, 12, 0, tzinfo=timezone.utc)
HOUR = timedelta(hours=1)

DRAFT = PromoCodeDraft(
    code="summer10",
    name="Summer",
    use_case=UseCase.PROP_TRADING,
    discount_method=DiscountMethod.PERCENTAGE,
    discount_value=Decimal("10"),
    currency=None,
    usage_limit_per_client=None,
    combinable_with_coupons=False,
    valid_from=None,
    valid_until=None,
)


def errors_of(draft: PromoCodeDraft) -> set[tuple[str | None, ErrorCode]]:
    with pytest.raises(DomainError) as caught:
        validate_settings(draft, NOW)
    return {(e.field, e.code) for e in caught.value.errors}


def test_codes_are_trimmed_and_upper_cased():
    assert normalize_code("  black-Friday_1 ") == "BLACK-FRIDAY_1"
    assert validate_settings(replace(DRAFT, code=" abc "), NOW).code == "ABC"


@pytest.mark.parametrize("code", ["AB", "A" * 33, "SUMMER 10", "ÉTÉ10", "A.B", "10%OFF"])
def test_code_outside_pattern_is_invalid(code):
    assert errors_of(replace(DRAFT, code=code)) == {("code", ErrorCode.INVALID)}


@pytest.mark.parametrize("code", ["ABC", "A" * 32, "A-B_9"])
def test_code_inside_pattern_is_accepted(code):
    assert validate_settings(replace(DRAFT, code=code), NOW).code == code


def test_blank_code_is_required():
    assert errors_of(replace(DRAFT, code="   ")) == {("code", ErrorCode.REQUIRED)}


def test_name_is_trimmed_and_1_to_100_characters():
    assert validate_settings(replace(DRAFT, name="  Summer sale "), NOW).name == "Summer sale"
    assert validate_settings(replace(DRAFT, name="x" * 100), NOW).name == "x" * 100
    assert errors_of(replace(DRAFT, name="  ")) == {("name", ErrorCode.REQUIRED)}
    assert errors_of(replace(DRAFT, name="x" * 101)) == {("name", ErrorCode.INVALID)}


@pytest.mark.parametrize("value", ["0", "-5", "100.01", "12.345"])
def test_percentage_outside_0_to_100_or_over_2_decimals_is_invalid(value):
    assert errors_of(replace(DRAFT, discount_value=Decimal(value))) == {("discountValue", ErrorCode.INVALID)}


def test_percentage_takes_no_currency():
    assert errors_of(replace(DRAFT, currency="USD")) == {("currency", ErrorCode.INVALID)}


def test_percentage_of_exactly_100_and_two_decimals_is_accepted():
    assert validate_settings(replace(DRAFT, discount_value=Decimal("100")), NOW).discount.value == Decimal("100.00")
    assert validate_settings(replace(DRAFT, discount_value=Decimal("12.5")), NOW).discount.value == Decimal("12.50")


FIXED = replace(DRAFT, discount_method=DiscountMethod.FIXED_AMOUNT, discount_value=Decimal("25"), currency="usd")


def test_fixed_amount_needs_a_currency():
    assert errors_of(replace(FIXED, currency=None)) == {("currency", ErrorCode.REQUIRED)}


def test_fixed_amount_currency_must_be_iso_4217():
    assert errors_of(replace(FIXED, currency="XXY")) == {("currency", ErrorCode.INVALID)}


def test_fixed_amount_currency_is_upper_cased():
    assert validate_settings(FIXED, NOW).discount.currency == "USD"


@pytest.mark.parametrize(
    ("currency", "value"), [("USD", "0"), ("USD", "-1"), ("USD", "1.001"), ("JPY", "500.5"), ("BHD", "1.0001")]
)
def test_fixed_amount_must_be_positive_with_the_currencys_decimals(currency, value):
    draft = replace(FIXED, currency=currency, discount_value=Decimal(value))
    assert errors_of(draft) == {("discountValue", ErrorCode.INVALID)}


@pytest.mark.parametrize(("currency", "value", "shown"), [("JPY", "500", "500"), ("BHD", "1.5", "1.500"), ("USD", "90", "90.00")])
def test_fixed_amount_is_kept_with_the_currencys_decimals(currency, value, shown):
    settings = validate_settings(replace(FIXED, currency=currency, discount_value=Decimal(value)), NOW)
    assert str(settings.discount.value) == shown


@pytest.mark.parametrize("limit", [0, -1, 1_000_001])
def test_usage_limit_outside_1_to_a_million_is_invalid(limit):
    assert errors_of(replace(DRAFT, usage_limit_per_client=limit)) == {("usageLimitPerClient", ErrorCode.INVALID)}


@pytest.mark.parametrize("limit", [None, 1, 1_000_000])
def test_usage_limit_null_or_1_to_a_million_is_accepted(limit):
    assert validate_settings(replace(DRAFT, usage_limit_per_client=limit), NOW).usage_limit_per_client == limit


def test_valid_from_must_be_before_valid_until():
    same = replace(DRAFT, valid_from=NOW + HOUR, valid_until=NOW + HOUR)
    assert errors_of(same) == {("validUntil", ErrorCode.INVALID)}


def test_valid_until_must_be_in_the_future():
    assert errors_of(replace(DRAFT, valid_until=NOW)) == {("validUntil", ErrorCode.INVALID)}
    assert validate_settings(replace(DRAFT, valid_until=NOW), NOW, check_until_in_future=False).valid_until == NOW


def test_every_problem_is_reported_at_once():
    draft = replace(DRAFT, code="x", name="", discount_value=Decimal("0"), usage_limit_per_client=0)
    assert {field for field, _ in errors_of(draft)} == {"code", "name", "discountValue", "usageLimitPerClient"}


@pytest.mark.parametrize(
    ("status", "valid_from", "valid_until", "expected"),
    [
        (PromoCodeStatus.NOT_ENABLED, None, None, ValidityStatus.INACTIVE),
        (PromoCodeStatus.DISABLED, None, None, ValidityStatus.INACTIVE),
        (PromoCodeStatus.ENABLED, None, None, ValidityStatus.ACTIVE),
        (PromoCodeStatus.ENABLED, NOW, NOW + HOUR, ValidityStatus.ACTIVE),  # the window includes validFrom
        (PromoCodeStatus.ENABLED, NOW + HOUR, None, ValidityStatus.SCHEDULED),
        (PromoCodeStatus.ENABLED, None, NOW, ValidityStatus.EXPIRED),  # ... and excludes validUntil
        (PromoCodeStatus.ENABLED, NOW - 2 * HOUR, NOW - HOUR, ValidityStatus.EXPIRED),
    ],
)
def test_validity_status(status, valid_from, valid_until, expected):
    assert validity_status(status, valid_from, valid_until, NOW) is expected


def code_of(error: pytest.ExceptionInfo[DomainError]) -> ErrorCode:
    return error.value.errors[0].code


def test_enable_only_from_not_enabled():
    check_enable(PromoCodeStatus.NOT_ENABLED, None, NOW)
    for status in (PromoCodeStatus.ENABLED, PromoCodeStatus.DISABLED):
        with pytest.raises(DomainError) as caught:
            check_enable(status, None, NOW)
        assert code_of(caught) is ErrorCode.INVALID_TRANSITION


def test_enable_refused_once_valid_until_has_passed():
    with pytest.raises(DomainError) as caught:
        check_enable(PromoCodeStatus.NOT_ENABLED, NOW, NOW)
    assert code_of(caught) is ErrorCode.CODE_EXPIRED


def test_disable_only_from_enabled():
    check_disable(PromoCodeStatus.ENABLED)
    for status in (PromoCodeStatus.NOT_ENABLED, PromoCodeStatus.DISABLED):
        with pytest.raises(DomainError) as caught:
            check_disable(status)
        assert code_of(caught) is ErrorCode.INVALID_TRANSITION


def test_only_not_enabled_codes_are_editable():
    check_editable(PromoCodeStatus.NOT_ENABLED)
    for status in (PromoCodeStatus.ENABLED, PromoCodeStatus.DISABLED):
        with pytest.raises(DomainError) as caught:
            check_editable(status)
        assert code_of(caught) is ErrorCode.NOT_EDITABLE


def test_enabled_codes_are_not_deletable():
    check_deletable(PromoCodeStatus.NOT_ENABLED)
    check_deletable(PromoCodeStatus.DISABLED)
    with pytest.raises(DomainError) as caught:
        check_deletable(PromoCodeStatus.ENABLED)
    assert code_of(caught) is ErrorCode.NOT_DELETABLE
