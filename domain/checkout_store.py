"""Checkout's reads and writes, as few statements as the rules allow.

One SELECT reads everything a checkout decides on (client, challenge, code, the
client's use count, its usable coupons, its recent failed attempts and any
purchase under the same idempotency key). Writes are Core statements.

Inserting a purchase that used a code also counts the use and writes the
Redemption, in the same statement: a trigger (migration 0002) bumps the
client's usage row and refuses the INSERT with ``USAGE_LIMIT_ERROR`` when that
would pass the code's per-client limit. That conditional count is the atomic
guard of the limit on SQLite and PostgreSQL, under any interleaving.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from domain.discounts import Discount
from domain.pricing import CouponCandidate
from models import (
    ChallengePurchase,
    Client,
    CodeAttemptFailure,
    Coupon,
    PromoCode,
    PromoCodeUsage,
    PropChallenge,
    Redemption,
    UTCDateTime,
)

_NOW = bindparam("now", type_=UTCDateTime)
USAGE_LIMIT_ERROR = "promo_code_usage_limit"  # the trigger's message (migration 0002)

# The rows checkout reads, in this order, as plain columns: ORM loading of four
# entities cost more CPU than the statement itself.
_READ = (Client, PropChallenge, PromoCode, Coupon)
_KEYS = [[column.key for column in model.__table__.columns] for model in _READ]

LOOKUP = (
    select(
        *(column for model in _READ for column in model.__table__.columns),
        PromoCodeUsage.times_redeemed,
        select(func.count())
        .where(
            CodeAttemptFailure.client_id == Client.id,
            CodeAttemptFailure.attempted_at > bindparam("since", type_=UTCDateTime),
        )
        .scalar_subquery(),
        select(ChallengePurchase.id)
        .where(ChallengePurchase.client_id == Client.id, ChallengePurchase.idempotency_key == bindparam("key"))
        .scalar_subquery(),
    )
    .select_from(Client)
    .outerjoin(PropChallenge, PropChallenge.id == bindparam("challenge_id"))
    .outerjoin(PromoCode, and_(PromoCode.code == bindparam("code"), PromoCode.deleted_at.is_(None)))
    .outerjoin(
        PromoCodeUsage,
        and_(PromoCodeUsage.promo_code_id == PromoCode.id, PromoCodeUsage.client_id == Client.id),
    )
    .outerjoin(
        Coupon,
        and_(
            Coupon.client_id == Client.id,
            Coupon.used_at.is_(None),
            or_(Coupon.valid_until.is_(None), Coupon.valid_until > _NOW),
        ),
    )
    .where(Client.id == bindparam("client_id"))
)


def _detached(model: Any, keys: list[str], values: Sequence[Any]) -> Any:
    """An unattached model instance holding ``values`` (None when an outer join found no row)."""
    if values[keys.index("id")] is None:
        return None
    instance = model.__mapper__.class_manager.new_instance()
    for key, value in zip(keys, values):
        set_committed_value(instance, key, value)
    return instance


_STARTS = [sum(len(keys) for keys in _KEYS[:i]) for i in range(len(_KEYS) + 1)]


def _entity(row: Sequence[Any], index: int) -> Any:
    """The ``index``-th of the row's instances: client, challenge, code, coupon."""
    return _detached(_READ[index], _KEYS[index], row[_STARTS[index] : _STARTS[index + 1]])


# PostgreSQL: one checkout at a time per client, so that reading the throttle,
# the coupons and the idempotency key and acting on them cannot interleave.
# (NO KEY UPDATE does not block the foreign-key checks of other inserts.)
# On SQLite every write transaction already holds the database's write lock.
LOCK_CLIENT = select(Client.id).where(Client.id == bindparam("client_id")).with_for_update(key_share=True)

INSERT_PURCHASE = insert(ChallengePurchase.__table__).returning(ChallengePurchase.__table__.c.id)
USE_COUPON = (
    update(Coupon.__table__)
    .where(Coupon.__table__.c.id == bindparam("coupon_id"), Coupon.__table__.c.used_at.is_(None))
    .values(used_at=_NOW)
)


