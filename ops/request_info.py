"""What the middleware knows about the HTTP request being served, shared with the code below it."""
from __future__ import annotations

import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

# A caller's id is echoed in headers and logs: keep it short and free of odd characters.
_ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


@dataclass(slots=True)
class RequestInfo:
    request_id: str
    # Set by the GraphQL extension (ops.graphql_extension) after the operation ran.
    graphql: bool = False
    operation: str | None = None
    operation_type: str | None = None
    graphql_errors: bool = False


current_request: ContextVar[RequestInfo | None] = ContextVar("promo_request", default=None)


def request_id_from(header: str | None) -> str:
    """The caller's X-Request-ID when it is sensible, else a new random one."""
    if header and _ACCEPTED_ID.match(header):
        return header
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    info = current_request.get()
    return None if info is None else info.request_id
