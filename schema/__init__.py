"""The GraphQL schema: ``from schema import schema``.

Built on first access, so that resolvers may import the types in this package
without importing the root types that import them.
"""
from typing import Any


def __getattr__(name: str) -> Any:
    if name == "schema":
        from schema.build import schema

        return schema
    raise AttributeError(name)
