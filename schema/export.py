"""Writes the schema's SDL to ``schema.graphql`` at the repository root: ``python -m schema.export``."""
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parent.parent / "schema.graphql"


def sdl() -> str:
    from schema import schema

    return schema.as_str() + "\n"


if __name__ == "__main__":
    SNAPSHOT.write_text(sdl())
    print(f"wrote {SNAPSHOT}")
