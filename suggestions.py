"""Validation errors without "Did you mean ...?" for callers with no valid token, so that the
schema's hidden corners cannot be mapped by typo-probing; introspection itself stays open."""
from __future__ import annotations

import re
from typing import Any

from auth import InvalidToken, bearer_token, decode_token

# graphql-core's suggestion sentence (graphql.pyutils.did_you_mean): quoted GraphQL names, which
# never contain "?", so the sentence ends at the first "?". It may sit mid-message ("... Found: ...").
_SUGGESTION = re.compile(r" ?Did you mean [^?]*\?")


def has_valid_token(authorization: str | None, secret: str) -> bool:
    """A bearer token we signed and that has not expired (whether its client exists is not asked)."""
    try:
        decode_token(bearer_token(authorization), secret)
    except InvalidToken:
        return False
    return True


def without_suggestion(message: str) -> str:
    return _SUGGESTION.sub("", message)


def hide_suggestions(response: dict[str, Any]) -> dict[str, Any]:
    """The response with every error message's suggestion removed (a new dict; the errors may be cached)."""
    errors = response.get("errors")
    if not errors:
        return response
    return {**response, "errors": [{**error, "message": without_suggestion(error["message"])} for error in errors]}
