"""Notifications of a promo code: one batch per ``notifyPromoCode``, one row per client per batch.

A batch is written in several short transactions (see
``domain.notification_store``) and becomes visible only when ``published_at``
is set: every reader of notifications must keep to published batches
(``domain.notification_queries.published``).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class NotificationBatch(Base):
    __tablename__ = "notification_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    promo_code_id: Mapped[int] = mapped_column(ForeignKey("promo_codes.id"), index=True)
    via_email: Mapped[bool] = mapped_column(Boolean)
    via_popup: Mapped[bool] = mapped_column(Boolean)
    recipient_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Null while the batch is being written; its rows are invisible until then.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Notification(Base):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("notification_batches.id"))
    promo_code_id: Mapped[int | None] = mapped_column(ForeignKey("promo_codes.id"))
    via_email: Mapped[bool] = mapped_column(Boolean)
    via_popup: Mapped[bool] = mapped_column(Boolean)
    title: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        # One notification per client per batch, however the client was targeted.
        Index("uq_notifications_batch_client", "batch_id", "client_id", unique=True),
        # A client's pages, unread and pop-up filters included: a client has few rows.
        Index("ix_notifications_client_id_id", "client_id", "id"),
        # A code's notified clients (statistics and client rows), read from the index alone.
        Index("ix_notifications_code_client_batch", "promo_code_id", "client_id", "batch_id"),
    )
