"""The GraphiQL page: local files only, a strict CSP, example operations that fit the schema."""
from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest
from graphql import build_schema, parse, validate

from ide import page as ide_page
from ide.assets import ASSETS, sri_of
from ide.examples import EXAMPLES
from schema import schema

HTML = {"Accept": "text/html"}



async def test_browsers_get_the_page_with_a_strict_policy(api, monkeypatch):
    monkeypatch.setattr(ide_page, "missing_assets", lambda: [])
    response = await api.client.get("/graphql", headers=HTML)
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    body = response.text
    assert "unpkg.com" not in body and "cdn" not in body.lower()
    for tag in re.findall(r"<script[^>]*>", body):
        # No inline code: every script is a same-origin file or a data block.
        assert re.search(r'src="/graphiql/', tag) or 'type="application/json"' in tag, tag


async def test_every_asset_the_page_names_is_pinned_and_served(api, monkeypatch):
    monkeypatch.setattr(ide_page, "missing_assets", lambda: [])
    body = (await api.client.get("/graphql", headers=HTML)).text
    for asset in ASSETS:
        assert f'"{asset.url}" integrity="{asset.sri}"' in body
    own = await api.client.get(f"{ide_page.APP_URL}/promo-graphiql.js")
    assert own.status_code == 200 and "GraphiQL.createFetcher" in own.text
    for asset in ASSETS:
        if asset.file.is_file():  # after `promo fetch-graphiql`
            served = await api.client.get(asset.url)
            assert served.status_code == 200 and sri_of(served.content) == asset.sri


async def test_page_without_its_assets_says_how_to_fetch_them(api, monkeypatch):
    monkeypatch.setattr(ide_page, "missing_assets", lambda: list(ASSETS[:1]))
    monkeypatch.setattr(ide_page, "_assets_checked", False)
    response = await api.client.get("/graphql", headers=HTML)
    assert response.status_code == 503
    assert "fetch-graphiql" in response.text and ASSETS[0].url in response.text


async def test_config_block_carries_the_examples_and_cannot_close_its_script_tag(api, monkeypatch):
    monkeypatch.setattr(ide_page, "missing_assets", lambda: [])
    body = (await api.client.get("/graphql", headers=HTML)).text
    block = re.search(r'<script type="application/json" id="promo-graphiql-config">(.*?)</script>', body, re.S)
    assert block is not None and "<" not in block.group(1)
    config = json.loads(block.group(1))
    assert config["endpoint"] == "/graphql"
    assert [e["name"] for e in config["examples"]] == [e.name for e in EXAMPLES]
    assert {e["role"] for e in config["examples"]} == {"staff", "client"}


async def test_api_clients_still_get_json_from_get(api):
    response = await api.client.get("/graphql", params={"query": "{ __typename }"})
    assert response.status_code == 200 and response.json() == {"data": {"__typename": "Query"}}


def test_sri_is_base64_sha384():
    assert sri_of(b"abc") == "sha384-" + base64.b64encode(hashlib.sha384(b"abc").digest()).decode()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_every_saved_example_validates_against_the_schema(example):
    server = build_schema(schema.as_str())
    if example.variables is not None:
        json.loads(example.variables)
    assert [e.message for e in validate(server, parse(example.query))] == [], example.name
