"""Root fields for the caller (``viewer``) and the marketplace module gate."""
from __future__ import annotations

from sqlalchemy import select

from auth import Permission
from domain import marketplace
from domain.errors import DomainError
from domain.installation_mail import mail_account_manager
from models import Client as ClientRow
from models import MarketplaceModule as ModuleRow
from resolvers.context import Info
from resolvers.guards import require_staff, require_token
from schema.errors import user_errors
from schema.marketplace import MarketplaceModule, MarketplaceModulePayload, ModuleInstallationRequestInput, Viewer
from schema.reference import Client


async def viewer(info: Info) -> Viewer:
    principal = await require_token(info.context)
    client = None
    if not principal.is_staff:
        client_id = await info.context.client_id()
        async with info.context.reading() as session:
            client = Client.from_row(await session.get_one(ClientRow, client_id))
    permissions = sorted(principal.permissions, key=lambda p: p.value)
    return Viewer(kind=principal.kind, subject=principal.subject, permissions=permissions, client=client)


async def marketplace_modules(info: Info) -> list[MarketplaceModule]:
    await require_staff(info.context)
    async with info.context.reading() as session:
        rows = (await session.scalars(select(ModuleRow).order_by(ModuleRow.key))).all()
    return [MarketplaceModule.from_row(r) for r in rows]


async def request_module_installation(
    info: Info, input: ModuleInstallationRequestInput
) -> MarketplaceModulePayload:
    principal = await require_staff(info.context)
    data = marketplace.InstallationRequestInput(
        key=input.key, contact_name=input.contact_name, contact_email=input.contact_email, message=input.message
    )
    try:
        async with info.context.writing() as session:
            module, request = await marketplace.request_installation(session, data, principal.subject)
            if info.context.settings.account_manager_email:
                await mail_account_manager(session, module, request, info.context.settings.account_manager_email)
    except DomainError as exc:
        return MarketplaceModulePayload(errors=user_errors(exc))
    return MarketplaceModulePayload(module=MarketplaceModule.from_row(module))


async def install_module(info: Info, key: str) -> MarketplaceModulePayload:
    principal = await require_staff(info.context, Permission.MANAGE_MODULES)
    try:
        async with info.context.writing() as session:
            module = await marketplace.install(session, key, principal.subject)
    except DomainError as exc:
        return MarketplaceModulePayload(errors=user_errors(exc))
    return MarketplaceModulePayload(module=MarketplaceModule.from_row(module))
