"""``PromoCode.statistics`` and ``PromoCode.clients`` (reached through the guarded promo-code roots)."""
from __future__ import annotations

from domain.paging import PageRequestError
from domain.promo_code_clients import ClientStatus
from resolvers.context import Info
from resolvers.selection import asks_for
from resolvers.statistics_loaders import ClientRowsKey
from schema.errors import bad_user_input
from schema.pagination import Connection, connection, page_request
from schema.statistics import PromoCodeClient, PromoCodeStatistics


async def statistics_of_code(info: Info, code_pk: int) -> PromoCodeStatistics:
    return PromoCodeStatistics.from_figures(await info.context.loaders.statistics.statistics.load(code_pk))


async def clients_of_code(
    info: Info, code_pk: int, first: int | None, after: str | None, status: ClientStatus | None
) -> Connection[PromoCodeClient]:
    loaders = info.context.loaders.statistics
    request = page_request(first, after)
    key = ClientRowsKey(code_pk, status, request, with_redemptions=asks_for(info, "redemptions"))
    try:
        page = await loaders.client_rows.load(key)
    except PageRequestError as exc:
        raise bad_user_input(str(exc)) from None

    async def count() -> int:
        return await loaders.client_row_count.load((code_pk, status))

    return connection(page, PromoCodeClient.from_loaded, count)
