"""checkout: coupons, purchases, redemptions, usage counts, code attempts

A purchase that used a promo code is counted and redeemed by a trigger on
challenge_purchases, in the INSERT itself: the client's row in
promo_code_usages goes up by one unless that reaches past the code's
usage_limit_per_client, in which case the INSERT fails with
"promo_code_usage_limit" and the transaction rolls back; otherwise the
Redemption row is written. This is the atomic guard of the per-client limit on
SQLite and PostgreSQL alike (the application checks the count first, to
answer USAGE_LIMIT_REACHED without trying), and it saves two round trips on
the purchase's hot path.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa
import models


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('code_attempt_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('attempted_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_code_attempt_failures_client_id_clients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_code_attempt_failures'))
    )
    with op.batch_alter_table('code_attempt_failures', schema=None) as batch_op:
        batch_op.create_index('ix_code_attempt_failures_client_at', ['client_id', 'attempted_at'], unique=False)

    op.create_table('coupons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('discount_method', sa.String(length=16), nullable=False),
    sa.Column('discount_value_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('valid_until', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('issued_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('issued_by', sa.String(length=200), nullable=False),
    sa.Column('used_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_coupons_client_id_clients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coupons'))
    )
    with op.batch_alter_table('coupons', schema=None) as batch_op:
        batch_op.create_index('ix_coupons_client_id_used_at', ['client_id', 'used_at'], unique=False)

    op.create_table('promo_code_usages',
    sa.Column('promo_code_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('times_redeemed', sa.Integer(), nullable=False),
    sa.Column('first_redeemed_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_redeemed_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_promo_code_usages_client_id_clients')),
    sa.ForeignKeyConstraint(['promo_code_id'], ['promo_codes.id'], name=op.f('fk_promo_code_usages_promo_code_id_promo_codes')),
    sa.PrimaryKeyConstraint('promo_code_id', 'client_id', name=op.f('pk_promo_code_usages'))
    )
    with op.batch_alter_table('promo_code_usages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promo_code_usages_client_id'), ['client_id'], unique=False)

    op.create_table('challenge_purchases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('list_price_minor', sa.BigInteger(), nullable=False),
    sa.Column('coupon_discount_minor', sa.BigInteger(), nullable=False),
    sa.Column('promo_discount_minor', sa.BigInteger(), nullable=False),
    sa.Column('total_minor', sa.BigInteger(), nullable=False),
    sa.Column('coupon_id', sa.Integer(), nullable=True),
    sa.Column('promo_code_id', sa.Integer(), nullable=True),
    sa.Column('promo_code', sa.String(length=32), nullable=True),
    sa.Column('promo_name', sa.String(length=100), nullable=True),
    sa.Column('promo_discount_method', sa.String(length=16), nullable=True),
    sa.Column('promo_discount_value_minor', sa.BigInteger(), nullable=True),
    sa.Column('promo_currency', sa.String(length=3), nullable=True),
    sa.Column('promo_valid_until', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('promo_combinable', sa.Boolean(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['challenge_id'], ['prop_challenges.id'], name=op.f('fk_challenge_purchases_challenge_id_prop_challenges')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_challenge_purchases_client_id_clients')),
    sa.ForeignKeyConstraint(['coupon_id'], ['coupons.id'], name=op.f('fk_challenge_purchases_coupon_id_coupons')),
    sa.ForeignKeyConstraint(['promo_code_id'], ['promo_codes.id'], name=op.f('fk_challenge_purchases_promo_code_id_promo_codes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_challenge_purchases')),
    sa.UniqueConstraint('client_id', 'idempotency_key', name='uq_challenge_purchases_client_key')
    )
    with op.batch_alter_table('challenge_purchases', schema=None) as batch_op:
        batch_op.create_index('ix_challenge_purchases_client_created', ['client_id', 'created_at', 'id'], unique=False)

    op.create_table('redemptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('promo_code_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('purchase_id', sa.Integer(), nullable=False),
    sa.Column('discount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('redeemed_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['challenge_id'], ['prop_challenges.id'], name=op.f('fk_redemptions_challenge_id_prop_challenges')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_redemptions_client_id_clients')),
    sa.ForeignKeyConstraint(['promo_code_id'], ['promo_codes.id'], name=op.f('fk_redemptions_promo_code_id_promo_codes')),
    sa.ForeignKeyConstraint(['purchase_id'], ['challenge_purchases.id'], name=op.f('fk_redemptions_purchase_id_challenge_purchases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redemptions')),
    sa.UniqueConstraint('purchase_id', name=op.f('uq_redemptions_purchase_id'))
    )
    with op.batch_alter_table('redemptions', schema=None) as batch_op:
        batch_op.create_index('ix_redemptions_code_client', ['promo_code_id', 'client_id'], unique=False)
        batch_op.create_index('ix_redemptions_code_redeemed', ['promo_code_id', 'redeemed_at', 'id'], unique=False)



    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_FUNCTION)
        op.execute(POSTGRES_TRIGGER)
    else:
        op.execute(SQLITE_TRIGGER)


USAGE_LIMIT_ERROR = "promo_code_usage_limit"

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
END
"""

