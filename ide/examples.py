"""The saved operations GraphiQL opens with, one tab each (files in ide/examples/)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"


@dataclass(frozen=True, slots=True)
class Example:
    name: str  # file stem: NAME.graphql, and NAME.json for its variables if there is one
    role: Literal["staff", "client"]  # whose token the tab's headers ask for

    @property
    def query(self) -> str:
        return (EXAMPLES_DIR / f"{self.name}.graphql").read_text()

    @property
    def variables(self) -> str | None:
        path = EXAMPLES_DIR / f"{self.name}.json"
        return path.read_text() if path.is_file() else None


EXAMPLES = (
    Example("dashboard", "staff"),
    Example("statistics", "staff"),
    Example("lifecycle", "staff"),
    Example("clients", "staff"),
    Example("checkout", "client"),
)


def tabs() -> list[dict[str, str | None]]:
    return [{"name": e.name, "role": e.role, "query": e.query, "variables": e.variables} for e in EXAMPLES]
