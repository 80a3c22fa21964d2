"""A small GraphQL client for tests, with tokens for every kind of caller."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from sqlalchemy import event

from auth import mint_token
from resolvers.context import AppServices

ALL_PERMISSIONS = ["READ_PROMO_CODES", "UPDATE_PROMO_CODES", "MANAGE_CLIENTS", "MANAGE_CHALLENGES", "MANAGE_MODULES"]


class Api:
    def __init__(self, client: httpx.AsyncClient, secret: str, services: AppServices | None = None) -> None:
        self.client = client
        self.secret = secret
        self.services = services
        self.admin = self.staff_token(*ALL_PERMISSIONS, subject="admin@broker")

    def staff_token(self, *permissions: str, subject: str = "staff@broker") -> str:
        return mint_token(self.secret, subject, "staff", list(permissions))

    def client_token(self, external_id: str) -> str:
        return mint_token(self.secret, external_id, "client")

    async def post(self, query: str, variables: dict[str, Any] | None = None, token: str | None = "admin") -> dict[str, Any]:
        """The whole response body; ``token="admin"`` means the all-permissions staff token."""
        headers = {}
        if token == "admin":
            token = self.admin
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        response = await self.client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    async def data(self, query: str, variables: dict[str, Any] | None = None, token: str | None = "admin") -> dict[str, Any]:
        """``data`` of a response that must have no top-level errors."""
        body = await self.post(query, variables, token)
        assert "errors" not in body, body["errors"]
        return body["data"]

    async def error_code(self, query: str, variables: dict[str, Any] | None = None, token: str | None = "admin") -> str:
        """``extensions.code`` of the one top-level error a request must produce."""
        body = await self.post(query, variables, token)
        assert body.get("errors"), body
        return body["errors"][0]["extensions"]["code"]

    @contextmanager
    def statements(self) -> Iterator[list[str]]:
        """The SQL statements the app runs inside the block (both engines; SQLite's BEGIN left out)."""
        assert self.services is not None, "statement counts need the in-process app"
        seen: list[str] = []

        def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if not statement.startswith("BEGIN"):
                seen.append(statement)

        engines = [e.sync_engine for e in self.services.db.engines]
        for engine in engines:
            event.listen(engine, "before_cursor_execute", record)
        try:
            yield seen
        finally:
            for engine in engines:
                event.remove(engine, "before_cursor_execute", record)

    async def install_module(self) -> None:
        data = await self.data('mutation { installModule(key: "coupons-and-promo-codes") { errors { code } } }')
        assert data["installModule"]["errors"] == []


PROMO_CODE_FIELDS = """
  id code name useCase discountMethod discountValue currency distributionMethod
  usageLimitPerClient combinableWithCoupons validFrom validUntil status validityStatus
  editable deletable createdAt updatedAt enabledAt disabledAt
  events { action actor occurredAt }
"""

CREATE_PROMO_CODE = f"""
mutation($input: PromoCodeCreateInput!) {{
  createPromoCode(input: $input) {{ promoCode {{ {PROMO_CODE_FIELDS} }} errors {{ field code message }} }}
}}"""

UPDATE_PROMO_CODE = f"""
mutation($id: ID!, $input: PromoCodeUpdateInput!) {{
  updatePromoCode(id: $id, input: $input) {{ promoCode {{ {PROMO_CODE_FIELDS} }} errors {{ field code message }} }}
}}"""

TRANSITION = """
mutation($id: ID!) {{
  {name}(id: $id) {{ promoCode {{ id status validityStatus editable deletable enabledAt disabledAt }} errors {{ field code message }} }}
}}"""

DELETE_PROMO_CODE = "mutation($id: ID!) { deletePromoCode(id: $id) { deletedId errors { field code message } } }"


def percentage_code(code: str = "SUMMER10", **overrides: Any) -> dict[str, Any]:
    return {"code": code, "name": f"Promo {code}", "discountMethod": "PERCENTAGE", "discountValue": "10", **overrides}


async def create_promo_code(api: Api, **fields: Any) -> dict[str, Any]:
    """Create a code (installing nothing); the created code, asserting there were no errors."""
    payload = (await api.data(CREATE_PROMO_CODE, {"input": percentage_code(**fields)}))["createPromoCode"]
    assert payload["errors"] == [], payload["errors"]
    return payload["promoCode"]


async def transition(api: Api, name: str, code_id: str, token: str | None = "admin") -> dict[str, Any]:
    """Run enablePromoCode / disablePromoCode; the payload."""
    return (await api.data(TRANSITION.format(name=name), {"id": code_id}, token))[name]
