"""What must hold after the soak, read from the database and the API (see bench/soak.py)."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from database import Database
from domain.email_delivery import EmailStatus
from models import (
    ChallengePurchase,
    OutboxEmail,
    PromoCode,
    PromoCodeDiscountTotal,
    PromoCodeStatistics,
    PromoCodeUsage,
    Redemption,
)
from schema.node import pk_of
from tests.api import Api

API_STATISTICS = "query($id: ID!) { promoCode(id: $id) { statistics { totalRedeemed uniqueClients } } }"


async def violations(db: Database, api: Api, codes: dict[str, str], message_ids: list[str]) -> dict[str, list[str]]:
    """Every broken invariant, by invariant (an empty list: it holds)."""
    async with db.read_session() as session:
        limits = dict((await session.execute(select(PromoCode.code, PromoCode.usage_limit_per_client))).all())
        per_client = (await session.execute(
            select(PromoCode.code, Redemption.client_id, func.count())
            .join(PromoCode, PromoCode.id == Redemption.promo_code_id)
            .group_by(PromoCode.code, Redemption.client_id)
        )).all()
        usages = {(r.promo_code_id, r.client_id): r.times_redeemed for r in await session.scalars(select(PromoCodeUsage))}
        redeemed = Counter()
        for row in (await session.execute(select(Redemption.promo_code_id, Redemption.client_id))).all():
            redeemed[tuple(row)] += 1
        statistics = {r.promo_code_id: r for r in await session.scalars(select(PromoCodeStatistics))}
        totals = {(r.promo_code_id, r.currency): r for r in await session.scalars(select(PromoCodeDiscountTotal))}
        granted = (await session.execute(
            select(Redemption.promo_code_id, Redemption.currency, func.sum(Redemption.discount_minor))
            .group_by(Redemption.promo_code_id, Redemption.currency)
        )).all()
        unredeemed = await session.scalar(
            select(func.count()).select_from(ChallengePurchase)
            .outerjoin(Redemption, Redemption.purchase_id == ChallengePurchase.id)
            .where(ChallengePurchase.promo_code_id.is_not(None), Redemption.id.is_(None))
        )
        duplicate_keys = await session.scalar(select(func.count()).select_from(
            select(ChallengePurchase.client_id, ChallengePurchase.idempotency_key)
            .group_by(ChallengePurchase.client_id, ChallengePurchase.idempotency_key)
            .having(func.count() > 1).subquery()
        ))
        outbox = {r.id: r.status for r in await session.scalars(select(OutboxEmail))}

    found: dict[str, list[str]] = {}
    found["no code over its per-client limit"] = [
        f"{code} client {client}: {n} > {limits[code]}" for code, client, n in per_client if limits[code] is not None and n > limits[code]
    ]
    found["use counts equal the redemption rows"] = [
        f"{key}: counted {usages.get(key)} vs {n} rows" for key, n in redeemed.items() if usages.get(key) != n
    ] + [f"{key}: counted {n}, no rows" for key, n in usages.items() if key not in redeemed]
    found["every purchase with a code has its redemption"] = [f"{unredeemed} purchases without one"] if unredeemed else []
    found["one purchase per client and idempotency key"] = [f"{duplicate_keys} keys bought twice"] if duplicate_keys else []
    found["statistics equal the rows"] = await _statistics_mismatches(api, codes, statistics, redeemed, totals, granted)
    sent_ids = Counter(message_ids)
    found["every e-mail sent, and once"] = [
        f"outbox {email_id}: {status}, relay got it {sent_ids[f'outbox-{email_id}']} times"
        for email_id, status in outbox.items()
        if status != EmailStatus.SENT.value or sent_ids[f"outbox-{email_id}"] != 1
    ] + [f"{mid}: not in the outbox" for mid in sent_ids if int(mid.removeprefix("outbox-")) not in outbox]
    return found


async def _statistics_mismatches(api: Api, codes, statistics, redeemed, totals, granted) -> list[str]:  # noqa: ANN001
    problems = []
    for code_pk, stats in statistics.items():
        rows = sum(n for (pk, _client), n in redeemed.items() if pk == code_pk)
        clients = sum(1 for (pk, _client) in redeemed if pk == code_pk)
        if (stats.total_redeemed, stats.unique_clients) != (rows, clients):
            problems.append(f"code {code_pk}: stored {stats.total_redeemed}/{stats.unique_clients} vs rows {rows}/{clients}")
    for code_pk, currency, minor in granted:
        stored = totals.get((code_pk, currency))
        if stored is None or stored.discount_minor != minor:
            problems.append(f"code {code_pk} {currency}: discount total {getattr(stored, 'discount_minor', None)} vs rows {minor}")
    for code, global_id in codes.items():
        shown = (await api.data(API_STATISTICS, {"id": global_id}))["promoCode"]["statistics"]
        code_pk = pk_of(global_id, "PromoCode")
        rows = [n for (pk, _client), n in redeemed.items() if pk == code_pk]
        if (shown["totalRedeemed"], shown["uniqueClients"]) != (sum(rows), len(rows)):
            problems.append(f"{code}: API says {shown}, rows {sum(rows)}/{len(rows)}")
    return problems

