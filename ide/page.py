"""The GraphiQL page: same-origin scripts only, so a strict Content-Security-Policy holds.

The page carries no inline script: its settings travel in a JSON data block
(which browsers never execute) and ``static/promo-graphiql.js`` reads them.
"""
from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path

import orjson
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from ide.assets import ASSETS, VENDOR_DIR, VENDOR_URL, missing_assets
from ide.examples import tabs

APP_URL = "/graphiql/app"
STATIC_DIR = Path(__file__).resolve().parent / "static"

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",  # GraphiQL's stylesheet embeds its fonts
    "connect-src 'self'",  # fetch to /graphql and the subscription WebSocket
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
))
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

_MISSING = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>GraphiQL assets missing</title></head>
<body><h1>GraphiQL is not set up yet</h1>
<p>Its files are fetched once from the npm registry. Run <code>scripts/setup.sh</code>,
or <code>python -m cli fetch-graphiql</code>, then reload this page.</p>
<p>Missing: {missing}</p></body></html>"""


def _config_block() -> str:
    config = {"endpoint": "/graphql", "examples": tabs()}
    # "</script>" inside the data would end the block: escape every "<".
    data = orjson.dumps(config).decode().replace("<", "\\u003c")
    return f'<script type="application/json" id="promo-graphiql-config">{data}</script>'


@lru_cache(maxsize=1)
def page_html() -> str:
    styles = [f'<link rel="stylesheet" href="{a.url}" integrity="{a.sri}">' for a in ASSETS if not a.is_script]
    scripts = [f'<script src="{a.url}" integrity="{a.sri}"></script>' for a in ASSETS if a.is_script]
    return "\n".join((
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">',
        "<title>Promo Codes API · GraphiQL</title>",
        '<link rel="icon" href="data:,">',
        *styles,
        f'<link rel="stylesheet" href="{APP_URL}/promo-graphiql.css">',
        "</head>\n<body>",
        '<div id="graphiql">Loading GraphiQL…</div>',
        _config_block(),
        *scripts,
        f'<script src="{APP_URL}/promo-graphiql.js"></script>',
        "</body>\n</html>\n",
    ))


_assets_checked = False


def graphiql_response() -> HTMLResponse:
    global _assets_checked
    missing = [] if _assets_checked else missing_assets()
    _assets_checked = not missing  # hashing 4 MB on every page load would be wasted once they are good
    if missing:
        names = ", ".join(html.escape(a.url) for a in missing)
        return HTMLResponse(_MISSING.format(missing=names), status_code=503, headers=SECURITY_HEADERS)
    return HTMLResponse(page_html(), headers=SECURITY_HEADERS)


def static_routes() -> list[BaseRoute]:
    """The page's own script and stylesheet, and the vendored GraphiQL files."""
    return [
        Mount(APP_URL, StaticFiles(directory=STATIC_DIR)),
        Mount(VENDOR_URL, StaticFiles(directory=VENDOR_DIR)),
    ]
