"""Queries and row <-> domain mapping; the services layer calls these with a store session."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import String, bindparam, delete, func, select, type_coerce, update
from sqlalchemy.orm import Session

from liaison_desktop.domain import model as dm
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
    """Note a change anywhere in the client's file (the retention clock restarts)."""
    s.execute(
        update(m.ClientRow)
        .where(m.ClientRow.id == client_id)
        .values(file_changed_at=at or datetime.now(UTC))
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
    """One open trajectory as the caseload query returns it (before consent rules run)."""

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


class ConsentFacts(NamedTuple):
    """The fields of a consent that the caseload badge reads (see domain.badge)."""

    client_id: str
    id: str
    scope: dm.ConsentScope
    given_on: date
    given_by_child: bool
    guardian_ids: tuple[str, ...]
    withdrawn_on: date | None


class GuardianFacts(NamedTuple):
    """The fields of a guardian that the caseload badge reads."""

    id: str
    client_id: str
    has_authority: bool


@dataclass(frozen=True, slots=True)
class CaseloadData:
    """Open trajectories plus the consents and guardians their badges need, by client id."""

    records: list[CaseloadRecord]
    consents: dict[str, list[ConsentFacts]]
    guardians: dict[str, list[GuardianFacts]]


_CATEGORY = {e.value: e for e in dm.RequestCategory}
_STATUS = {e.value: e for e in dm.TrajectoryStatus}
_SCOPE = {e.value: e for e in dm.ConsentScope}
# Below this many clients the follow-up queries bind the ids; above, they repeat the filter.
_MAX_BOUND_IDS = 500


def _caseload_filter(
    text: str, practice_id: str | None, statuses: Sequence[dm.TrajectoryStatus] | None
) -> list[Any]:
    """WHERE clauses on the trajectory table alone, so other queries can reuse them."""
    T, C = m.TrajectoryRow, m.ClientRow
    where: list[Any] = []
    if statuses:
        where.append(T.status.in_(list(statuses)))
    else:
        where.append(T.status != dm.TrajectoryStatus.CLOSED)
    if practice_id:
        where.append(T.practice_id == practice_id)
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
    now: datetime | None = None,
    limit: int | None = None,
) -> list[CaseloadRecord]:
    """Open trajectories with client and practice, filtered in SQL."""
    return _caseload_records(s, _caseload_filter(text, practice_id, statuses), now, limit)


def _caseload_records(
    s: Session, where: list[Any], now: datetime | None, limit: int | None = None
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
        )
        .join(C, C.id == T.client_id)
        .join(P, P.id == T.practice_id)
        .where(*where)
        .order_by(T.referred_on, T.id)
    )
    if limit:
        q = q.limit(limit)
    category, status, new = _CATEGORY, _STATUS, tuple.__new__
    return [
        new(
            CaseloadRecord,
            (t, c, fn, ln, dob, bsn, pid, pn, category[cat], status[st], n, ref, first, appt),
        )
        for t, c, fn, ln, dob, bsn, pid, pn, cat, st, n, ref, first, appt in s.connection()
        .execute(q)
        .all()  # one fetchall: iterating the result fetches row by row
    ]


def caseload_data(
    s: Session,
    *,
    text: str = "",
    practice_id: str | None = None,
    statuses: Sequence[dm.TrajectoryStatus] | None = None,
    now: datetime | None = None,
) -> CaseloadData:
    """The caseload records with the consents of their clients and, for clients that have
    consents, their guardians: three queries in the caller's session (one snapshot)."""
    T, K, G = m.TrajectoryRow, m.ConsentRow, m.GuardianRow
    where = _caseload_filter(text, practice_id, statuses)
    records = _caseload_records(s, where, now)
    if not records:
        return CaseloadData(records, {}, {})
    ids = list({r.client_id for r in records})
    bound = len(ids) <= _MAX_BOUND_IDS
    # A few clients: look them up by id (one expanding parameter, not one per id); many: let
    # SQLite repeat the filter in a subquery rather than bind thousands of ids.
    clients: Any = bindparam("ids", expanding=True) if bound else select(T.client_id).where(*where)
    conn = s.connection()
    consents: dict[str, list[ConsentFacts]] = {}
    scope, new = _SCOPE, tuple.__new__
    for cid, kid, sc, given, by_child, gids, withdrawn in conn.execute(
        select(
            K.client_id,
            K.id,
            type_coerce(K.scope, String),
            K.given_on,
            K.given_by_child,
            K.guardian_ids,
            K.withdrawn_on,
        ).where(K.client_id.in_(clients)),
        {"ids": ids} if bound else {},
    ).all():
        fact = new(
            ConsentFacts,
            (cid, kid, scope[sc], given, by_child, tuple(gids.split()) if gids else (), withdrawn),
        )
        if cid in consents:
            consents[cid].append(fact)
        else:
            consents[cid] = [fact]
    guardians: dict[str, list[GuardianFacts]] = {}
    if consents:
        for gid, cid, authority in conn.execute(
            select(G.id, G.client_id, G.has_authority).where(G.client_id.in_(clients)),
            {"ids": list(consents)} if bound else {},
        ).all():
            if cid not in consents:
                continue  # without consents the badge needs no guardians
            fact = new(GuardianFacts, (gid, cid, authority))
            if cid in guardians:
                guardians[cid].append(fact)
            else:
                guardians[cid] = [fact]
    return CaseloadData(records, consents, guardians)


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
