"""The overview fields of the local trajectories (for the monitoring export): no names."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import String, or_, select, type_coerce
from sqlalchemy.orm import Session

from liaison_desktop.store import models as m


class MonitoringRecord(NamedTuple):
    trajectory_id: str
    practice_id: str
    practice_name: str
    practice_municipality: str
    referred_on: date
    request_category: str
    status: str
    outcome: str | None
    closed_on: date | None
    first_contact_on: date | None
    conversation_count: int
    date_of_birth: date | None
    """Read only to compute the age band; never written out."""


def monitoring_records(s: Session, first: date, last: date) -> list[MonitoringRecord]:
    """Trajectories open at some time from ``first`` to ``last`` (referred on or before
    ``last``, not closed before ``first``), oldest referral first."""
    T, C, P = m.TrajectoryRow, m.ClientRow, m.PracticeRow
    q = (
        select(
            T.id,
            T.practice_id,
            P.name,
            P.municipality,
            T.referred_on,
            type_coerce(T.request_category, String),
            type_coerce(T.status, String),
            type_coerce(T.outcome, String),
            T.closed_on,
            T.first_contact_on,
            T.conversation_count,
            C.date_of_birth,
        )
        .join(C, C.id == T.client_id)
        .join(P, P.id == T.practice_id)
        .where(T.referred_on <= last, or_(T.closed_on.is_(None), T.closed_on >= first))
        .order_by(T.referred_on, T.id)
    )
    return [MonitoringRecord(*row) for row in s.execute(q).all()]
