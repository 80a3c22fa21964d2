"""The notifying and delivery rules as plain functions, without database or GraphQL."""
import random
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from email import message_from_bytes
from email.policy import default

import pytest

from domain.discounts import Discount, DiscountMethod
from domain.email_delivery import EmailStatus, Outcome, RetryPolicy, classify_reply
from domain.email_outbox import ClaimedEmail
from domain.errors import ErrorCode, ErrorCollector
from domain.notifications import (
    NotificationChannel,
    Offer,
    Targets,
    channels_of,
    check_notifiable,
    check_request,
    discount_text,
    message_of,
    title_of,
    validity_text,
)
from domain.promo_codes import PromoCodeStatus
from domain.reference import MAX_IDS
from mail.render import promo_code_email
from mail.smtp import Relay, build_message

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
EMAIL = [NotificationChannel.EMAIL]


def _codes(check) -> list[tuple[ErrorCode, str | None]]:
    errors = ErrorCollector()
    check(errors)
    return [(e.code, e.field) for e in errors.errors]


@pytest.mark.parametrize(
    ("status", "valid_until", "expected"),
    [
        (PromoCodeStatus.ENABLED, None, []),
        (PromoCodeStatus.ENABLED, NOW + timedelta(seconds=1), []),
        (PromoCodeStatus.ENABLED, NOW, [(ErrorCode.CODE_EXPIRED, None)]),  # the window excludes validUntil
        (PromoCodeStatus.NOT_ENABLED, None, [(ErrorCode.INVALID_TRANSITION, None)]),
        (PromoCodeStatus.DISABLED, NOW + timedelta(days=1), [(ErrorCode.INVALID_TRANSITION, None)]),
    ],
)
def test_only_enabled_unexpired_codes_are_notifiable(status, valid_until, expected):
    assert _codes(lambda errors: check_notifiable(status, valid_until, NOW, errors)) == expected


def test_a_request_needs_a_target_and_a_channel():
    assert _codes(lambda e: check_request(Targets(), EMAIL, e)) == [(ErrorCode.REQUIRED, "clientIds")]
    assert _codes(lambda e: check_request(Targets(all_clients=True), [], e)) == [(ErrorCode.REQUIRED, "channels")]
    for targets in (Targets(client_ids=[1]), Targets(group_ids=[None]), Targets(all_clients=True)):
        assert _codes(lambda e: check_request(targets, EMAIL, e)) == []
    too_many = Targets(client_ids=list(range(MAX_IDS + 1)))
    assert _codes(lambda e: check_request(too_many, EMAIL, e)) == [(ErrorCode.INVALID, "clientIds")]


def test_channels_are_listed_in_a_fixed_order():
    assert channels_of(True, True) == [NotificationChannel.EMAIL, NotificationChannel.POPUP]
    assert channels_of(False, True) == [NotificationChannel.POPUP]


@pytest.mark.parametrize(
    ("method", "value", "currency", "text"),
    [
        (DiscountMethod.PERCENTAGE, "12.50", None, "12.5% off"),
        (DiscountMethod.PERCENTAGE, "100.00", None, "100% off"),
        (DiscountMethod.FIXED_AMOUNT, "90.00", "USD", "$90.00 off"),
        (DiscountMethod.FIXED_AMOUNT, "503", "JPY", "¥503 off"),
    ],
)
def test_discount_text(method, value, currency, text):
    assert discount_text(Discount(method, Decimal(value), currency)) == text


def test_validity_text_names_the_window_in_utc():
    later, much_later = NOW + timedelta(days=1), NOW + timedelta(days=30)
    assert validity_text(None, None, NOW) == "Valid with no end date."
    assert validity_text(NOW - timedelta(days=1), much_later, NOW) == "Valid until 01 July 2026, 12:00 UTC."
    assert validity_text(later, much_later, NOW) == "Valid from 02 June 2026, 12:00 UTC until 01 July 2026, 12:00 UTC."
    assert validity_text(later, None, NOW) == "Valid from 02 June 2026, 12:00 UTC, with no end date."


