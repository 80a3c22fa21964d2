"""The e-mail outbox: messages written with the data they announce, delivered later by ``mail.worker``.

The body of a mass mailing is the same for every recipient, so it is stored
once (``EmailContent``) and each recipient gets a light ``OutboxEmail`` row.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class EmailContent(Base):
    __tablename__ = "email_contents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboxEmail(Base):
    __tablename__ = "email_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_id: Mapped[int] = mapped_column(ForeignKey("email_contents.id"))
    # Set for promo-code notifications; null for one-off mails (installation requests).
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("notification_batches.id"))
    recipient: Mapped[str] = mapped_column(String(254))
    recipient_name: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16))  # domain.email_delivery.EmailStatus
    # Times a worker claimed the message; also the claim's fencing token.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Times the relay answered "try later" (4xx): only these count towards giving up, not
    # the claims of rounds in which the relay was down or the worker handed the message back.
    deferrals: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # When a pending message is due; while a worker holds it, when its lease ends.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index(
            "ix_email_outbox_due",
            "next_attempt_at",
            sqlite_where=text("status = 'PENDING'"),
            postgresql_where=text("status = 'PENDING'"),
        ),
        Index("ix_email_outbox_batch_id_status", "batch_id", "status"),
    )
