"""Builds, from the schema itself, one minimal valid operation per root field: every required
argument gets a dummy value of its type, and the selection is just ``__typename``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
    get_named_type,
    is_leaf_type,
)

from schema.node import to_global_id

SCALAR_DUMMIES: dict[str, Any] = {
    "ID": to_global_id("PromoCode", 1),
    "String": "DUMMY",
    "Int": 1,
    "Float": 1.0,
    "Boolean": True,
    "Decimal": "1",
    "DateTime": "2099-01-01T00:00:00+00:00",
}


@dataclass(frozen=True)
class RootOperation:
    kind: str  # "query", "mutation" or "subscription"
    field: str
    document: str
    variables: dict[str, Any]


def dummy_value(type_: GraphQLInputType) -> Any:
    """A value of ``type_`` that passes GraphQL coercion (whether the domain accepts it does not matter)."""
    if isinstance(type_, GraphQLNonNull):
        return dummy_value(type_.of_type)
    if isinstance(type_, GraphQLList):
        return [dummy_value(type_.of_type)]
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        return {
            name: dummy_value(field.type)
            for name, field in type_.fields.items()
            if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
        }
    if isinstance(type_, GraphQLScalarType):
        if type_.name not in SCALAR_DUMMIES:
            raise KeyError(f"no dummy value for scalar {type_.name}: add one to SCALAR_DUMMIES")
        return SCALAR_DUMMIES[type_.name]
    raise TypeError(f"unexpected input type {type_}")


def operation_for(kind: str, name: str, field: GraphQLField) -> RootOperation:
    required = {arg_name: arg for arg_name, arg in field.args.items() if isinstance(arg.type, GraphQLNonNull)}
    declarations = ", ".join(f"${arg_name}: {arg.type}" for arg_name, arg in required.items())
    arguments = ", ".join(f"{arg_name}: ${arg_name}" for arg_name in required)
    selection = "" if is_leaf_type(get_named_type(field.type)) else " { __typename }"
    document = f"{kind}{f'({declarations})' if declarations else ''} {{ {name}{f'({arguments})' if arguments else ''}{selection} }}"
    variables = {arg_name: dummy_value(arg.type) for arg_name, arg in required.items()}
    return RootOperation(kind, name, document, variables)


def root_operations(graphql_schema: GraphQLSchema) -> list[RootOperation]:
    """One operation for every field of Query, Mutation and Subscription."""
    roots: list[tuple[str, GraphQLObjectType | None]] = [
        ("query", graphql_schema.query_type),
        ("mutation", graphql_schema.mutation_type),
        ("subscription", graphql_schema.subscription_type),
    ]
    return [
        operation_for(kind, name, field)
        for kind, root in roots
        if root is not None
        for name, field in root.fields.items()
    ]
