"""Tells the request middleware which GraphQL operation it is serving (for metrics and logs)."""
from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from ops.request_info import current_request


class OperationLabels(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        info = current_request.get()
        if info is None:  # a WebSocket operation: no HTTP request around it
            return
        context = self.execution_context
        info.graphql = True
        info.operation = context.operation_name
        if context.graphql_document is not None:
            try:
                info.operation_type = context.operation_type.value
            except Exception:  # noqa: BLE001 - an unknown operationName: the request failed anyway
                info.operation_type = None
        result = context.result
        info.graphql_errors = bool(context.pre_execution_errors) or bool(result is not None and result.errors)
