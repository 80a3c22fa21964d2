"""Tells the request middleware which GraphQL operation it is serving (for metrics and logs)."""
from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from ops.request_info import current_request


class OperationLabels(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        raised = False
        try:
            yield
        except BaseException:
            # A syntax error, for one, leaves the operation this way; Strawberry answers it.
            raised = True
            raise
        finally:
            self._label(raised)

    def _label(self, raised: bool) -> None:
        info = current_request.get()
        if info is None:  # a WebSocket operation: no HTTP request around it
            return
        context = self.execution_context
        info.graphql = True
        info.operation = context.operation_name
        if context.graphql_document is not None:
            try:
                info.operation_type = context.operation_type.value
            except RuntimeError:  # an unknown operationName: the request fails anyway
                info.operation_type = None
        result = context.result
        info.graphql_errors = raised or bool(context.pre_execution_errors) or bool(result is not None and result.errors)
