"""Depth, alias and token limits refuse oversized queries before they run."""
from graphql import get_introspection_query

from schema.build import MAX_ALIASES, MAX_DEPTH


def nested(depth: int) -> str:
    """A valid query with ``depth`` nested selections: clientGroups -> clients -> edges -> node -> groups -> clients ..."""
    cycle = ["clients", "edges", "node", "groups"]
    fields = ["clientGroups"] + [cycle[i % 4] for i in range(depth - 1)]
    return "{ " + " { ".join(fields) + " { __typename" + " }" * len(fields) + " }"


async def test_a_query_deeper_than_the_limit_is_refused(api):
    body = await api.post(nested(MAX_DEPTH + 1))
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]
    assert body.get("data") is None


async def test_a_query_at_the_limit_runs(api):
    body = await api.post(nested(MAX_DEPTH))
    assert "errors" not in body, body


async def test_too_many_aliases_are_refused(api):
    aliases = " ".join(f"a{i}: viewer {{ subject }}" for i in range(MAX_ALIASES + 1))
    body = await api.post("{ " + aliases + " }")
    assert "aliases" in body["errors"][0]["message"]


async def test_too_many_tokens_are_refused(api):
    body = await api.post("{ " + "viewer { subject } " * 2000 + "}")
    assert "token" in body["errors"][0]["message"].lower()


async def test_graphiql_introspection_passes_the_limits(api):
    body = await api.post(get_introspection_query(descriptions=True), token=None)
    assert "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"
