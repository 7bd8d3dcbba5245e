"""Schedule queries: part-day patterns, exceptions and appointments of a period, settings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from liaison_desktop.domain import model as dm
from liaison_desktop.store import models as m
from liaison_desktop.store.repo import ROW_OF, to_domain

SETTINGS_KEY = "schedule_settings"


def patterns(s: Session, first: date, last: date) -> list[dm.PartDay]:
    """Weekly part-days valid on at least one day from ``first`` to ``last``."""
    P = m.PartDayRow
    q = (
        select(P)
        .where(P.valid_from <= last, or_(P.valid_to.is_(None), P.valid_to >= first))
        .order_by(P.weekday, P.start_time, P.id)
    )
    return [to_domain(dm.PartDay, r) for r in s.scalars(q)]


def exceptions(s: Session, first: date, last: date) -> list[dm.ScheduleException]:
    """Exceptions that touch the period: leave overlapping it, changes on or to a day in it."""
    E = m.ScheduleExceptionRow
    q = (
        select(E)
        .where(
            or_(
                and_(E.day <= last, func.coalesce(E.end_day, E.day) >= first),
                E.new_day.between(first, last),
            )
        )
        .order_by(E.day, E.id)
    )
    return [to_domain(dm.ScheduleException, r) for r in s.scalars(q)]


def all_exceptions(s: Session) -> list[dm.ScheduleException]:
    E = m.ScheduleExceptionRow
    return [to_domain(dm.ScheduleException, r) for r in s.scalars(select(E).order_by(E.day))]


def appointments_between(s: Session, start: datetime, end: datetime) -> list[dm.Appointment]:
    """Appointments starting at or after ``start`` and before ``end``, in time order."""
    A = m.AppointmentRow
    # Plain rows rather than ORM objects: a year of appointments maps 3x faster.
    q = select(A.__table__).where(A.start >= start, A.start < end).order_by(A.start, A.id)
    return [to_domain(dm.Appointment, r) for r in s.execute(q)]


def client_names(s: Session, client_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """First and last name per client id (for labels in the app and initials in exports)."""
    ids = list(set(client_ids))
    if not ids:
        return {}
    C = m.ClientRow
    out: dict[str, tuple[str, str]] = {}
    for chunk in range(0, len(ids), 500):
        q = select(C.id, C.first_name, C.last_name).where(C.id.in_(ids[chunk : chunk + 500]))
        out.update({i: (f, ln) for i, f, ln in s.execute(q)})
    return out


def client_practice(s: Session, client_id: str) -> str | None:
    return s.scalar(select(m.ClientRow.practice_id).where(m.ClientRow.id == client_id))


def delete_record(s: Session, cls: type, record_id: str) -> bool:
    """Delete one schedule record by id; returns whether it existed."""
    row_cls = ROW_OF[cls]
    result = s.execute(delete(row_cls).where(row_cls.id == record_id))  # type: ignore[attr-defined]
    return bool(result.rowcount)  # type: ignore[attr-defined]


def get_meta(s: Session, key: str) -> str | None:
    return s.scalar(select(m.StoreMeta.value).where(m.StoreMeta.key == key))


def set_meta(s: Session, key: str, value: str) -> None:
    """Set a store fact inside the caller's write transaction."""
    s.merge(m.StoreMeta(key=key, value=value))
    s.flush()
