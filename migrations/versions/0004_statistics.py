"""statistics: running totals per promo code, kept by the purchase trigger

The trigger of 0002 now also adds each redemption to promo_code_statistics
(total, unique clients, last use) and promo_code_discount_totals (per
currency), in the purchase's own INSERT, so the figures are one indexed read
and always equal the redemption rows; on PostgreSQL it also sends the
NOTIFY that subscriptions listen for (delivered at commit). Existing redemptions are counted in.
Notifications get an index by (code, client, batch) for the notified-client
figures and the client list.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa
import models

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

USAGE_LIMIT_ERROR = "promo_code_usage_limit"


def upgrade() -> None:
    op.create_table(
        "promo_code_statistics",
        sa.Column("promo_code_id", sa.Integer(), nullable=False),
        sa.Column("total_redeemed", sa.Integer(), nullable=False),
        sa.Column("unique_clients", sa.Integer(), nullable=False),
        sa.Column("last_redeemed_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["promo_code_id"], ["promo_codes.id"], name=op.f("fk_promo_code_statistics_promo_code_id_promo_codes")),
        sa.PrimaryKeyConstraint("promo_code_id", name=op.f("pk_promo_code_statistics")),
    )
    op.create_table(
        "promo_code_discount_totals",
        sa.Column("promo_code_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("discount_minor", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["promo_code_id"], ["promo_codes.id"], name=op.f("fk_promo_code_discount_totals_promo_code_id_promo_codes")),
        sa.PrimaryKeyConstraint("promo_code_id", "currency", name=op.f("pk_promo_code_discount_totals")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index("ix_notifications_code_client_batch", ["promo_code_id", "client_id", "batch_id"], unique=False)

    op.execute(
        "INSERT INTO promo_code_statistics (promo_code_id, total_redeemed, unique_clients, last_redeemed_at) "
        "SELECT promo_code_id, SUM(times_redeemed), COUNT(*), MAX(last_redeemed_at) FROM promo_code_usages GROUP BY promo_code_id"
    )
    op.execute(
        "INSERT INTO promo_code_discount_totals (promo_code_id, currency, discount_minor) "
        "SELECT promo_code_id, currency, SUM(discount_minor) FROM redemptions GROUP BY promo_code_id, currency"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_FUNCTION)  # CREATE OR REPLACE: the trigger of 0002 keeps calling it
    else:
        op.execute("DROP TRIGGER challenge_purchases_redeem")
        op.execute(SQLITE_TRIGGER)


SQLITE_TRIGGER = f"""
CREATE TRIGGER challenge_purchases_redeem AFTER INSERT ON challenge_purchases
WHEN NEW.promo_code_id IS NOT NULL
BEGIN
  INSERT INTO promo_code_usages (promo_code_id, client_id, times_redeemed, first_redeemed_at, last_redeemed_at)
  VALUES (NEW.promo_code_id, NEW.client_id, 1, NEW.created_at, NEW.created_at)
  ON CONFLICT (promo_code_id, client_id) DO UPDATE
    SET times_redeemed = times_redeemed + 1, last_redeemed_at = excluded.last_redeemed_at;
  SELECT RAISE(ABORT, '{USAGE_LIMIT_ERROR}')
    FROM promo_code_usages AS u JOIN promo_codes AS c ON c.id = u.promo_code_id
    WHERE u.promo_code_id = NEW.promo_code_id AND u.client_id = NEW.client_id
      AND c.usage_limit_per_client IS NOT NULL AND u.times_redeemed > c.usage_limit_per_client;
  INSERT INTO redemptions (promo_code_id, client_id, challenge_id, purchase_id, discount_minor, currency, redeemed_at)
  VALUES (NEW.promo_code_id, NEW.client_id, NEW.challenge_id, NEW.id, NEW.promo_discount_minor, NEW.currency,
          NEW.created_at);
  INSERT INTO promo_code_statistics (promo_code_id, total_redeemed, unique_clients, last_redeemed_at)
  VALUES (NEW.promo_code_id, 1, 1, NEW.created_at)
  ON CONFLICT (promo_code_id) DO UPDATE
    SET total_redeemed = total_redeemed + 1,
        unique_clients = unique_clients + (
          SELECT times_redeemed = 1 FROM promo_code_usages
          WHERE promo_code_id = NEW.promo_code_id AND client_id = NEW.client_id),
        last_redeemed_at = MAX(last_redeemed_at, excluded.last_redeemed_at);
  INSERT INTO promo_code_discount_totals (promo_code_id, currency, discount_minor)
  VALUES (NEW.promo_code_id, NEW.currency, NEW.promo_discount_minor)
  ON CONFLICT (promo_code_id, currency) DO UPDATE SET discount_minor = discount_minor + excluded.discount_minor;
END
"""

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION challenge_purchases_redeem() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  use_limit integer := (SELECT usage_limit_per_client FROM promo_codes WHERE id = NEW.promo_code_id);
  uses integer;
BEGIN
  INSERT INTO promo_code_usages AS u (promo_code_id, client_id, times_redeemed, first_redeemed_at, last_redeemed_at)
  VALUES (NEW.promo_code_id, NEW.client_id, 1, NEW.created_at, NEW.created_at)
  ON CONFLICT (promo_code_id, client_id) DO UPDATE
    SET times_redeemed = u.times_redeemed + 1, last_redeemed_at = excluded.last_redeemed_at
    WHERE use_limit IS NULL OR u.times_redeemed < use_limit
  RETURNING u.times_redeemed INTO uses;
  IF NOT FOUND THEN
    RAISE EXCEPTION '{USAGE_LIMIT_ERROR}' USING ERRCODE = 'check_violation';
  END IF;
  INSERT INTO redemptions (promo_code_id, client_id, challenge_id, purchase_id, discount_minor, currency, redeemed_at)
  VALUES (NEW.promo_code_id, NEW.client_id, NEW.challenge_id, NEW.id, NEW.promo_discount_minor, NEW.currency,
          NEW.created_at);
  INSERT INTO promo_code_statistics AS s (promo_code_id, total_redeemed, unique_clients, last_redeemed_at)
  VALUES (NEW.promo_code_id, 1, 1, NEW.created_at)
  ON CONFLICT (promo_code_id) DO UPDATE
    SET total_redeemed = s.total_redeemed + 1,
        unique_clients = s.unique_clients + CASE WHEN uses = 1 THEN 1 ELSE 0 END,
        last_redeemed_at = GREATEST(s.last_redeemed_at, excluded.last_redeemed_at);
  INSERT INTO promo_code_discount_totals AS t (promo_code_id, currency, discount_minor)
  VALUES (NEW.promo_code_id, NEW.currency, NEW.promo_discount_minor)
  ON CONFLICT (promo_code_id, currency) DO UPDATE SET discount_minor = t.discount_minor + excluded.discount_minor;
  -- Subscribers of the code's figures, in every server process, hear of it at commit.
  PERFORM pg_notify('promo_code_statistics', NEW.promo_code_id::text);
  RETURN NULL;
END
$$
"""


def downgrade() -> None:
    from importlib import import_module

    checkout = import_module("migrations.versions.0002_checkout")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(checkout.POSTGRES_FUNCTION.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"))
    else:
        op.execute("DROP TRIGGER challenge_purchases_redeem")
        op.execute(checkout.SQLITE_TRIGGER)
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_code_client_batch")
    op.drop_table("promo_code_discount_totals")
    op.drop_table("promo_code_statistics")
