"""Queries and row <-> domain mapping; the services layer calls these with a store session."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import String, bindparam, delete, func, select, type_coerce, update
from sqlalchemy.orm import Session

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.badge import ConsentBadge, badge_valid_until, consent_badge
from liaison_desktop.domain.text import search_key
from liaison_desktop.store import models as m

T = TypeVar("T")

# Domain type -> row type. Tuple fields are stored as space-separated text.
ROW_OF: dict[type, type[m.Base]] = {
    dm.Practice: m.PracticeRow,
    dm.Room: m.RoomRow,
    dm.Professional: m.ProfessionalRow,
    dm.Client: m.ClientRow,
    dm.Guardian: m.GuardianRow,
    dm.Trajectory: m.TrajectoryRow,
    dm.Consent: m.ConsentRow,
    dm.Contact: m.ContactRow,
    dm.PartDay: m.PartDayRow,
    dm.Appointment: m.AppointmentRow,
    dm.ScheduleException: m.ScheduleExceptionRow,
}
_TUPLE_FIELDS = {"guardian_ids": str, "participants": dm.Participant}


def _fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


_FIELDS = {cls: _fields(cls) for cls in ROW_OF}


def _column_values(obj: Any) -> dict[str, Any]:
    values = {}
    for name in _FIELDS[type(obj)]:
        v = getattr(obj, name)
        if name in _TUPLE_FIELDS:
            v = " ".join(str(x) for x in v)
        values[name] = v
    if isinstance(obj, dm.Client):
        values["search_key"] = search_key(obj.first_name, obj.last_name, obj.bsn)
    return values


def to_domain(cls: type[T], row: Any) -> T:
    values = {}
    for name in _FIELDS[cls]:
        v = getattr(row, name)
        if name in _TUPLE_FIELDS:
            v = tuple(_TUPLE_FIELDS[name](x) for x in v.split()) if v else ()
        values[name] = v
    return cls(**values)


def insert(s: Session, obj: Any) -> None:
    """Insert a domain object as a new row."""
    s.add(ROW_OF[type(obj)](**_column_values(obj)))
    s.flush()


def save(s: Session, obj: Any) -> bool:
    """Update an existing row from a domain object; returns whether anything changed."""
    row = s.get(ROW_OF[type(obj)], obj.id)
    if row is None:
        raise LookupError(f"{type(obj).__name__} {obj.id} bestaat niet")
    changed = False
    for name, v in _column_values(obj).items():
        if getattr(row, name) != v:
            setattr(row, name, v)
            changed = True
    s.flush()
    return changed


def get(s: Session, cls: type[T], id: str) -> T | None:
    row = s.get(ROW_OF[cls], id)
    return None if row is None else to_domain(cls, row)


def all_of(s: Session, cls: type[T], **where: Any) -> list[T]:
    row_cls = ROW_OF[cls]
    q = select(row_cls)
    for name, v in where.items():
        q = q.where(getattr(row_cls, name) == v)
    return [to_domain(cls, r) for r in s.scalars(q)]


def touch_client_file(s: Session, client_id: str, at: datetime | None = None) -> None:
    """Note a change anywhere in the client's file (the retention clock restarts); the stored
    consent badge is cleared, so the next caseload read computes it again."""
    s.execute(
        update(m.ClientRow)
        .where(m.ClientRow.id == client_id)
        .values(file_changed_at=at or datetime.now(UTC), consent_badge=None, badge_until=None)
    )


# -- the stored consent badge ---------------------------------------------------------------


def _stale_badge_filter(today: date) -> Any:
    C = m.ClientRow
    return (C.badge_until.is_(None)) | (C.badge_until <= today)


def has_stale_badges(s: Session, today: date) -> bool:
    """Whether any client's stored badge is missing or expired on ``today`` (an index probe)."""
    q = select(m.ClientRow.id).where(_stale_badge_filter(today)).limit(1)
    return s.connection().execute(q).first() is not None


def refresh_stale_badges(s: Session, today: date) -> int:
    """Recompute the badges that are missing or expired on ``today``; how many were."""
    ids = [
        r[0]
        for r in s.connection().execute(select(m.ClientRow.id).where(_stale_badge_filter(today)))
    ]
    refresh_client_badges(s, ids, today)
    return len(ids)


