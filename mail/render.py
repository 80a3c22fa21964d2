"""Messages rendered from the Jinja templates in ``mail/templates`` (HTML autoescaped, plain text as is)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from domain.notifications import Offer, discount_text, validity_text

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@dataclass(frozen=True, slots=True)
class EmailBody:
    subject: str
    text: str
    html: str


def _render(template: str, subject: str, **values: object) -> EmailBody:
    values["subject"] = subject
    return EmailBody(
        subject=subject,
        text=_TEMPLATES.get_template(f"{template}.txt").render(values),
        html=_TEMPLATES.get_template(f"{template}.html").render(values),
    )


def promo_code_email(offer: Offer, subject: str, now: datetime) -> EmailBody:
    """The e-mail announcing a promo code: the code, its name, the discount, the validity, how to redeem."""
    return _render(
        "promo_code",
        subject,
        code=offer.code,
        name=offer.name,
        discount=discount_text(offer.discount),
        validity=validity_text(offer.valid_from, offer.valid_until, now),
        combinable=offer.combinable_with_coupons,
    )


def installation_request_email(
    module_name: str, contact_name: str, contact_email: str, message: str | None, requested_by: str
) -> EmailBody:
    return _render(
        "installation_request",
        f"Installation request: {module_name}",
        module_name=module_name,
        contact_name=contact_name,
        contact_email=contact_email,
        message=message,
        requested_by=requested_by,
    )
