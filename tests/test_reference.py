"""Clients, client groups, prop challenges and ``node``."""
import pytest

from schema.node import to_global_id

CREATE_CLIENT = """
mutation($input: ClientCreateInput!) {
  createClient(input: $input) { client { id externalId name email createdAt groups { id name } } errors { field code } }
}"""
CREATE_GROUP = """
mutation($input: ClientGroupCreateInput!) {
  createClientGroup(input: $input) { group { id name clientCount clients { totalCount edges { node { externalId } } } } errors { field code } }
}"""
CREATE_CHALLENGE = """
mutation($input: PropChallengeCreateInput!) {
  createPropChallenge(input: $input) { challenge { id name accountSize price { amount currency } active } errors { field code } }
}"""
SET_ACTIVE = "mutation($id: ID!, $active: Boolean!) { setPropChallengeActive(id: $id, active: $active) { challenge { id active } errors { field code } } }"


async def create(api, query, name, variables):
    payload = (await api.data(query, {"input": variables}))[name]
    return payload


async def client(api, external_id, **fields):
    payload = await create(api, CREATE_CLIENT, "createClient", {"externalId": external_id, "name": f"Client {external_id}", "email": f"{external_id.strip()}@example.com", **fields})
    assert payload["errors"] == []
    return payload["client"]


async def test_create_client_with_groups(api):
    group = (await create(api, CREATE_GROUP, "createClientGroup", {"name": "VIP"}))["group"]
    created = await client(api, " C-1 ", name=" Ann ", groupIds=[group["id"]])
    assert (created["externalId"], created["name"], created["email"]) == ("C-1", "Ann", "C-1@example.com")
    assert created["groups"] == [{"id": group["id"], "name": "VIP"}]
    assert created["createdAt"].endswith("+00:00")


async def test_create_client_validates(api):
    await client(api, "C-1")
    cases = [
        ({"externalId": "C-1"}, [("externalId", "DUPLICATE")]),
        ({"externalId": " "}, [("externalId", "REQUIRED")]),
        ({"name": ""}, [("name", "REQUIRED")]),
        ({"email": "nope"}, [("email", "INVALID")]),
        ({"email": "ann,bob@example.test"}, [("email", "INVALID")]),  # would mail two people
        ({"email": "Ann <ann@example.test>"}, [("email", "INVALID")]),
        ({"groupIds": ["Q2xpZW50R3JvdXA6OTk="]}, [("groupIds", "NOT_FOUND")]),
        ({"groupIds": ["garbage"]}, [("groupIds", "NOT_FOUND")]),
    ]
    for overrides, expected in cases:
        payload = await create(api, CREATE_CLIENT, "createClient", {"externalId": "C-2", "name": "B", "email": "b@example.com", **overrides})
        assert [(e["field"], e["code"]) for e in payload["errors"]] == expected, overrides
        assert payload["client"] is None
    assert (await api.data("{ clients { totalCount } }"))["clients"]["totalCount"] == 1


async def test_groups_count_and_page_their_clients(api):
    members = [await client(api, f"C-{i}") for i in range(3)]
    payload = await create(api, CREATE_GROUP, "createClientGroup", {"name": "Traders", "clientIds": [m["id"] for m in members]})
    group = payload["group"]
    assert group["clientCount"] == 3
    assert group["clients"]["totalCount"] == 3
    assert [e["node"]["externalId"] for e in group["clients"]["edges"]] == ["C-0", "C-1", "C-2"]
    duplicate = await create(api, CREATE_GROUP, "createClientGroup", {"name": "Traders"})
    assert [(e["field"], e["code"]) for e in duplicate["errors"]] == [("name", "DUPLICATE")]
    unknown = await create(api, CREATE_GROUP, "createClientGroup", {"name": "X", "clientIds": ["Q2xpZW50Ojk5"]})
    assert [(e["field"], e["code"]) for e in unknown["errors"]] == [("clientIds", "NOT_FOUND")]
    many = [to_global_id("Client", i) for i in range(1, 10_002)]  # more ids than bound parameters allow
    too_many = await create(api, CREATE_GROUP, "createClientGroup", {"name": "Y", "clientIds": many})
    assert [(e["field"], e["code"]) for e in too_many["errors"]] == [("clientIds", "INVALID")]
    groups = (await api.data("{ clientGroups { name clientCount clients(first: 1) { edges { node { externalId } } pageInfo { hasNextPage } } } }"))["clientGroups"]
    assert groups == [{"name": "Traders", "clientCount": 3, "clients": {"edges": [{"node": {"externalId": "C-0"}}], "pageInfo": {"hasNextPage": True}}}]


async def test_clients_search_and_pages(api):
    for name in ("Anna Smith", "Bob 100%", "Carla_Jones", "Dan"):
        await client(api, name.split()[0].upper(), name=name)
    query = "query($search: String, $first: Int, $after: String) { clients(search: $search, first: $first, after: $after) { totalCount edges { node { name } } pageInfo { endCursor hasNextPage } } }"

    async def names(**variables):
        return [e["node"]["name"] for e in (await api.data(query, variables))["clients"]["edges"]]

    assert await names(search="smith") == ["Anna Smith"]
    assert await names(search="%") == ["Bob 100%"]
    assert await names(search="_") == ["Carla_Jones"]
    assert await names(search="dan@EXAMPLE") == ["Dan"]  # e-mail matches too
    first = (await api.data(query, {"first": 2}))["clients"]
    assert first["totalCount"] == 4 and first["pageInfo"]["hasNextPage"] is True
    assert await names(first=2, after=first["pageInfo"]["endCursor"]) == ["Carla_Jones", "Dan"]
    assert await api.error_code(query, {"first": 101}) == "BAD_USER_INPUT"