def refresh_client_badges(s: Session, client_ids: Iterable[str], today: date | None = None) -> None:
    """Compute and store the consent badge (and the day it may change) of these clients.

    Call it in the transaction that changed consents, guardians or a birth date (sync applying
    pulled changes does), or let the next caseload read do it: ``touch_client_file`` clears the
    badge. Writes with Core, so neither ``updated_at`` nor the sync outbox sees a change: the
    badge is derived, local data.
    """
    today = today or date.today()
    ids = list(client_ids)
    C, K, G = m.ClientRow, m.ConsentRow, m.GuardianRow
    conn = s.connection()
    scope, new = _SCOPE, tuple.__new__
    params: list[dict[str, Any]] = []
    for i in range(0, len(ids), _MAX_BOUND_IDS):
        chunk = ids[i : i + _MAX_BOUND_IDS]
        dobs = dict(conn.execute(select(C.id, C.date_of_birth).where(C.id.in_(chunk))).all())
        consents: dict[str, list[ConsentFacts]] = {}
        for cid, kid, sc, given, by_child, gids, withdrawn in conn.execute(
            select(
                K.client_id,
                K.id,
                type_coerce(K.scope, String),
                K.given_on,
                K.given_by_child,
                K.guardian_ids,
                K.withdrawn_on,
            ).where(K.client_id.in_(chunk))
        ).all():
            consents.setdefault(cid, []).append(
                new(
                    ConsentFacts,
                    (
                        cid,
                        kid,
                        scope[sc],
                        given,
                        by_child,
                        tuple(gids.split()) if gids else (),
                        withdrawn,
                    ),
                )
            )
        guardians: dict[str, list[GuardianFacts]] = {}
        if consents:
            for gid, cid, authority in conn.execute(
                select(G.id, G.client_id, G.has_authority).where(G.client_id.in_(list(consents)))
            ).all():
                guardians.setdefault(cid, []).append(new(GuardianFacts, (gid, cid, authority)))
        for cid, dob in dobs.items():
            cs = consents.get(cid, ())
            badge = (
                consent_badge(cs, dob, guardians.get(cid, ()), today)
                if cs
                else ConsentBadge.MISSING
            )
            params.append(
                {"cid": cid, "badge": badge.value, "until": badge_valid_until(cs, dob, today)}
            )
    if params:
        conn.execute(
            update(C)
            .where(C.id == bindparam("cid"))
            .values(
                consent_badge=bindparam("badge"),
                badge_until=bindparam("until"),
                updated_at=C.updated_at,  # derived data: not a change of the record
            ),
            params,
        )


def refresh_conversation_count(s: Session, trajectory_id: str) -> int:
    """Recount the conversations of a trajectory and store the figure on it."""
    C = m.ContactRow
    count, first = s.execute(
        select(
            func.count().filter(C.counts_as_conversation.is_(True)),
            func.min(C.start),
        ).where(C.trajectory_id == trajectory_id)
    ).one()
    first_on = first.date() if first is not None else None
    s.execute(
        update(m.TrajectoryRow)
        .where(m.TrajectoryRow.id == trajectory_id)
        .values(conversation_count=count, first_contact_on=first_on)
    )
    return int(count)


def refresh_conversation_counts(s: Session, trajectory_ids: Iterable[str]) -> None:
    """Recount many trajectories at once (bulk imports): one UPDATE per chunk of ids."""
    C, T = m.ContactRow, m.TrajectoryRow
    ids = list(trajectory_ids)
    count_q = (
        select(func.count())
        .where(C.trajectory_id == T.id, C.counts_as_conversation.is_(True))
        .scalar_subquery()
    )
    # Dates are stored as ISO text, so SQLite's date() of the earliest start is the same text.
    first_q = select(func.date(func.min(C.start))).where(C.trajectory_id == T.id).scalar_subquery()
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        s.execute(
            update(T)
            .where(T.id.in_(chunk))
            .values(conversation_count=count_q, first_contact_on=first_q)
            .execution_options(synchronize_session=False)
        )


# -- caseload -------------------------------------------------------------------------------
#
# The caseload reads every open trajectory at once (thousands of rows), so these queries select
# only the columns they need, run on the Core connection (no ORM objects) and build light
# named tuples; enum text is mapped by dictionary lookups.


