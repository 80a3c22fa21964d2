from __future__ import annotations

from datetime import datetime

import strawberry

import models
from auth import Permission as PermissionEnum
from auth import PrincipalKind as PrincipalKindEnum
from schema.errors import UserError
from schema.reference import Client

Permission = strawberry.enum(PermissionEnum, name="Permission")
PrincipalKind = strawberry.enum(PrincipalKindEnum, name="PrincipalKind")


@strawberry.type
class MarketplaceModule:
    key: str
    name: str
    description: str
    installed: bool
    installed_at: datetime | None
    installation_requested_at: datetime | None

    @classmethod
    def from_row(cls, row: models.MarketplaceModule) -> "MarketplaceModule":
        return cls(
            key=row.key,
            name=row.name,
            description=row.description,
            installed=row.installed_at is not None,
            installed_at=row.installed_at,
            installation_requested_at=row.installation_requested_at,
        )


@strawberry.input
class ModuleInstallationRequestInput:
    key: str
    contact_name: str
    contact_email: str
    message: str | None = None


@strawberry.type
class MarketplaceModulePayload:
    module: MarketplaceModule | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class Viewer:
    kind: PrincipalKind
    subject: str
    permissions: list[Permission]
    client: Client | None
