"""The speed-ups on every request keep the behaviour: JSON bodies via orjson, cached GraphQL names."""
from __future__ import annotations

from schema.naming import CachedNameConverter


async def test_a_body_that_is_not_json_is_a_400(api):
    response = await api.client.post("/graphql", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400


async def test_a_json_body_still_runs(api):
    assert (await api.data("{ __typename }"))["__typename"] == "Query"


def test_cached_names_are_strawberrys_camel_case():
    converter = CachedNameConverter()
    assert converter.apply_naming_config("idempotency_key") == "idempotencyKey"
    assert converter.apply_naming_config("idempotency_key") == "idempotencyKey"  # from the cache
    converter.auto_camel_case = False
    assert converter.apply_naming_config("idempotency_key") == "idempotency_key"
