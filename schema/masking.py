"""Errors nobody meant to raise are masked; a lost database connection is told apart from a bug,
so that callers know to retry (the PostgreSQL pool reconnects by itself: ``pool_pre_ping``)."""
from __future__ import annotations

from graphql import GraphQLError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from strawberry.extensions import MaskErrors

UNAVAILABLE_MESSAGE = "The database is unavailable; try again shortly."


def is_database_unavailable(exc: BaseException | None) -> bool:
    """The database went away or could not be reached (as opposed to a statement it refused)."""
    if isinstance(exc, DBAPIError):
        return exc.connection_invalidated or isinstance(exc, (OperationalError, InterfaceError))
    return isinstance(exc, (PoolTimeout, ConnectionError))


class MaskUnexpectedErrors(MaskErrors):
    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        if not is_database_unavailable(error.original_error):
            return super().anonymise_error(error)
        return GraphQLError(
            UNAVAILABLE_MESSAGE,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": "SERVICE_UNAVAILABLE"},
        )
