"""Who is calling: tokens, UNAUTHENTICATED and FORBIDDEN (the contract's "Who is calling")."""
import time

import jwt
import pytest

from auth import mint_token
from tests.conftest import SECRET

CREATE_CLIENT = """mutation { createClient(input: {externalId: "C-1", name: "Ann", email: "ann@example.com"}) { client { id } errors { code } } }"""


async def make_client(api, external_id="C-1"):
    query = "mutation($e: String!) { createClient(input: {externalId: $e, name: \"Ann\", email: \"ann@example.com\"}) { client { id } errors { code } } }"
    payload = (await api.data(query, {"e": external_id}))["createClient"]
    assert payload["errors"] == []
    return payload["client"]


def forged(claims, key=SECRET, algorithm="HS256"):
    return jwt.encode(claims, key, algorithm=algorithm)


@pytest.mark.parametrize(
    "token",
    [
        None,
        "not-a-jwt",
        forged({"sub": "x", "kind": "staff"}, key="another-secret-of-the-right-length-0123"),
        forged({"sub": "x", "kind": "staff", "exp": int(time.time()) - 10}),
        forged({"sub": "x", "kind": "robot"}),
        forged({"sub": "x"}),
        forged({"kind": "staff"}),
        forged({"sub": "", "kind": "staff"}),
        forged({"sub": "x" * 201, "kind": "staff"}),
        forged({"sub": "x", "kind": "staff", "permissions": "MANAGE_CLIENTS"}),
        forged({"sub": "x", "kind": "staff", "permissions": [{"name": "MANAGE_CLIENTS"}]}),
        jwt.encode({"sub": "x", "kind": "staff"}, None, algorithm="none"),
        forged({"sub": "x", "kind": "staff"}, key=SECRET, algorithm="HS512"),
    ],
    ids=["missing", "garbage", "bad-signature", "expired", "unknown-kind", "no-kind", "no-sub", "empty-sub", "sub-too-long",
         "permissions-not-a-list", "permissions-not-names", "alg-none", "wrong-algorithm"],
)
async def test_bad_tokens_are_unauthenticated(api, token):
    assert await api.error_code("{ viewer { subject } }", token=token) == "UNAUTHENTICATED"


async def test_tampered_payload_is_unauthenticated(api):
    header, _, signature = api.staff_token().split(".")
    payload = jwt.utils.base64url_encode(b'{"sub":"x","kind":"staff","permissions":["MANAGE_MODULES"]}').decode()
    assert await api.error_code("{ viewer { subject } }", token=f"{header}.{payload}.{signature}") == "UNAUTHENTICATED"


async def test_unexpired_token_is_accepted(api):
    token = mint_token(SECRET, "bob", "staff", [], ttl_s=60)
    assert (await api.data("{ viewer { subject kind permissions } }", token=token))["viewer"] == {
        "subject": "bob", "kind": "STAFF", "permissions": []
    }


async def test_client_token_for_unknown_client_is_unauthenticated(api):
    token = api.client_token("nobody")
    assert await api.error_code("{ viewer { subject } }", token=token) == "UNAUTHENTICATED"
    assert await api.error_code("{ propChallenges { id } }", token=token) == "UNAUTHENTICATED"
    # Authentication comes before permissions: staff fields too, not FORBIDDEN.
    assert await api.error_code("{ clients { totalCount } }", token=token) == "UNAUTHENTICATED"
    assert await api.error_code("{ promoCodes { totalCount } }", token=token) == "UNAUTHENTICATED"
    assert await api.error_code(CREATE_CLIENT, token=token) == "UNAUTHENTICATED"


async def test_client_viewer_has_no_permissions_and_its_client(api):
    client = await make_client(api)
    token = mint_token(SECRET, "C-1", "client")
    viewer = (await api.data("{ viewer { kind subject permissions client { id externalId } } }", token=token))["viewer"]
    assert viewer == {"kind": "CLIENT", "subject": "C-1", "permissions": [], "client": {"id": client["id"], "externalId": "C-1"}}


async def test_client_permissions_claim_is_ignored(api):
    await make_client(api)
    token = forged({"sub": "C-1", "kind": "client", "permissions": ["MANAGE_CLIENTS"]})
    assert (await api.data("{ viewer { permissions } }", token=token))["viewer"]["permissions"] == []
    assert await api.error_code(CREATE_CLIENT, token=token) == "FORBIDDEN"


