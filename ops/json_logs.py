"""Structured logs: one JSON object per line on stderr, with the request id when there is one.

``PROMO_LOG_FORMAT=text`` keeps Python's and uvicorn's own formatting;
``PROMO_LOG_LEVEL`` sets the level (default INFO).
"""
from __future__ import annotations

import logging
import os
import sys
from datetime import datetime, timezone
from typing import Any

import orjson

from ops.request_info import current_request_id

# Loggers that uvicorn configures with handlers of its own; ours replace them.
_UVICORN_LOGGERS = ("uvicorn", "uvicorn.error")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = current_request_id()
        if request_id is not None:
            entry["request_id"] = request_id
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time (test runners swap it)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


LOG_FORMATS = ("json", "text")
LOG_LEVELS = tuple(name for name in logging.getLevelNamesMapping() if name != "NOTSET")  # WARN, FATAL too


def _log_settings() -> tuple[str, str]:
    """PROMO_LOG_FORMAT and PROMO_LOG_LEVEL, or start-up stops with a message naming the variable."""
    log_format = os.environ.get("PROMO_LOG_FORMAT", "json").lower()
    level = os.environ.get("PROMO_LOG_LEVEL", "INFO").upper()
    if log_format not in LOG_FORMATS:
        raise SystemExit(f"promo-codes: bad configuration: PROMO_LOG_FORMAT: must be one of {', '.join(LOG_FORMATS)}")
    if level not in LOG_LEVELS:
        raise SystemExit(f"promo-codes: bad configuration: PROMO_LOG_LEVEL: must be one of {', '.join(LOG_LEVELS)}")
    return log_format, level


def configure_logging() -> None:
    """Install the JSON handler on the root logger once; later calls change nothing."""
    log_format, level = _log_settings()
    if log_format == "text":
        return
    root = logging.getLogger()
    if any(isinstance(h, StderrHandler) for h in root.handlers):
        return
    handler = StderrHandler()
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    for name in _UVICORN_LOGGERS:
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    # Our access log (ops.middleware) carries the request id; uvicorn's would repeat it without.
    logging.getLogger("uvicorn.access").disabled = True
