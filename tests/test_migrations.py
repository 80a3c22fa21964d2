"""Migrations that change stored data, run on a database that holds some (SQLite; a file of its own)."""
from alembic import command
from sqlalchemy import text

from database import Database, alembic_config


def _upgrade(connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def test_amounts_in_currencies_iso_gives_more_digits_are_rescaled(tmp_path):
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    try:
        async with db.write_engine.begin() as conn:
            await conn.run_sync(_upgrade, "0005")
            # Stored under CLDR's digits: 10000 HUF and 2500 IQD as whole units, 49.00 USD in cents.
            for name, price, currency in (("Forint", 10_000, "HUF"), ("Dinar", 2_500, "IQD"), ("Dollar", 4_900, "USD")):
                await conn.execute(
                    text("INSERT INTO prop_challenges (name, price_minor, currency, active, created_at) VALUES (:n, :p, :c, 1, '2026-01-01 00:00:00')"),
                    {"n": name, "p": price, "c": currency},
                )
        async with db.write_engine.begin() as conn:
            await conn.run_sync(_upgrade, "head")
            prices = dict((await conn.execute(text("SELECT currency, price_minor FROM prop_challenges"))).all())
    finally:
        await db.dispose()
    assert prices == {"HUF": 1_000_000, "IQD": 2_500_000, "USD": 4_900}  # 10000.00 HUF, 2500.000 IQD
