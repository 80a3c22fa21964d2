"""Demo clients, client groups and prop challenges."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from demo.world import DemoWorld
from domain import reference
from domain.reference import ChallengeInput, ClientInput

FIRST_NAMES = (
    "Ava", "Liam", "Sofia", "Noah", "Mia", "Lucas", "Emma", "Mateo", "Yuki", "Hiro",
    "Chloe", "Ethan", "Amara", "Kenji", "Isla", "Omar", "Elena", "Jonas",
)
LAST_NAMES = ("Thompson", "Garcia", "Rossi", "Müller", "Tanaka", "Dubois", "Novak", "Okafor")
CLIENT_COUNT = 36

# name -> which clients (by position) belong to it
GROUPS = {
    "VIP traders": range(0, 8),
    "New sign-ups": range(26, 36),
    "Europe desk": range(8, 20),
    "Asia desk": range(20, 28),
    "Webinar leads": range(0),  # an empty group is a case the SPA must show too
}

CHALLENGES = (
    # name, price, currency, account size, active
    ("Starter 10K", "99.00", "USD", "10000", True),
    ("Standard 25K", "199.00", "USD", "25000", True),
    ("Pro 50K", "299.00", "USD", "50000", True),
    ("Elite 100K", "499.00", "USD", "100000", True),
    ("Euro 50K", "279.00", "EUR", "50000", True),
    ("Tokyo 5M", "32800", "JPY", "5000000", True),
    ("Legacy 200K", "899.00", "USD", "200000", False),
)


def external_id(position: int) -> str:
    return f"C-{1001 + position}"


def client_name(position: int) -> str:
    return f"{FIRST_NAMES[position % len(FIRST_NAMES)]} {LAST_NAMES[position % len(LAST_NAMES)]}"


async def seed_clients_and_groups(session: AsyncSession, world: DemoWorld) -> None:
    for position in range(CLIENT_COUNT):
        name = client_name(position)
        email = f"{name.lower().replace(' ', '.').replace('ü', 'ue')}{position}@example.com"
        client = await reference.create_client(session, ClientInput(external_id(position), name, email, ()))
        world.clients[client.external_id] = client
    for group_name, members in GROUPS.items():
        ids = [world.clients[external_id(p)].id for p in members]
        world.groups[group_name] = await reference.create_group(session, group_name, ids)


async def seed_challenges(session: AsyncSession, world: DemoWorld) -> None:
    for name, price, currency, size, active in CHALLENGES:
        challenge = await reference.create_challenge(
            session, ChallengeInput(name, Decimal(price), currency, Decimal(size))
        )
        if not active:
            await reference.set_challenge_active(session, challenge.id, False)
        world.challenges[name] = challenge
