"""Errors a caller can fix by changing its input (the contract's ``UserError``)."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ErrorCode(Enum):
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    DUPLICATE = "DUPLICATE"
    NOT_FOUND = "NOT_FOUND"
    NOT_EDITABLE = "NOT_EDITABLE"
    NOT_DELETABLE = "NOT_DELETABLE"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    MODULE_NOT_INSTALLED = "MODULE_NOT_INSTALLED"
    CODE_INVALID = "CODE_INVALID"
    CODE_INACTIVE = "CODE_INACTIVE"
    CODE_NOT_STARTED = "CODE_NOT_STARTED"
    CODE_EXPIRED = "CODE_EXPIRED"
    USAGE_LIMIT_REACHED = "USAGE_LIMIT_REACHED"
    CURRENCY_MISMATCH = "CURRENCY_MISMATCH"
    CHALLENGE_UNAVAILABLE = "CHALLENGE_UNAVAILABLE"
    RATE_LIMITED = "RATE_LIMITED"
    IDEMPOTENCY_CONFLICT = "IDEMPOTENCY_CONFLICT"


@dataclass(frozen=True, slots=True)
class FieldError:
    code: ErrorCode
    field: str | None
    message: str


class DomainError(Exception):
    """One or more ``FieldError``s; the operation changed nothing."""

    def __init__(self, *errors: FieldError) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = list(errors)

    @classmethod
    def one(cls, code: ErrorCode, field: str | None, message: str) -> "DomainError":
        return cls(FieldError(code, field, message))


class ErrorCollector:
    """Gathers every problem with an input so the caller sees them all at once."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, code: ErrorCode, field: str | None, message: str) -> None:
        self.errors.append(FieldError(code, field, message))

    def has(self, field: str) -> bool:
        return any(e.field == field for e in self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise DomainError(*self.errors)