class CaseloadRecord(NamedTuple):
    """One open trajectory as the caseload query returns it, with the client's stored badge."""

    trajectory_id: str
    client_id: str
    first_name: str
    last_name: str
    date_of_birth: date
    bsn: str | None
    practice_id: str
    practice_name: str
    request_category: dm.RequestCategory
    status: dm.TrajectoryStatus
    conversation_count: int
    referred_on: date
    first_contact_on: date | None
    next_appointment: datetime | None
    badge: ConsentBadge


class ConsentFacts(NamedTuple):
    """The fields of a consent that the badge reads (see domain.badge)."""

    client_id: str
    id: str
    scope: dm.ConsentScope
    given_on: date
    given_by_child: bool
    guardian_ids: tuple[str, ...]
    withdrawn_on: date | None


class GuardianFacts(NamedTuple):
    """The fields of a guardian that the badge reads."""

    id: str
    client_id: str
    has_authority: bool


_CATEGORY = {e.value: e for e in dm.RequestCategory}
_STATUS = {e.value: e for e in dm.TrajectoryStatus}
_SCOPE = {e.value: e for e in dm.ConsentScope}
_BADGE = {e.value: e for e in ConsentBadge}
# Chunk size for queries that bind client ids.
_MAX_BOUND_IDS = 500


def _caseload_filter(
    text: str,
    practice_id: str | None,
    statuses: Sequence[dm.TrajectoryStatus] | None,
    badges: Sequence[ConsentBadge] | None = None,
) -> list[Any]:
    """WHERE clauses of the caseload (trajectory joined with its client)."""
    T, C = m.TrajectoryRow, m.ClientRow
    where: list[Any] = []
    if statuses:
        where.append(T.status.in_(list(statuses)))
    else:
        where.append(T.status != dm.TrajectoryStatus.CLOSED)
    if practice_id:
        where.append(T.practice_id == practice_id)
    if badges:
        where.append(C.consent_badge.in_([b.value for b in badges]))
    words = search_key(text).split()
    if words:
        # Match the (small) set of clients first: SQLite then scans the client table once
        # instead of looking up every open trajectory's client.
        matching = select(C.id).correlate(None)  # never the outer query's client row
        for word in words:
            matching = matching.where(C.search_key.contains(word, autoescape=True))
        where.append(T.client_id.in_(matching))
    return where


