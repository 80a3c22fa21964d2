"""Builds the ``strawberry.Schema``: root types, scalars, caches and error handling."""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import strawberry
from graphql import GraphQLError, StringValueNode, ValidationRule
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.extensions.query_depth_limiter import IgnoreContext
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from ops.graphql_extension import OperationLabels
from schema.errors import ApiError
from security import NUL_MESSAGE
from schema.masking import MaskUnexpectedErrors
from schema.naming import CachedNameConverter
from schema.root import Mutation, Query
from schema.subscription import Subscription
from schema.scalars import SCALAR_OVERRIDES

logger = logging.getLogger("promo.graphql")

# Limits for partners' queries. The admin dashboard's deepest query (codes -> client
# rows -> redemptions -> challenge -> price) is 9 levels deep.
MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 5000


def is_introspection(context: IgnoreContext) -> bool:
    """Introspection has a fixed shape (GraphiQL's query is deeper than ours); the token limit bounds it."""
    return context.field_name.startswith("__")


class NoNulInLiterals(ValidationRule):
    """String literals of the query may not hold U+0000 either (variables: ``security.has_nul``)."""

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        if "\x00" in node.value:
            self.report_error(GraphQLError(NUL_MESSAGE, node))


# The limiters' rule classes, made once: each limiter instance makes new classes, and
# ValidationCache keys on the rules, so per-request instances would never hit the cache.
LIMIT_RULES = [
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
    *QueryDepthLimiter(max_depth=MAX_DEPTH, should_ignore=is_introspection).validation_rules,
    NoNulInLiterals,
]


def is_unexpected(error: GraphQLError) -> bool:
    """Errors raised by a bug rather than on purpose: their message is masked and they are logged."""
    original = error.original_error
    return original is not None and not isinstance(original, (ApiError, GraphQLError))


class PromoSchema(strawberry.Schema):
    async def execute(self, *args: Any, allowed_operation_types: Iterable[OperationType] | None = None, **kwargs: Any) -> ExecutionResult:
        # Only the HTTP view names the allowed types. Subscriptions are served over WebSocket:
        # over HTTP they would run as queries and answer null, so they get a 400 there.
        if allowed_operation_types is not None:
            allowed_operation_types = set(allowed_operation_types) - {OperationType.SUBSCRIPTION}
        return await super().execute(*args, allowed_operation_types=allowed_operation_types, **kwargs)

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        for error in errors:
            if is_unexpected(error):
                logger.error("unexpected error", exc_info=error.original_error)


schema = PromoSchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    scalar_overrides=SCALAR_OVERRIDES,
    config=StrawberryConfig(name_converter=CachedNameConverter()),
    extensions=[
        lambda: MaskUnexpectedErrors(should_mask_error=is_unexpected, error_message="Internal server error."),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: AddValidationRules(LIMIT_RULES),
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        OperationLabels,
    ],
)
