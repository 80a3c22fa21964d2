"""The ``Node`` interface and global ids (base64 of ``"Type:pk"``)."""
from __future__ import annotations

import base64
import binascii

import strawberry


@strawberry.interface
class Node:
    id: strawberry.ID


def to_global_id(type_name: str, pk: int) -> strawberry.ID:
    return strawberry.ID(base64.b64encode(f"{type_name}:{pk}".encode()).decode())


MAX_PK = 2**31 - 1  # primary keys are INTEGER columns (int4 on PostgreSQL)


def from_global_id(global_id: str) -> tuple[str, int] | None:
    """``(type name, primary key)``, or ``None`` for anything that is not one of our ids."""
    try:
        decoded = base64.b64decode(global_id, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    type_name, sep, pk = decoded.partition(":")
    # isdigit() alone admits digits that int() refuses, such as '²'.
    if not sep or not (pk.isascii() and pk.isdigit()) or len(pk) > 10 or int(pk) > MAX_PK:
        return None
    return type_name, int(pk)


def pk_of(global_id: str, type_name: str) -> int | None:
    parsed = from_global_id(global_id)
    if parsed is None or parsed[0] != type_name:
        return None
    return parsed[1]