async def test_introspection_needs_no_token(api):
    data = await api.data("{ __schema { queryType { name } } }", token=None)
    assert data["__schema"]["queryType"]["name"] == "Query"


async def test_unknown_permission_names_are_ignored(api):
    token = api.staff_token("MANAGE_CLIENTS", "SOMETHING_ELSE")
    assert (await api.data("{ viewer { permissions } }", token=token))["viewer"]["permissions"] == ["MANAGE_CLIENTS"]


STAFF_FIELDS = {
    "{ clients { totalCount } }": None,
    "{ clientGroups { id } }": None,
    "{ marketplaceModules { key } }": None,
    'mutation { requestModuleInstallation(input: {key: "x", contactName: "a", contactEmail: "a@b.co"}) { errors { code } } }': None,
    "{ promoCodes { totalCount } }": "READ_PROMO_CODES",
    '{ promoCode(code: "X") { id } }': "READ_PROMO_CODES",
    'mutation { createPromoCode(input: {code: "ABC", name: "n", discountMethod: PERCENTAGE, discountValue: "5"}) { errors { code } } }': "UPDATE_PROMO_CODES",
    'mutation { updatePromoCode(id: "x", input: {}) { errors { code } } }': "UPDATE_PROMO_CODES",
    'mutation { enablePromoCode(id: "x") { errors { code } } }': "UPDATE_PROMO_CODES",
    'mutation { disablePromoCode(id: "x") { errors { code } } }': "UPDATE_PROMO_CODES",
    'mutation { deletePromoCode(id: "x") { errors { code } } }': "UPDATE_PROMO_CODES",
    CREATE_CLIENT: "MANAGE_CLIENTS",
    'mutation { createClientGroup(input: {name: "g"}) { errors { code } } }': "MANAGE_CLIENTS",
    'mutation { createPropChallenge(input: {name: "c", price: "10", currency: "USD"}) { errors { code } } }': "MANAGE_CHALLENGES",
    'mutation { setPropChallengeActive(id: "x", active: false) { errors { code } } }': "MANAGE_CHALLENGES",
    'mutation { installModule(key: "coupons-and-promo-codes") { errors { code } } }': "MANAGE_MODULES",
}


@pytest.mark.parametrize(("query", "permission"), STAFF_FIELDS.items())
async def test_staff_fields_refuse_clients_and_staff_without_the_permission(api, query, permission):
    await make_client(api, "C-9")
    assert await api.error_code(query, token=api.client_token("C-9")) == "FORBIDDEN"
    assert await api.error_code(query, token=None) == "UNAUTHENTICATED"
    if permission is not None:
        others = [p for p in ("READ_PROMO_CODES", "UPDATE_PROMO_CODES", "MANAGE_CLIENTS", "MANAGE_CHALLENGES", "MANAGE_MODULES")
                  if p != permission and not (permission == "READ_PROMO_CODES" and p == "UPDATE_PROMO_CODES")]
        body = await api.post(query, token=api.staff_token(*others))
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert permission in body["errors"][0]["message"]
        body = await api.post(query, token=api.staff_token(permission))
        assert "errors" not in body or body["errors"][0]["extensions"]["code"] not in ("FORBIDDEN", "UNAUTHENTICATED")


async def test_update_permission_implies_read(api):
    await api.install_module()
    token = api.staff_token("UPDATE_PROMO_CODES")
    assert (await api.data("{ promoCodes { totalCount } }", token=token))["promoCodes"]["totalCount"] == 0


async def test_read_permission_does_not_allow_writes(api):
    await api.install_module()
    query = 'mutation { createPromoCode(input: {code: "ABC", name: "n", discountMethod: PERCENTAGE, discountValue: "5"}) { errors { code } } }'
    assert await api.error_code(query, token=api.staff_token("READ_PROMO_CODES")) == "FORBIDDEN"


async def test_any_valid_token_reads_viewer_and_challenges(api):
    await make_client(api, "C-2")
    for token in (api.client_token("C-2"), api.staff_token()):
        data = await api.data("{ viewer { subject } propChallenges { id } }", token=token)
        assert data["propChallenges"] == []


async def test_permission_is_checked_before_input(api):
    query = 'mutation { createPromoCode(input: {code: "", name: "", discountMethod: PERCENTAGE, discountValue: "-1"}) { errors { code } } }'
    assert await api.error_code(query, token=api.staff_token("READ_PROMO_CODES")) == "FORBIDDEN"
