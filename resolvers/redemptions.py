"""``PromoCode.redemptions``: a code's redemptions, newest first, each with what it bought."""
from __future__ import annotations

from resolvers.context import Info
from resolvers.paging import load_nested_connection
from schema.checkout import Redemption
from schema.pagination import Connection, page_request


async def redemptions_of_code(info: Info, code_pk: int, first: int | None, after: str | None) -> Connection[Redemption]:
    loaders = info.context.loaders

    async def count() -> int:
        return (await loaders.statistics.statistics.load(code_pk)).total_redeemed

    request = page_request(first, after)
    return await load_nested_connection(loaders.redemptions_of_code, code_pk, request, Redemption.from_row, count)