@dataclass(slots=True)
class CheckoutLookup:
    client: Client
    challenge: PropChallenge | None
    code: PromoCode | None
    times_redeemed: int
    recent_failures: int
    existing_purchase_id: int | None
    coupons: list[CouponCandidate[Coupon]] = field(default_factory=list)


async def look_up(
    conn: AsyncConnection,
    *,
    client_id: int,
    challenge_id: int | None,
    code: str | None,
    idempotency_key: str | None,
    now: datetime,
    failures_since: datetime,
) -> CheckoutLookup:
    """Lock the client (PostgreSQL), then read everything checkout needs in one SELECT."""
    if conn.dialect.name == "postgresql":
        await conn.execute(LOCK_CLIENT, {"client_id": client_id})
    params = {
        "client_id": client_id,
        "challenge_id": challenge_id,
        "code": code,
        "key": idempotency_key,
        "now": now,
        "since": failures_since,
    }
    rows = (await conn.execute(LOOKUP, params)).all()
    first = rows[0]
    times_redeemed, recent_failures, existing_id = first[_STARTS[-1] :]
    lookup = CheckoutLookup(
        client=_entity(first, 0),
        challenge=_entity(first, 1),
        code=_entity(first, 2),
        times_redeemed=times_redeemed or 0,
        recent_failures=recent_failures,
        existing_purchase_id=existing_id,
    )
    for row in rows:  # one row per usable coupon (or one row with none)
        coupon = _entity(row, 3)
        if coupon is not None:
            discount = Discount.from_storage(coupon.discount_method, coupon.discount_value_minor, coupon.currency)
            lookup.coupons.append(CouponCandidate(coupon, discount, coupon.issued_at, coupon.id))
    return lookup


async def record_failed_attempt(conn: AsyncConnection, client_id: int, now: datetime, forget_before: datetime) -> None:
    """Count a failed code attempt; attempts that left the window are dropped on the way."""
    table = CodeAttemptFailure.__table__
    await conn.execute(delete(table).where(table.c.client_id == client_id, table.c.attempted_at <= forget_before))
    await conn.execute(insert(table), {"client_id": client_id, "attempted_at": now})


class UsageLimitReached(Exception):
    """The trigger refused the purchase: the client has used the code as often as it allows."""


async def insert_purchase(conn: AsyncConnection, values: dict[str, Any]) -> int:
    """The new purchase's id; with a code, its use is counted and redeemed too (or UsageLimitReached)."""
    try:
        return (await conn.execute(INSERT_PURCHASE, values)).scalar_one()
    except IntegrityError as exc:
        if USAGE_LIMIT_ERROR in str(exc.orig):
            raise UsageLimitReached() from None
        raise


async def use_coupon(conn: AsyncConnection, coupon_id: int, now: datetime) -> None:
    result = await conn.execute(USE_COUPON, {"coupon_id": coupon_id, "now": now})
    if result.rowcount != 1:  # the per-client lock makes this impossible
        raise RuntimeError(f"coupon {coupon_id} was used by another purchase")


def purchases_with_details() -> Any:
    """Purchases with everything their API type shows, in one statement."""
    return select(ChallengePurchase).options(
        joinedload(ChallengePurchase.client),
        joinedload(ChallengePurchase.challenge),
        joinedload(ChallengePurchase.coupon),
        joinedload(ChallengePurchase.live_promo_code),
    )


def redemptions_with_challenge() -> Any:
    """Redemptions with the challenge bought (what a list of them shows first), in one statement."""
    return select(Redemption).options(joinedload(Redemption.challenge))


async def load_purchase(conn: AsyncConnection, purchase_id: int) -> ChallengePurchase:
    """A purchase with its details, read inside ``conn``'s transaction."""
    async with AsyncSession(bind=conn, expire_on_commit=False) as session:
        return (await session.scalars(purchases_with_details().where(ChallengePurchase.id == purchase_id))).one()
