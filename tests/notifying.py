"""Helpers for the notification tests: set-up through the GraphQL API, and the queries they share."""
from __future__ import annotations

from typing import Any

from tests.api import Api

NOTIFY = """
mutation($id: ID!, $input: NotifyPromoCodeInput!) {
  notifyPromoCode(id: $id, input: $input) {
    batch { id channels recipientCount emailsPending emailsSent emailsFailed createdAt createdBy }
    errors { field code message }
  }
}"""

MY_NOTIFICATIONS = """
query($first: Int, $after: String, $unreadOnly: Boolean! = false) {
  myNotifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id channels title message createdAt readAt
      promoCode { code name discountMethod discountValue currency validUntil combinableWithCoupons active } } }
  }
}"""

MY_POPUPS = "{ myPopups { id title channels readAt } }"

MARK_READ = """
mutation($ids: [ID!]!) {
  markNotificationsRead(ids: $ids) { notifications { id readAt } errors { field code message } }
}"""


async def create_client(api: Api, external_id: str, email: str | None = None, name: str | None = None) -> str:
    data = await api.data(
        "mutation($input: ClientCreateInput!) { createClient(input: $input) { client { id } errors { code } } }",
        {"input": {"externalId": external_id, "name": name or f"Client {external_id}", "email": email or f"{external_id}@example.test"}},
    )
    assert data["createClient"]["errors"] == []
    return data["createClient"]["client"]["id"]


async def create_group(api: Api, name: str, client_ids: list[str]) -> str:
    data = await api.data(
        "mutation($input: ClientGroupCreateInput!) { createClientGroup(input: $input) { group { id } errors { code } } }",
        {"input": {"name": name, "clientIds": client_ids}},
    )
    assert data["createClientGroup"]["errors"] == []
    return data["createClientGroup"]["group"]["id"]


async def create_code(api: Api, code: str = "SUMMER-10", enable: bool = True, **fields: Any) -> str:
    """A promo code (module installed first); enabled unless told otherwise."""
    await api.install_module()
    values = {"code": code, "name": "Summer sale", "discountMethod": "PERCENTAGE", "discountValue": "12.5"} | fields
    data = await api.data(
        "mutation($input: PromoCodeCreateInput!) { createPromoCode(input: $input) { promoCode { id } errors { field code } } }",
        {"input": values},
    )
    assert data["createPromoCode"]["errors"] == [], data
    code_id = data["createPromoCode"]["promoCode"]["id"]
    if enable:
        await lifecycle(api, "enablePromoCode", code_id)
    return code_id


async def lifecycle(api: Api, mutation: str, code_id: str) -> None:
    data = await api.data(f"mutation($id: ID!) {{ {mutation}(id: $id) {{ errors {{ code }} }} }}", {"id": code_id})
    assert data[mutation]["errors"] == []


async def notify(api: Api, code_id: str, token: str | None = "admin", **input: Any) -> dict[str, Any]:
    """The ``notifyPromoCode`` payload; ``channels`` defaults to both."""
    input.setdefault("channels", ["EMAIL", "POPUP"])
    data = await api.data(NOTIFY, {"id": code_id, "input": input}, token=token)
    return data["notifyPromoCode"]


async def my_notifications(api: Api, external_id: str, **variables: Any) -> dict[str, Any]:
    data = await api.data(MY_NOTIFICATIONS, variables, token=api.client_token(external_id))
    return data["myNotifications"]


async def my_popups(api: Api, external_id: str) -> list[dict[str, Any]]:
    data = await api.data(MY_POPUPS, token=api.client_token(external_id))
    return data["myPopups"]


async def mark_read(api: Api, external_id: str, ids: list[str]) -> dict[str, Any]:
    data = await api.data(MARK_READ, {"ids": ids}, token=api.client_token(external_id))
    return data["markNotificationsRead"]


async def batches(api: Api, code_id: str) -> list[dict[str, Any]]:
    data = await api.data(
        "query($id: ID!) { promoCode(id: $id) { notificationBatches { id channels recipientCount createdBy"
        " emailsPending emailsSent emailsFailed } } }",
        {"id": code_id},
    )
    return data["promoCode"]["notificationBatches"]


async def events(api: Api, code_id: str) -> list[dict[str, Any]]:
    data = await api.data("query($id: ID!) { promoCode(id: $id) { events { action actor } } }", {"id": code_id})
    return data["promoCode"]["events"]
