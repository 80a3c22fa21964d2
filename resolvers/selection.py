"""What the query asks for below a field, to load only what it will show."""
from __future__ import annotations

from collections.abc import Iterable

from strawberry.types.nodes import Selection

from resolvers.context import Info


def _asks_for(selections: Iterable[Selection], name: str) -> bool:
    # Fragments (spread or inline) carry selections too; a field under any of them counts.
    return any(getattr(s, "name", None) == name or _asks_for(s.selections, name) for s in selections)


def asks_for(info: Info, name: str) -> bool:
    """Whether a field called ``name`` is selected anywhere below the field being resolved."""
    return _asks_for(info.selected_fields, name)
