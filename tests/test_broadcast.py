"""Change events reach subscribers of their (topic, key) only, within the process and, on PostgreSQL, across."""
import asyncio

from broadcast import Broadcast
from database import Database


async def test_events_reach_only_their_subscribers(settings):
    db = Database(settings.database_url)
    broadcast, other = Broadcast(db), Broadcast(db)  # on PostgreSQL: two listeners, as two processes have
    await broadcast.start()
    await other.start()
    try:
        async with broadcast.subscribe("promo_code_statistics", 12) as code_12, other.subscribe(
            "promo_code_statistics", 12
        ) as code_12_elsewhere, broadcast.subscribe("promo_code_statistics", 13) as code_13:
            await broadcast.publish("promo_code_statistics", 12)
            assert await asyncio.wait_for(code_12.get(), 2) == "12"
            if not db.is_sqlite:
                assert await asyncio.wait_for(code_12_elsewhere.get(), 2) == "12"
            await asyncio.sleep(0.1)
            assert code_13.empty()
    finally:
        await broadcast.stop()
        await other.stop()
        await db.dispose()


async def test_a_subscription_ends_with_its_block(settings):
    db = Database(settings.database_url)
    broadcast = Broadcast(db)
    await broadcast.start()
    try:
        async with broadcast.subscribe("notification_batches", 7) as ended:
            pass
        async with broadcast.subscribe("notification_batches", 7) as current:
            await broadcast.publish("notification_batches", 7)
            assert await asyncio.wait_for(current.get(), 2) == "7"
        assert ended.empty()
    finally:
        await broadcast.stop()
        await db.dispose()


async def test_a_topic_wide_subscription_receives_every_key(settings):
    db = Database(settings.database_url)
    broadcast = Broadcast(db)
    await broadcast.start()
    try:
        async with broadcast.subscribe("notification_batches") as every:
            await broadcast.publish("notification_batches", 41)
            await broadcast.publish("notification_batches", 42)
            assert [await asyncio.wait_for(every.get(), 2) for _ in range(2)] == ["41", "42"]
    finally:
        await broadcast.stop()
        await db.dispose()
