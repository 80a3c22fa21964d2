"""foundation: reference data, marketplace, promo codes

Revision ID: 0001
Revises: 
Create Date: 2026-12-03 19:00:34.210443
"""
from alembic import op
import sqlalchemy as sa
import models


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('client_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client_groups')),
    sa.UniqueConstraint('name', name=op.f('uq_client_groups_name'))
    )
    op.create_table('clients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clients')),
    sa.UniqueConstraint('external_id', name=op.f('uq_clients_external_id'))
    )
    op.create_table('marketplace_modules',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('installed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('installed_by', sa.String(length=200), nullable=True),
    sa.Column('installation_requested_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_marketplace_modules'))
    )
    op.create_table('promo_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('use_case', sa.String(length=32), nullable=False),
    sa.Column('discount_method', sa.String(length=16), nullable=False),
    sa.Column('discount_value_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('usage_limit_per_client', sa.Integer(), nullable=True),
    sa.Column('combinable_with_coupons', sa.Boolean(), nullable=False),
    sa.Column('valid_from', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('valid_until', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('enabled_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('disabled_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promo_codes'))
    )
    with op.batch_alter_table('promo_codes', schema=None) as batch_op:
        batch_op.create_index('ix_promo_codes_created_at_id', ['created_at', 'id'], unique=False)
        batch_op.create_index('uq_promo_codes_live_code', ['code'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('prop_challenges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('price_minor', sa.BigInteger(), nullable=False),
    sa.Column('account_size_minor', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prop_challenges'))
    )
    op.create_table('client_group_members',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_client_group_members_client_id_clients')),
    sa.ForeignKeyConstraint(['group_id'], ['client_groups.id'], name=op.f('fk_client_group_members_group_id_client_groups')),
    sa.PrimaryKeyConstraint('group_id', 'client_id', name=op.f('pk_client_group_members'))
    )
    with op.batch_alter_table('client_group_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_group_members_client_id'), ['client_id'], unique=False)

    op.create_table('module_installation_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_key', sa.String(length=64), nullable=False),
    sa.Column('contact_name', sa.String(length=100), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('requested_by', sa.String(length=200), nullable=False),
    sa.Column('requested_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['module_key'], ['marketplace_modules.key'], name=op.f('fk_module_installation_requests_module_key_marketplace_modules')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module_installation_requests'))
    )
    op.create_table('promo_code_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('promo_code_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('occurred_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['promo_code_id'], ['promo_codes.id'], name=op.f('fk_promo_code_events_promo_code_id_promo_codes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promo_code_events'))
    )
    with op.batch_alter_table('promo_code_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promo_code_events_promo_code_id'), ['promo_code_id'], unique=False)

    modules = sa.table(
        "marketplace_modules",
        sa.column("key", sa.String),
        sa.column("name", sa.String),
        sa.column("description", sa.Text),
    )
    op.bulk_insert(modules, [{
        "key": "coupons-and-promo-codes",
        "name": "Coupons and Promo Codes",
        "description": (
            "Discount vouchers applied automatically at checkout, and promo codes "
            "that clients type at the prop-challenge checkout, with notifications "
            "and live statistics."
        ),
    }])


def downgrade() -> None:
    with op.batch_alter_table('promo_code_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_promo_code_events_promo_code_id'))

    op.drop_table('promo_code_events')
    op.drop_table('module_installation_requests')
    with op.batch_alter_table('client_group_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_group_members_client_id'))

    op.drop_table('client_group_members')
    op.drop_table('prop_challenges')
    with op.batch_alter_table('promo_codes', schema=None) as batch_op:
        batch_op.drop_index('uq_promo_codes_live_code', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index('ix_promo_codes_created_at_id')

    op.drop_table('promo_codes')
    op.drop_table('marketplace_modules')
    op.drop_table('clients')
    op.drop_table('client_groups')