POSTGRES_FUNCTION = f"""
CREATE FUNCTION challenge_purchases_redeem() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  use_limit integer := (SELECT usage_limit_per_client FROM promo_codes WHERE id = NEW.promo_code_id);
BEGIN
  INSERT INTO promo_code_usages AS u (promo_code_id, client_id, times_redeemed, first_redeemed_at, last_redeemed_at)
  VALUES (NEW.promo_code_id, NEW.client_id, 1, NEW.created_at, NEW.created_at)
  ON CONFLICT (promo_code_id, client_id) DO UPDATE
    SET times_redeemed = u.times_redeemed + 1, last_redeemed_at = excluded.last_redeemed_at
    WHERE use_limit IS NULL OR u.times_redeemed < use_limit;
  IF NOT FOUND THEN
    RAISE EXCEPTION '{USAGE_LIMIT_ERROR}' USING ERRCODE = 'check_violation';
  END IF;
  INSERT INTO redemptions (promo_code_id, client_id, challenge_id, purchase_id, discount_minor, currency, redeemed_at)
  VALUES (NEW.promo_code_id, NEW.client_id, NEW.challenge_id, NEW.id, NEW.promo_discount_minor, NEW.currency,
          NEW.created_at);
  RETURN NULL;
END
$$
"""

POSTGRES_TRIGGER = """
CREATE TRIGGER challenge_purchases_redeem AFTER INSERT ON challenge_purchases
FOR EACH ROW WHEN (NEW.promo_code_id IS NOT NULL) EXECUTE FUNCTION challenge_purchases_redeem()
"""


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER challenge_purchases_redeem ON challenge_purchases")
        op.execute("DROP FUNCTION challenge_purchases_redeem()")
    else:
        op.execute("DROP TRIGGER challenge_purchases_redeem")
    with op.batch_alter_table('redemptions', schema=None) as batch_op:
        batch_op.drop_index('ix_redemptions_code_redeemed')
        batch_op.drop_index('ix_redemptions_code_client')

    op.drop_table('redemptions')
    with op.batch_alter_table('challenge_purchases', schema=None) as batch_op:
        batch_op.drop_index('ix_challenge_purchases_client_created')

    op.drop_table('challenge_purchases')
    with op.batch_alter_table('promo_code_usages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_promo_code_usages_client_id'))

    op.drop_table('promo_code_usages')
    with op.batch_alter_table('coupons', schema=None) as batch_op:
        batch_op.drop_index('ix_coupons_client_id_used_at')

    op.drop_table('coupons')
    with op.batch_alter_table('code_attempt_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_code_attempt_failures_client_at')

    op.drop_table('code_attempt_failures')