def test_title_message_and_email_name_code_discount_validity_and_how_to_redeem():
    offer = Offer("SUMMER", "Summer <sale> & more", Discount(DiscountMethod.PERCENTAGE, Decimal("10.00"), None),
                  None, NOW + timedelta(days=30), combinable_with_coupons=False)
    assert title_of(offer) == "Promo code SUMMER: 10% off"
    message = message_of(offer, NOW)
    assert "SUMMER" in message and "Summer <sale> & more" in message and "Apply" in message
    assert "01 July 2026" in message and "coupons" not in message
    body = promo_code_email(offer, title_of(offer), NOW)
    assert "Summer <sale> & more" in body.text
    assert "Summer &lt;sale&gt; &amp; more" in body.html and "<sale>" not in body.html
    for text in (body.text, body.html):
        assert "SUMMER" in text and "10% off" in text and "01 July 2026, 12:00 UTC" in text and "Apply" in text


def test_retry_delay_doubles_up_to_the_cap_within_the_jitter():
    policy = RetryPolicy(base_delay_s=5, max_delay_s=60, jitter=0)
    assert [policy.delay(n).total_seconds() for n in (1, 2, 3, 4, 5, 50)] == [5, 10, 20, 40, 60, 60]
    jittered = RetryPolicy(base_delay_s=10, max_delay_s=600, jitter=0.2)
    delays = [jittered.delay(1, random.Random(seed)).total_seconds() for seed in range(50)]
    assert all(8 <= d <= 12 for d in delays) and len(set(delays)) > 1


def test_what_each_outcome_leaves_the_message_as():
    policy = RetryPolicy(max_deferrals=3)
    assert policy.next_status(Outcome.SENT, 1) is EmailStatus.SENT
    assert policy.next_status(Outcome.REJECTED, 1) is EmailStatus.FAILED
    assert policy.next_status(Outcome.DEFERRED, 1) is EmailStatus.PENDING  # the second deferral
    assert policy.next_status(Outcome.DEFERRED, 2) is EmailStatus.FAILED  # the third
    assert policy.next_status(Outcome.RELAY_DOWN, 1_000) is EmailStatus.PENDING  # an outage never loses mail


def test_reply_codes():
    assert classify_reply(550) is Outcome.REJECTED and classify_reply(554) is Outcome.REJECTED
    assert classify_reply(451) is Outcome.DEFERRED and classify_reply(421) is Outcome.DEFERRED


def test_relay_url():
    assert Relay.from_url("smtp://mail.test:2525") == Relay("mail.test", 2525)
    assert Relay.from_url("smtp://mail.test") == Relay("mail.test", 25)
    assert Relay.from_url("smtp://u%40x:p%3Aw@mail.test:587") == Relay("mail.test", 587, "u@x", "p:w")
    with pytest.raises(ValueError):
        Relay.from_url("smtp://:25")


def test_message_goes_to_one_recipient_with_a_stable_id():
    for email_id, recipient, name in ((7, "zoe@example.test", "Zoë Brontë"), (8, "cy@example.test", None)):
        email = ClaimedEmail(email_id, 1, 0, recipient, name, 3, "Subject ünïcode", "text", "<p>html</p>")
        message = message_from_bytes(build_message(email, "promo@broker.test"), policy=default)
        assert [(a.addr_spec, a.display_name) for a in message["To"].addresses] == [(recipient, name or "")]
        assert message["Message-ID"] == f"<outbox-{email_id}@broker.test>"
        assert message["From"] == "promo@broker.test" and message["Subject"] == "Subject ünïcode"
        assert message.get_body(("plain",)).get_content().strip() == "text"
        assert message.get_body(("html",)).get_content().strip() == "<p>html</p>"
        assert len(message.get_all("To")) == 1 and message["Cc"] is None and message["Bcc"] is None
    with pytest.raises(ValueError):
        build_message(ClaimedEmail(9, 1, 0, "x@example.test", "Evil\r\nBcc: all@example.test", 3, "S", "t", "h"), "p@b.test")
