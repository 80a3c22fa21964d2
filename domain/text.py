"""Checks on free-text input shared by every entity."""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy import func

from domain.errors import ErrorCode, ErrorCollector

# RFC 5322's dot-atom on both sides of the @, with a dot in the domain: none of the characters
# that mean something in an address header (, ; < > ( ) [ ] " : and spaces), so an address can
# only ever name one recipient. ASCII only: the relay is spoken to without SMTPUTF8.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_EMAIL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Controls (line breaks, tabs, NUL), line and paragraph separators, lone surrogates. Format
# characters stay allowed: joiners build emoji and Persian names.
_UNPRINTABLE = {"Cc", "Zl", "Zp", "Cs"}


def clean_text(
    raw: str | None, field: str, errors: ErrorCollector, *, max_length: int, label: str
) -> str | None:
    """Trimmed text of 1 to ``max_length`` characters, or ``None`` after recording why not."""
    value = (raw or "").strip()
    if not value:
        errors.add(ErrorCode.REQUIRED, field, f"{label} is required.")
        return None
    if len(value) > max_length:
        errors.add(ErrorCode.INVALID, field, f"{label} is at most {max_length} characters.")
        return None
    if any(unicodedata.category(c) in _UNPRINTABLE for c in value):
        # Line breaks in a name would break the e-mail headers it goes into.
        errors.add(ErrorCode.INVALID, field, f"{label} may not contain control characters such as line breaks.")
        return None
    return value


def clean_email(raw: str | None, field: str, errors: ErrorCollector) -> str | None:
    value = clean_text(raw, field, errors, max_length=254, label="E-mail address")
    if value is not None and not _EMAIL.fullmatch(value):
        errors.add(ErrorCode.INVALID, field, "E-mail address is not valid.")
        return None
    return value


def contains_literal(column, needle: str):
    """Case-insensitive substring match in which ``%`` and ``_`` match themselves."""
    escaped = needle.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")
