"""Every root field of the schema, called by every kind of caller that may not call it (no token
and a client token naming no known client included), answers UNAUTHENTICATED or FORBIDDEN (contract README, "Who is calling"); the callers that may call it
get past the guards. The fields come from the schema, not from a list: a new root field missing
from ``WHO_MAY_CALL`` fails ``test_every_root_field_has_a_rule``."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest

from auth import Permission
from resolvers.context import Context
from schema.build import schema
from tests.api import ALL_PERMISSIONS, Api
from tests.authorization_operations import RootOperation, root_operations
from tests.checkout_helpers import make_client

GUARD_CODES = {"UNAUTHENTICATED", "FORBIDDEN"}


@dataclass(frozen=True)
class Rule:
    """Who may call a field: any valid token, any staff token, client tokens only, or staff
    holding one of ``permissions``."""

    any_token: bool = False
    any_staff: bool = False
    client_only: bool = False
    permissions: frozenset[Permission] = frozenset()


ANY_TOKEN = Rule(any_token=True)
ANY_STAFF = Rule(any_staff=True)
CLIENT = Rule(client_only=True)


def staff(*permissions: Permission) -> Rule:
    return Rule(permissions=frozenset(permissions))


READ = staff(Permission.READ_PROMO_CODES, Permission.UPDATE_PROMO_CODES)  # update implies read
UPDATE = staff(Permission.UPDATE_PROMO_CODES)

WHO_MAY_CALL: dict[str, Rule] = {
    "query.node": ANY_TOKEN,
    "query.viewer": ANY_TOKEN,
    "query.propChallenges": ANY_TOKEN,
    "query.clients": ANY_STAFF,
    "query.clientGroups": ANY_STAFF,
    "query.marketplaceModules": ANY_STAFF,
    "query.promoCode": READ,
    "query.promoCodes": READ,
    "query.myNotifications": CLIENT,
    "query.myPopups": CLIENT,
    "query.myCoupons": CLIENT,
    "query.myPurchases": CLIENT,
    "mutation.createPromoCode": UPDATE,
    "mutation.updatePromoCode": UPDATE,
    "mutation.enablePromoCode": UPDATE,
    "mutation.disablePromoCode": UPDATE,
    "mutation.deletePromoCode": UPDATE,
    "mutation.notifyPromoCode": UPDATE,
    "mutation.issueCoupon": UPDATE,
    "mutation.applyPromoCode": CLIENT,
    "mutation.purchaseChallenge": CLIENT,
    "mutation.markNotificationsRead": CLIENT,
    "mutation.requestModuleInstallation": ANY_STAFF,
    "mutation.installModule": staff(Permission.MANAGE_MODULES),
    "mutation.createClient": staff(Permission.MANAGE_CLIENTS),
    "mutation.createClientGroup": staff(Permission.MANAGE_CLIENTS),
    "mutation.createPropChallenge": staff(Permission.MANAGE_CHALLENGES),
    "mutation.setPropChallengeActive": staff(Permission.MANAGE_CHALLENGES),
    "subscription.promoCodeStatistics": READ,
    "subscription.myNotificationReceived": CLIENT,
}

OPERATIONS = {f"{op.kind}.{op.field}": op for op in root_operations(schema._schema)}
CLIENT_ID = "MATRIX-CLIENT"


def callers(api: Api, rule: Rule) -> tuple[dict[str, tuple[str | None, str]], dict[str, str]]:
    """(callers refused with their expected code, callers let through) for ``rule``."""
    client = api.client_token(CLIENT_ID)
    bare_staff = api.staff_token()
    # A client token naming no known client is not authenticated, whatever the field asks for.
    refused: dict[str, tuple[str | None, str]] = {
        "no token": (None, "UNAUTHENTICATED"),
        "unknown client": (api.client_token("NOBODY-KNOWN"), "UNAUTHENTICATED"),
    }
    allowed: dict[str, str] = {}
    if rule.any_token:
        allowed.update(client=client, **{"staff without permissions": bare_staff})
    elif rule.any_staff:
        refused["client"] = (client, "FORBIDDEN")
        allowed["staff without permissions"] = bare_staff
    elif rule.client_only:
        allowed["client"] = client
        refused["staff with every permission"] = (api.admin, "FORBIDDEN")
    else:
        refused["client"] = (client, "FORBIDDEN")
        lacking = [p for p in ALL_PERMISSIONS if Permission[p] not in rule.permissions]
        refused[f"staff with {lacking}"] = (api.staff_token(*lacking), "FORBIDDEN")
        for permission in rule.permissions:
            allowed[f"staff with {permission.value} only"] = api.staff_token(permission.value)
    return refused, allowed


async def error_codes(api: Api, op: RootOperation, token: str | None) -> list[str]:
    """The ``extensions.code`` of every top-level error the operation gets (none: it ran)."""
    if op.kind != "subscription":
        body = await api.post(op.document, op.variables, token)
        return [error.get("extensions", {}).get("code", error["message"]) for error in body.get("errors", [])]
    return await subscription_error_codes(api, op, token)


async def subscription_error_codes(api: Api, op: RootOperation, token: str | None) -> list[str]:
    assert api.services is not None
    context = Context(api.services, f"Bearer {token}" if token else None, long_lived=True)
    result: Any = await schema.subscribe(op.document, op.variables, context_value=context)
    if not hasattr(result, "__anext__"):
        return [error.extensions.get("code", error.message) for error in result.errors or []]
    try:
        first = await asyncio.wait_for(result.__anext__(), 0.5)
    except TimeoutError:
        return []  # subscribed and waiting for events: the guards let it through
    finally:
        await result.aclose()
    return [error.extensions.get("code", error.message) for error in first.errors or []]


def test_every_root_field_has_a_rule():
    assert sorted(OPERATIONS) == sorted(WHO_MAY_CALL), "a root field was added or removed: say who may call it"


@pytest.mark.anyio
@pytest.mark.parametrize("name", sorted(WHO_MAY_CALL))
async def test_callers_without_the_right_are_refused_and_those_with_it_get_past_the_guards(api: Api, name: str):
    await make_client(api, CLIENT_ID)
    op = OPERATIONS[name]
    refused, allowed = callers(api, WHO_MAY_CALL[name])
    for caller, (token, expected) in refused.items():
        codes = await error_codes(api, op, token)
        assert codes == [expected], f"{name} by {caller}: {codes}"
    for caller, token in allowed.items():
        codes = await error_codes(api, op, token)
        assert not GUARD_CODES & set(codes), f"{name} by {caller}: {codes}"
