"""notifications: batches, one row per client per batch, and the e-mail outbox

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 19:12:53.935209
"""
from alembic import op
import sqlalchemy as sa
import models


revision = '0003'
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('email_contents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_contents'))
    )
    op.create_table('notification_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('promo_code_id', sa.Integer(), nullable=False),
    sa.Column('via_email', sa.Boolean(), nullable=False),
    sa.Column('via_popup', sa.Boolean(), nullable=False),
    sa.Column('recipient_count', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['promo_code_id'], ['promo_codes.id'], name=op.f('fk_notification_batches_promo_code_id_promo_codes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_batches'))
    )
    with op.batch_alter_table('notification_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_batches_promo_code_id'), ['promo_code_id'], unique=False)

    op.create_table('email_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('recipient_name', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('sent_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['notification_batches.id'], name=op.f('fk_email_outbox_batch_id_notification_batches')),
    sa.ForeignKeyConstraint(['content_id'], ['email_contents.id'], name=op.f('fk_email_outbox_content_id_email_contents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_outbox'))
    )
    with op.batch_alter_table('email_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_email_outbox_batch_id_status', ['batch_id', 'status'], unique=False)
        batch_op.create_index('ix_email_outbox_due', ['next_attempt_at'], unique=False, sqlite_where=sa.text("status = 'PENDING'"), postgresql_where=sa.text("status = 'PENDING'"))

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('promo_code_id', sa.Integer(), nullable=True),
    sa.Column('via_email', sa.Boolean(), nullable=False),
    sa.Column('via_popup', sa.Boolean(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['notification_batches.id'], name=op.f('fk_notifications_batch_id_notification_batches')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_notifications_client_id_clients')),
    sa.ForeignKeyConstraint(['promo_code_id'], ['promo_codes.id'], name=op.f('fk_notifications_promo_code_id_promo_codes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_client_id_id', ['client_id', 'id'], unique=False)
        batch_op.create_index('uq_notifications_batch_client', ['batch_id', 'client_id'], unique=True)



def downgrade() -> None:
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('uq_notifications_batch_client')
        batch_op.drop_index('ix_notifications_client_id_id')

    op.drop_table('notifications')
    with op.batch_alter_table('email_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_email_outbox_due', sqlite_where=sa.text("status = 'PENDING'"), postgresql_where=sa.text("status = 'PENDING'"))
        batch_op.drop_index('ix_email_outbox_batch_id_status')

    op.drop_table('email_outbox')
    with op.batch_alter_table('notification_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_batches_promo_code_id'))

    op.drop_table('notification_batches')
    op.drop_table('email_contents')
