"""Which promo codes a listing selects, and in which order, as SQL."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import Select, and_, false, or_, select
from sqlalchemy.sql.elements import ColumnElement

from domain.paging import SortKey
from domain.promo_codes import PromoCodeStatus, ValidityStatus, normalize_code
from domain.text import contains_literal
from models import PromoCode


class PromoCodeSortField(Enum):
    CREATED_AT = "CREATED_AT"
    CODE = "CODE"
    NAME = "NAME"


class SortDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@dataclass(frozen=True, slots=True)
class PromoCodeFilter:
    statuses: Sequence[PromoCodeStatus] | None = None
    validity_statuses: Sequence[ValidityStatus] | None = None
    search: str | None = None


_SORT_COLUMNS = {
    PromoCodeSortField.CREATED_AT: PromoCode.created_at,
    PromoCodeSortField.CODE: PromoCode.code,
    PromoCodeSortField.NAME: PromoCode.name,
}


def sort_key(field: PromoCodeSortField, direction: SortDirection) -> tuple[SortKey, Callable[[PromoCode], Sequence[Any]]]:
    column = _SORT_COLUMNS[field]
    attribute = column.key

    def key_of(row: PromoCode) -> Sequence[Any]:
        return (getattr(row, attribute), row.id)

    return SortKey((column, PromoCode.id), descending=direction is SortDirection.DESC), key_of


def _validity(status: ValidityStatus, now: datetime) -> ColumnElement[bool]:
    enabled = PromoCode.status == PromoCodeStatus.ENABLED.value
    started = or_(PromoCode.valid_from.is_(None), PromoCode.valid_from <= now)
    not_over = or_(PromoCode.valid_until.is_(None), PromoCode.valid_until > now)
    if status is ValidityStatus.INACTIVE:
        return PromoCode.status != PromoCodeStatus.ENABLED.value
    if status is ValidityStatus.EXPIRED:
        return and_(enabled, PromoCode.valid_until <= now)
    if status is ValidityStatus.SCHEDULED:
        return and_(enabled, not_over, PromoCode.valid_from > now)
    return and_(enabled, started, not_over)


def live_codes() -> Select[tuple[PromoCode]]:
    return select(PromoCode).where(PromoCode.deleted_at.is_(None))


def listing(filter: PromoCodeFilter | None, now: datetime) -> Select[tuple[PromoCode]]:
    statement = live_codes()
    if filter is None:
        return statement
    if filter.statuses is not None:
        statement = statement.where(PromoCode.status.in_([s.value for s in filter.statuses]))
    if filter.validity_statuses is not None:
        conditions = [_validity(v, now) for v in filter.validity_statuses]
        statement = statement.where(or_(*conditions) if conditions else false())
    if filter.search and filter.search.strip():
        statement = statement.where(
            or_(contains_literal(PromoCode.code, filter.search), contains_literal(PromoCode.name, filter.search))
        )
    return statement


def by_code(code: str) -> Select[tuple[PromoCode]]:
    return live_codes().where(PromoCode.code == normalize_code(code))