async def test_challenges_have_exact_prices(api):
    usd = (await create(api, CREATE_CHALLENGE, "createPropChallenge", {"name": " 100k ", "price": "549.9", "currency": "usd", "accountSize": "100000"}))["challenge"]
    assert usd["name"] == "100k"
    assert usd["price"] == {"amount": "549.90", "currency": "USD"}
    assert usd["accountSize"] == "100000.00"
    jpy = (await create(api, CREATE_CHALLENGE, "createPropChallenge", {"name": "Yen", "price": 5030, "currency": "JPY"}))["challenge"]
    assert jpy["price"] == {"amount": "5030", "currency": "JPY"}
    assert jpy["accountSize"] is None


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"price": "0"}, [("price", "INVALID")]),
        ({"price": "1.001"}, [("price", "INVALID")]),
        ({"currency": "ABC"}, [("currency", "INVALID")]),
        ({"name": ""}, [("name", "REQUIRED")]),
        ({"accountSize": "-5"}, [("accountSize", "INVALID")]),
    ],
)
async def test_challenge_input_is_validated(api, fields, expected):
    payload = await create(api, CREATE_CHALLENGE, "createPropChallenge", {"name": "c", "price": "10", "currency": "USD", **fields})
    assert [(e["field"], e["code"]) for e in payload["errors"]] == expected


async def test_inactive_challenges_are_hidden_unless_asked_for(api):
    challenge = (await create(api, CREATE_CHALLENGE, "createPropChallenge", {"name": "c", "price": "10", "currency": "USD"}))["challenge"]
    payload = (await api.data(SET_ACTIVE, {"id": challenge["id"], "active": False}))["setPropChallengeActive"]
    assert payload["challenge"] == {"id": challenge["id"], "active": False}
    assert (await api.data("{ propChallenges { id } }"))["propChallenges"] == []
    assert (await api.data("{ propChallenges(includeInactive: true) { id } }"))["propChallenges"] == [{"id": challenge["id"]}]
    missing = (await api.data(SET_ACTIVE, {"id": "UHJvcENoYWxsZW5nZTo5OQ==", "active": True}))["setPropChallengeActive"]
    assert [(e["field"], e["code"]) for e in missing["errors"]] == [("id", "NOT_FOUND")]


async def test_node_resolves_what_the_caller_may_read(api):
    vip = (await create(api, CREATE_GROUP, "createClientGroup", {"name": "VIP"}))["group"]
    ann = await client(api, "ANN")
    bob = await client(api, "BOB")
    challenge = (await create(api, CREATE_CHALLENGE, "createPropChallenge", {"name": "c", "price": "10", "currency": "USD"}))["challenge"]
    query = "query($id: ID!) { node(id: $id) { __typename id } }"

    async def node(node_id, token="admin"):
        return (await api.data(query, {"id": node_id}, token=token))["node"]

    assert await node(vip["id"]) == {"__typename": "ClientGroup", "id": vip["id"]}
    assert await node(ann["id"]) == {"__typename": "Client", "id": ann["id"]}
    assert await node(challenge["id"]) == {"__typename": "PropChallenge", "id": challenge["id"]}
    ann_token = api.client_token("ANN")
    assert await node(ann["id"], ann_token) == {"__typename": "Client", "id": ann["id"]}
    assert await node(bob["id"], ann_token) is None
    assert await node(vip["id"], ann_token) is None
    assert await node(challenge["id"], ann_token) == {"__typename": "PropChallenge", "id": challenge["id"]}
    assert await node("garbage") is None
    assert await node("VW5rbm93bjox") is None  # Unknown:1
    assert await api.error_code(query, {"id": ann["id"]}, token=None) == "UNAUTHENTICATED"


async def test_node_hides_promo_codes_without_permission_or_module(api):
    from tests.api import create_promo_code

    await api.install_module()
    code = await create_promo_code(api)
    query = "query($id: ID!) { node(id: $id) { ... on PromoCode { code } } }"
    assert (await api.data(query, {"id": code["id"]}))["node"] == {"code": code["code"]}
    assert (await api.data(query, {"id": code["id"]}, token=api.staff_token("MANAGE_CLIENTS")))["node"] is None


async def test_groups_with_their_clients_cost_the_same_statements_at_any_size(api):
    query = "{ clientGroups { name clientCount clients(first: 5) { totalCount edges { node { externalId groups { name } } } } } }"

    async def statements_for(groups):
        for g in range(groups):
            members = [(await client(api, f"G{groups}-{g}-{i}"))["id"] for i in range(3)]
            await create(api, CREATE_GROUP, "createClientGroup", {"name": f"group {groups}-{g}", "clientIds": members})
        with api.statements() as seen:
            data = await api.data(query)
        assert all(len(g["clients"]["edges"]) == 3 for g in data["clientGroups"])
        return len(seen)

    small = await statements_for(1)
    large = await statements_for(8)
    # groups, their clients' page keys, those clients, client counts, the clients' groups
    assert small == large == 5
