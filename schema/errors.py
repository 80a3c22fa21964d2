"""Errors as the API shows them: ``UserError`` in payloads, coded top-level errors otherwise."""
from __future__ import annotations

import strawberry
from graphql import GraphQLError

from domain.errors import DomainError
from domain.errors import ErrorCode as DomainErrorCode

ErrorCode = strawberry.enum(DomainErrorCode, name="ErrorCode")


@strawberry.type
class UserError:
    field: str | None
    code: ErrorCode
    message: str


def user_errors(error: DomainError) -> list[UserError]:
    return [UserError(field=e.field, code=e.code, message=e.message) for e in error.errors]


class ApiError(GraphQLError):
    """A top-level error the caller is meant to see, with ``extensions.code``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, extensions={"code": code})
        self.code = code


def unauthenticated(message: str = "A valid bearer token is required.") -> ApiError:
    return ApiError("UNAUTHENTICATED", message)


def forbidden(message: str) -> ApiError:
    return ApiError("FORBIDDEN", message)


def bad_user_input(message: str) -> ApiError:
    return ApiError("BAD_USER_INPUT", message)


def module_not_installed() -> ApiError:
    return ApiError(
        "MODULE_NOT_INSTALLED",
        "The 'Coupons and Promo Codes' marketplace module is not installed.",
    )
