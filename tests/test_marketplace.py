"""The module gate: not installed on a fresh database, requested by staff, installed by an account manager."""
import asyncio

from resolvers.context import Context
from schema import schema
from schema.node import to_global_id
from tests.api import CREATE_PROMO_CODE, DELETE_PROMO_CODE, UPDATE_PROMO_CODE, percentage_code

MODULES = "{ marketplaceModules { key name description installed installedAt installationRequestedAt } }"
REQUEST = """
mutation($input: ModuleInstallationRequestInput!) {
  requestModuleInstallation(input: $input) { module { key installed installationRequestedAt } errors { field code } }
}"""
INSTALL = "mutation($key: String!) { installModule(key: $key) { module { key installed installedAt } errors { field code } } }"


def request_input(**overrides):
    return {"key": "coupons-and-promo-codes", "contactName": "Bea", "contactEmail": "bea@broker.example", **overrides}


async def test_fresh_database_has_the_module_not_installed(api):
    modules = (await api.data(MODULES))["marketplaceModules"]
    assert len(modules) == 1
    module = modules[0]
    assert module["key"] == "coupons-and-promo-codes"
    assert module["name"] == "Coupons and Promo Codes"
    assert module["description"]
    assert (module["installed"], module["installedAt"], module["installationRequestedAt"]) == (False, None, None)


async def test_gated_queries_answer_module_not_installed(api):
    for query in ("{ promoCodes { totalCount } }", '{ promoCode(code: "ABC") { id } }'):
        body = await api.post(query)
        assert body["errors"][0]["extensions"]["code"] == "MODULE_NOT_INSTALLED"


async def test_the_statistics_subscription_is_refused_before_the_module_is_installed(api):
    context = Context(api.services, f"Bearer {api.admin}", long_lived=True)
    subscription = "subscription($id: ID!) { promoCodeStatistics(id: $id) { totalRedeemed } }"
    stream = await schema.subscribe(subscription, {"id": to_global_id("PromoCode", 1)}, context_value=context)
    first = await asyncio.wait_for(anext(stream), 1)  # the refusal comes at once, no event awaited
    await stream.aclose()
    assert first.data is None and [e.extensions["code"] for e in first.errors] == ["MODULE_NOT_INSTALLED"]


async def test_gated_mutations_answer_module_not_installed_in_errors(api):
    cases = {
        "createPromoCode": (CREATE_PROMO_CODE, {"input": percentage_code()}),
        "updatePromoCode": (UPDATE_PROMO_CODE, {"id": "UHJvbW9Db2RlOjE=", "input": {}}),
        "enablePromoCode": ('mutation { enablePromoCode(id: "UHJvbW9Db2RlOjE=") { errors { field code } } }', None),
        "disablePromoCode": ('mutation { disablePromoCode(id: "UHJvbW9Db2RlOjE=") { errors { field code } } }', None),
        "deletePromoCode": (DELETE_PROMO_CODE, {"id": "UHJvbW9Db2RlOjE="}),
    }
    for name, (query, variables) in cases.items():
        payload = (await api.data(query, variables))[name]
        assert [e["code"] for e in payload["errors"]] == ["MODULE_NOT_INSTALLED"], name


async def test_permission_is_checked_before_the_gate(api):
    assert await api.error_code("{ promoCodes { totalCount } }", token=api.staff_token("MANAGE_CLIENTS")) == "FORBIDDEN"


async def test_ungated_fields_work_without_the_module(api):
    data = await api.data("{ viewer { kind } propChallenges { id } clientGroups { id } clients { totalCount } }")
    assert data["viewer"]["kind"] == "STAFF"


async def test_request_records_the_request_and_does_not_install(api, db):
    payload = (await api.data(REQUEST, {"input": request_input(message="Please install")}))["requestModuleInstallation"]
    assert payload["errors"] == []
    assert payload["module"]["installed"] is False
    assert payload["module"]["installationRequestedAt"] is not None
    from sqlalchemy import select

    from models import ModuleInstallationRequest

    async with db.read_session() as session:
        stored = (await session.scalars(select(ModuleInstallationRequest))).one()
    assert (stored.contact_name, stored.contact_email, stored.message, stored.requested_by) == (
        "Bea", "bea@broker.example", "Please install", "admin@broker"
    )
    assert await api.error_code("{ promoCodes { totalCount } }") == "MODULE_NOT_INSTALLED"


async def test_request_validates_its_input(api):
    cases = [
        (request_input(key="nope"), [("key", "NOT_FOUND")]),
        (request_input(contactName=" "), [("contactName", "REQUIRED")]),
        (request_input(contactEmail="not-an-email"), [("contactEmail", "INVALID")]),
        (request_input(message="x" * 2001), [("message", "INVALID")]),
    ]
    for data, expected in cases:
        payload = (await api.data(REQUEST, {"input": data}))["requestModuleInstallation"]
        assert [(e["field"], e["code"]) for e in payload["errors"]] == expected
        assert payload["module"] is None


async def test_install_opens_the_gate_and_is_idempotent(api):
    manager = api.staff_token("MANAGE_MODULES", subject="account-manager")
    first = (await api.data(INSTALL, {"key": "coupons-and-promo-codes"}, token=manager))["installModule"]
    assert first["errors"] == [] and first["module"]["installed"] is True
    again = (await api.data(INSTALL, {"key": "coupons-and-promo-codes"}, token=manager))["installModule"]
    assert again["module"]["installedAt"] == first["module"]["installedAt"]
    assert (await api.data("{ promoCodes { totalCount } }"))["promoCodes"]["totalCount"] == 0
    payload = (await api.data(CREATE_PROMO_CODE, {"input": percentage_code()}))["createPromoCode"]
    assert payload["errors"] == []


async def test_install_of_an_unknown_module_is_not_found(api):
    payload = (await api.data(INSTALL, {"key": "nope"}))["installModule"]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("key", "NOT_FOUND")]
