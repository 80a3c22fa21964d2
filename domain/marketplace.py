"""The marketplace module gate and installation requests."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import DomainError, ErrorCode, ErrorCollector
from domain.text import clean_email, clean_text
from models import MarketplaceModule, ModuleInstallationRequest, utcnow

PROMO_MODULE_KEY = "coupons-and-promo-codes"


def module_missing_error() -> DomainError:
    return DomainError.one(
        ErrorCode.MODULE_NOT_INSTALLED,
        None,
        "Install the 'Coupons and Promo Codes' marketplace module first.",
    )


@dataclass(frozen=True, slots=True)
class InstallationRequestInput:
    key: str
    contact_name: str
    contact_email: str
    message: str | None


async def _module(session: AsyncSession, key: str) -> MarketplaceModule:
    module = await session.get(MarketplaceModule, key, with_for_update=True)
    if module is None:
        raise DomainError.one(ErrorCode.NOT_FOUND, "key", f"No marketplace module {key!r}.")
    return module


async def request_installation(
    session: AsyncSession, data: InstallationRequestInput, actor: str
) -> tuple[MarketplaceModule, ModuleInstallationRequest]:
    errors = ErrorCollector()
    name = clean_text(data.contact_name, "contactName", errors, max_length=100, label="Contact name")
    email = clean_email(data.contact_email, "contactEmail", errors)
    message = (data.message or "").strip() or None
    if message is not None and len(message) > 2000:
        errors.add(ErrorCode.INVALID, "message", "Message is at most 2,000 characters.")
    errors.raise_if_any()
    module = await _module(session, data.key)
    now = utcnow()
    module.installation_requested_at = now
    request = ModuleInstallationRequest(
        module_key=module.key,
        contact_name=name,
        contact_email=email,
        message=message,
        requested_by=actor,
        requested_at=now,
    )
    session.add(request)
    return module, request


async def install(session: AsyncSession, key: str, actor: str) -> MarketplaceModule:
    """Install a module; installing an installed module changes nothing."""
    module = await _module(session, key)
    if module.installed_at is None:
        module.installed_at = utcnow()
        module.installed_by = actor
    return module
