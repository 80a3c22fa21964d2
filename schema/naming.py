"""GraphQL names for Python names, converted once per name rather than on every request.

Strawberry converts the names of input fields each time it turns arguments into
Python objects; on the checkout's hot path that was about 4 % of a request's CPU.
"""
from __future__ import annotations

from functools import lru_cache

from strawberry.schema.name_converter import NameConverter
from strawberry.utils.str_converters import to_camel_case

_camel_case = lru_cache(maxsize=4096)(to_camel_case)


class CachedNameConverter(NameConverter):
    def apply_naming_config(self, name: str) -> str:
        return _camel_case(name) if self.auto_camel_case else name
