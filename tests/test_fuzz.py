"""hypothesis-graphql over the whole schema, through the HTTP endpoint, with valid tokens of every
kind: valid operations (random arguments) and operations with one schema violation. No answer may
be a 5xx, a masked "Internal server error." (a bug the resolvers did not expect) or a traceback,
and none may take longer than ``HANG_S``. Bounded: ``EXAMPLES`` per mode (env ``PROMO_FUZZ_EXAMPLES``)."""
from __future__ import annotations

import os
from datetime import UTC, datetime

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema, nodes

from schema.build import schema
from schema.node import to_global_id
from tests.api import Api
from tests.checkout_helpers import make_challenge, make_client, make_code

EXAMPLES = int(os.environ.get("PROMO_FUZZ_EXAMPLES", "150"))
HANG_S = 10.0

NODE_TYPES = sorted(t.name for t in schema._schema.type_map.values() if any(i.name == "Node" for i in getattr(t, "interfaces", ())))
# IDs and strings that name the seeded rows now and then, so that operations get past "not found".
IDS = st.one_of(
    st.builds(to_global_id, st.sampled_from(NODE_TYPES), st.integers(min_value=1, max_value=8)),
    st.text(max_size=20),
).map(nodes.String)
STRINGS = st.one_of(st.sampled_from(["FUZZ10", "fuzz10 ", "FUZZ-CLIENT", "coupons-and-promo-codes", "USD"]), st.text(max_size=40))
SCALARS = {
    "ID": IDS,
    "String": STRINGS.map(nodes.String),
    "DateTime": st.one_of(
        st.datetimes(min_value=datetime(1, 1, 2), timezones=st.just(UTC)).map(lambda d: nodes.String(d.isoformat())),
        st.text(max_size=30).map(nodes.String),
    ),
    "Decimal": st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True).map(nodes.String),
        st.text(max_size=30).map(nodes.String),
    ),
}
CALLERS = ["admin", "reader", "client", "bare staff"]


def tokens(api: Api) -> dict[str, str]:
    return {
        "admin": api.admin,
        "reader": api.staff_token("READ_PROMO_CODES"),
        "client": api.client_token("FUZZ-CLIENT"),
        "bare staff": api.staff_token(),
    }


@pytest.fixture
async def seeded(api: Api) -> Api:
    """Data for the fuzzed operations to find: the module, a client, a challenge, an enabled code."""
    await api.install_module()
    await make_client(api, "FUZZ-CLIENT")
    await make_challenge(api)
    await make_code(api, "FUZZ10")
    return api


def assert_handled(response: httpx.Response, query: str) -> None:
    context = f"{response.status_code} for {query!r}: {response.text[:500]}"
    assert response.status_code < 500, context
    assert "Internal server error." not in response.text, context
    assert "Traceback" not in response.text, context


async def send(api: Api, query: str, caller: str) -> None:
    headers = {"Authorization": f"Bearer {tokens(api)[caller]}"}
    response = await api.client.post("/graphql", json={"query": query}, headers=headers, timeout=HANG_S)
    assert_handled(response, query)


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # a hang is caught by the request timeout; speed is not this test's business
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


@FUZZ
@given(query=from_schema(schema._schema, custom_scalars=SCALARS, mode=Mode.POSITIVE), caller=st.sampled_from(CALLERS))
async def test_valid_operations_with_random_arguments_are_answered_without_a_server_error(seeded, query, caller):
    await send(seeded, query, caller)


@FUZZ
@given(query=from_schema(schema._schema, custom_scalars=SCALARS, mode=Mode.NEGATIVE), caller=st.sampled_from(CALLERS))
async def test_operations_breaking_the_schema_are_refused_without_a_server_error(seeded, query, caller):
    await send(seeded, query, caller)