def caseload(
    s: Session,
    *,
    text: str = "",
    practice_id: str | None = None,
    statuses: Sequence[dm.TrajectoryStatus] | None = None,
    badges: Sequence[ConsentBadge] | None = None,
    now: datetime | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[CaseloadRecord]:
    """Open trajectories (longest waiting first) with client, practice and badge, filtered in
    SQL; ``limit``/``offset`` give one page. Stored badges must be fresh (see
    ``refresh_stale_badges``)."""
    where = _caseload_filter(text, practice_id, statuses, badges)
    return _caseload_records(s, where, now, limit, offset)


def caseload_count(
    s: Session,
    *,
    text: str = "",
    practice_id: str | None = None,
    statuses: Sequence[dm.TrajectoryStatus] | None = None,
    badges: Sequence[ConsentBadge] | None = None,
) -> int:
    """How many trajectories ``caseload`` returns without a limit."""
    T, C = m.TrajectoryRow, m.ClientRow
    where = _caseload_filter(text, practice_id, statuses, badges)
    q = select(func.count()).select_from(T)
    if badges:
        q = q.join(C, C.id == T.client_id)
    return int(s.connection().execute(q.where(*where)).scalar_one())


def _caseload_records(
    s: Session,
    where: list[Any],
    now: datetime | None,
    limit: int | None = None,
    offset: int = 0,
) -> list[CaseloadRecord]:
    T, C, P, A = m.TrajectoryRow, m.ClientRow, m.PracticeRow, m.AppointmentRow
    now = now or datetime.now()
    next_appt = (
        select(func.min(A.start))
        .where(A.client_id == C.id, A.start >= now)
        .correlate(C)
        .scalar_subquery()
    )
    q = (
        select(
            T.id,
            C.id,
            C.first_name,
            C.last_name,
            C.date_of_birth,
            C.bsn,
            T.practice_id,
            P.name,
            type_coerce(T.request_category, String),  # mapped below, cheaper than Enum
            type_coerce(T.status, String),
            T.conversation_count,
            T.referred_on,
            T.first_contact_on,
            next_appt,
            C.consent_badge,
        )
        .join(C, C.id == T.client_id)
        .join(P, P.id == T.practice_id)
        .where(*where)
        .order_by(T.referred_on, T.id)
    )
    if limit:
        q = q.limit(limit).offset(offset)
    category, status, badge, new = _CATEGORY, _STATUS, _BADGE, tuple.__new__
    missing = ConsentBadge.MISSING
    return [
        new(
            CaseloadRecord,
            (
                t,
                c,
                fn,
                ln,
                dob,
                bsn,
                pid,
                pn,
                category[cat],
                status[st],
                n,
                ref,
                first,
                appt,
                badge.get(b, missing),  # type: ignore[arg-type]
            ),
        )
        for t, c, fn, ln, dob, bsn, pid, pn, cat, st, n, ref, first, appt, b in s.connection()
        .execute(q)
        .all()  # one fetchall: iterating the result fetches row by row
    ]


def consents_for_clients(
    s: Session, client_ids: Iterable[str] | None
) -> dict[str, list[dm.Consent]]:
    """Consents grouped by client (all clients when ``client_ids`` is None)."""
    q = select(m.ConsentRow)
    if client_ids is not None:
        ids = list(client_ids)
        if not ids:
            return {}
        if len(ids) < 900:
            q = q.where(m.ConsentRow.client_id.in_(ids))
    out: dict[str, list[dm.Consent]] = {}
    for row in s.scalars(q):
        out.setdefault(row.client_id, []).append(to_domain(dm.Consent, row))
    return out


def guardians_for_clients(
    s: Session, client_ids: Iterable[str] | None
) -> dict[str, list[dm.Guardian]]:
    q = select(m.GuardianRow)
    if client_ids is not None:
        ids = list(client_ids)
        if not ids:
            return {}
        if len(ids) < 900:
            q = q.where(m.GuardianRow.client_id.in_(ids))
    out: dict[str, list[dm.Guardian]] = {}
    for row in s.scalars(q):
        out.setdefault(row.client_id, []).append(to_domain(dm.Guardian, row))
    return out


def search_clients(s: Session, text: str, limit: int = 50) -> list[dm.Client]:
    """Clients whose name or BSN contains every word typed."""
    C = m.ClientRow
    q = select(C)
    for word in search_key(text).split():
        q = q.where(C.search_key.contains(word, autoescape=True))
    q = q.order_by(C.last_name, C.first_name).limit(limit)
    return [to_domain(dm.Client, r) for r in s.scalars(q)]


def contacts_of(s: Session, client_id: str) -> list[dm.Contact]:
    q = select(m.ContactRow).where(m.ContactRow.client_id == client_id).order_by(m.ContactRow.start)
    return [to_domain(dm.Contact, r) for r in s.scalars(q)]


def appointments_of(s: Session, client_id: str) -> list[dm.Appointment]:
    A = m.AppointmentRow
    q = select(A).where(A.client_id == client_id).order_by(A.start)
    return [to_domain(dm.Appointment, r) for r in s.scalars(q)]


def clients_changed_before(s: Session, cutoff: datetime) -> list[tuple[str, datetime]]:
    """Client ids whose file last changed before ``cutoff`` (candidates for destruction)."""
    C = m.ClientRow
    q = select(C.id, C.file_changed_at).where(C.file_changed_at < cutoff)
    return [(i, t) for i, t in s.execute(q)]


def destroy_client(s: Session, client_id: str) -> None:
    """Remove every record of a client's file (the access log keeps its id-only entries)."""
    for row_cls in (m.ContactRow, m.AppointmentRow, m.ConsentRow, m.TrajectoryRow, m.GuardianRow):
        s.execute(delete(row_cls).where(row_cls.client_id == client_id))
    s.execute(delete(m.ClientRow).where(m.ClientRow.id == client_id))


def count(s: Session, cls: type) -> int:
    return int(s.scalar(select(func.count()).select_from(ROW_OF[cls])) or 0)


def bulk_insert(s: Session, objs: Sequence[Any]) -> None:
    """Insert many domain objects of one type in one statement (demo data, benchmarks)."""
    if not objs:
        return
    now = datetime.now(UTC)
    rows = []
    for o in objs:
        v = _column_values(o)
        v["created_at"] = now
        v["updated_at"] = now
        if isinstance(o, dm.Client):
            v["file_changed_at"] = now
        rows.append(v)
    s.execute(ROW_OF[type(objs[0])].__table__.insert(), rows)
