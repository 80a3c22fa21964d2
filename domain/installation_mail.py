"""The e-mail to the account manager when a module installation is requested."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.email_outbox import enqueue_one
from mail.render import installation_request_email
from models import MarketplaceModule, ModuleInstallationRequest


async def mail_account_manager(
    session: AsyncSession, module: MarketplaceModule, request: ModuleInstallationRequest, address: str
) -> None:
    """Queue the e-mail in the request's own transaction: recorded together, or not at all."""
    body = installation_request_email(
        module.name, request.contact_name, request.contact_email, request.message, request.requested_by
    )
    await enqueue_one(session, body, address, request.requested_at)
