"""Who may call what: checked once per root field, before the module gate and any input check."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from auth import Permission, Principal
from domain.marketplace import PROMO_MODULE_KEY, module_missing_error
from resolvers.context import Context
from schema.errors import forbidden, module_not_installed


async def require_staff(context: Context, permission: Permission | None = None) -> Principal:
    # A client token naming no known client is UNAUTHENTICATED here too, not FORBIDDEN.
    principal = await require_token(context)
    if not principal.is_staff:
        raise forbidden("This field needs a staff token.")
    if permission is not None and not principal.may(permission):
        raise forbidden(f"This field needs the {permission.value} permission.")
    return principal


async def require_client(context: Context) -> int:
    """The calling client's id; FORBIDDEN for staff tokens."""
    if context.principal.is_staff:
        raise forbidden("This field needs a client token.")
    return await context.client_id()


async def require_module(context: Context) -> None:
    """For queries: a top-level MODULE_NOT_INSTALLED error until the module is installed."""
    async with context.reading() as session:
        installed = await context.services.modules.is_installed(session, PROMO_MODULE_KEY)
    if not installed:
        raise module_not_installed()


async def check_module(context: Context, session: AsyncSession) -> None:
    """For mutations: a MODULE_NOT_INSTALLED ``DomainError`` until the module is installed."""
    if not await context.services.modules.is_installed(session, PROMO_MODULE_KEY):
        raise module_missing_error()


async def require_token(context: Context) -> Principal:
    """Any valid token; a client token must also name a known client."""
    principal = context.principal
    if not principal.is_staff:
        await context.client_id()
    return principal
