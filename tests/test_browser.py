"""GraphiQL in a real browser: headless Debian Chromium driven by Playwright.

A new user's path: start ``serve-demo``, open GraphiQL, put the printed admin
token in the headers pane, run a query and read real demo data. Skipped only
when Chromium is absent (scripts/setup.sh installs it).
"""
from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from demo.promo_codes import CODES
from ide.assets import missing_assets
from tests.live_demo import LiveDemo, start_demo

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (scripts/setup.sh installs it)"
)

QUERY = """query FirstLook {
  viewer { subject }
  promoCodes(filter: {status: [ENABLED]}, sortBy: CODE, sortDirection: ASC) { totalCount edges { node { code } } }
}"""
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[LiveDemo]:
    assert not missing_assets(), "GraphiQL assets missing: run `python -m cli fetch-graphiql` (scripts/setup.sh does)"
    server = start_demo(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def page(tmp_path: Path) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=CHROMIUM, args=CHROMIUM_FLAGS,
            headless=True, viewport={"width": 1280, "height": 800},
        )
        page = browser.new_page()
        page.add_init_script(CSP_LISTENER)
        page.page_errors = []  # type: ignore[attr-defined]
        page.on("pageerror", lambda error: page.page_errors.append(str(error)))  # type: ignore[attr-defined]
        yield page
        browser.close()


def _set_editor(page, selector: str, text: str) -> None:
    editor = page.locator(f"{selector} .CodeMirror").first
    editor.click()
    page.keyboard.press("Control+A")
    # insert_text, not type: typing "{" would trigger the editor's auto-closing brackets.
    page.keyboard.insert_text(text)


def _run(page) -> dict:
    """Runs the current tab and returns the JSON shown in the result pane."""
    before = page.locator(".graphiql-response").inner_text()
    page.click(".graphiql-execute-button")
    page.wait_for_function(
        "(before) => { const t = document.querySelector('.graphiql-response').innerText;"
        " return t !== before && t.trim().endsWith('}'); }",
        arg=before, timeout=15000,
    )
    text = page.evaluate("document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()")
    return json.loads(text)


def test_graphiql_runs_a_query_with_the_token_from_the_headers_pane(demo: LiveDemo, page) -> None:
    admin_token = demo.token_after("admin (all permissions)")
    page.goto(f"{demo.base_url}/graphql")
    page.wait_for_selector(".graphiql-execute-button", timeout=20000)
    _set_editor(page, ".graphiql-query-editor", QUERY)
    # The tab takes the operation's name once GraphiQL has parsed the new text.
    page.locator(".graphiql-tab-active", has_text="FirstLook").wait_for(timeout=10000)

    # The example tab's headers hold a placeholder, not a token: the server refuses.
    refused = _run(page)
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", refused

    page.get_by_role("button", name="Headers").click()
    _set_editor(page, ".graphiql-editor-tool .graphiql-editor:not(.hidden)",
                json.dumps({"Authorization": f"Bearer {admin_token}"}))
    result = _run(page)

    enabled = sorted(c.code for c in CODES if c.history and c.history[-1][0] == "enable")
    assert "errors" not in result, result
    assert result["data"]["viewer"] == {"subject": "admin@demo"}
    assert result["data"]["promoCodes"]["totalCount"] == len(enabled)
    assert [e["node"]["code"] for e in result["data"]["promoCodes"]["edges"]] == enabled
    assert page.evaluate("window.__cspViolations") == []
    assert page.page_errors == []
