from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class MarketplaceModule(Base):
    __tablename__ = "marketplace_modules"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)
    installed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    installed_by: Mapped[str | None] = mapped_column(String(200))
    installation_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ModuleInstallationRequest(Base):
    __tablename__ = "module_installation_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    module_key: Mapped[str] = mapped_column(ForeignKey("marketplace_modules.key"))
    contact_name: Mapped[str] = mapped_column(String(100))
    contact_email: Mapped[str] = mapped_column(String(254))
    message: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
