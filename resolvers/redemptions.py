"""``PromoCode.redemptions``: a code's redemptions, newest first, each with what it bought."""
from __future__ import annotations

from domain.checkout_store import redemptions_with_details
from domain.paging import SortKey
from models import Redemption as RedemptionRow
from models import utcnow
from resolvers.context import Info
from resolvers.paging import load_connection
from schema.checkout import Redemption
from schema.pagination import Connection, page_request

NEWEST_FIRST = SortKey((RedemptionRow.redeemed_at, RedemptionRow.id), descending=True)


async def redemptions_of_code(info: Info, code_pk: int, first: int | None, after: str | None) -> Connection[Redemption]:
    request = page_request(first, after)
    statement = redemptions_with_details().where(RedemptionRow.promo_code_id == code_pk)
    now = utcnow()
    return await load_connection(
        info.context,
        statement,
        NEWEST_FIRST,
        request,
        lambda r: (r.redeemed_at, r.id),
        lambda r: Redemption.from_row(r, now),
    )
