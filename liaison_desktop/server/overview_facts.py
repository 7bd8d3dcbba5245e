"""The overview projection: one row per trajectory with its clear overview fields, and the
suppressed team and own overviews computed from it.

The sync push calls :func:`on_changes_stored` inside its transaction, after the current field
state (``sync_fields``) has been updated; the projection re-reads the overview fields of the
touched trajectories from there, so it follows the same last-writer-wins result. Only fields
that travel in clear are read: never a name, a note, a question or any client field.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Integer,
    String,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from liaison_desktop.domain.overview import (
    DEFAULT_THRESHOLD,
    MEASURES,
    OTHER_PRACTICES,
    Granularity,
    Overview,
    Scope,
    ScopeKind,
    TrajectoryFact,
    compute_overview,
    figure_values,
    pools_by_year,
)
from liaison_desktop.server.db import Database
from liaison_desktop.server.models import ID, Base, TeamMember, User, utcnow
from liaison_desktop.server.sync_models import SyncField
from liaison_desktop.sync.protocol import DELETED_FIELD, OverviewReply, OverviewRow, Role

OVERVIEW_FIELDS = (
    "practice_id",
    "referred_on",
    "first_contact_on",
    "closed_on",
    "status",
    "outcome",
    "request_category",
    "conversation_count",
    "age_band",
)
"""The trajectory fields the projection reads (all clear by the sync protocol)."""

_CHUNK = 500
OTHER_PRACTICES_NAME = "Overige praktijken"


class OverviewFact(Base):
    """One trajectory of one professional, as far as the overviews need it."""

    __tablename__ = "overview_facts"
    # Clustered by user on SQLite (the primary key is the table); PostgreSQL reads a team's
    # rows through the primary key index by its user_id prefix.
    __table_args__ = {"sqlite_with_rowid": False}

    user_id: Mapped[str] = mapped_column(ID, ForeignKey("users.id"), primary_key=True)
    trajectory_id: Mapped[str] = mapped_column(ID, primary_key=True)
    practice_id: Mapped[str] = mapped_column(ID, default="")
    referred_on: Mapped[date | None] = mapped_column(Date, default=None)
    first_contact_on: Mapped[date | None] = mapped_column(Date, default=None)
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(20), default="")
    outcome: Mapped[str | None] = mapped_column(String(40), default=None)
    request_category: Mapped[str] = mapped_column(String(40), default="")
    conversation_count: Mapped[int] = mapped_column(Integer, default=0)
    age_band: Mapped[str | None] = mapped_column(String(20), default=None)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)


def _attr(change: Any, *names: str) -> Any:
    for name in names:
        if isinstance(change, dict):
            if name in change:
                return change[name]
        elif hasattr(change, name):
            return getattr(change, name)
    return None


def _json(value: str | None) -> Any:
    if value is None:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def _day(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _text(value: Any, limit: int) -> str | None:
    return value[:limit] if isinstance(value, str) else None


def on_changes_stored(session: Session, user_id: str, changes: Sequence[Any]) -> None:
    """Bring the projection rows of the trajectories in ``changes`` up to date.

    ``changes`` are the newly stored changes (``PulledChange`` objects or dicts with
    ``t``/``table``, ``r``/``record_id``). Runs in the caller's transaction.
    """
    ids = sorted(
        {
            str(_attr(c, "r", "record_id"))
            for c in changes
            if _attr(c, "t", "table", "table_name") == "trajectory"
        }
    )
    if not ids:
        return
    for start in range(0, len(ids), _CHUNK):
        part = ids[start : start + _CHUNK]
        state: dict[str, dict[str, tuple[str, int]]] = {rid: {} for rid in part}
        for rid, fname, value, seq in session.execute(
            select(SyncField.record_id, SyncField.field, SyncField.value, SyncField.seq).where(
                SyncField.user_id == user_id,
                SyncField.table_name == "trajectory",
                SyncField.record_id.in_(part),
                SyncField.field.in_((*OVERVIEW_FIELDS, DELETED_FIELD)),
            )
        ):
            state[rid][fname] = (value, seq)
        session.execute(
            delete(OverviewFact).where(
                OverviewFact.user_id == user_id, OverviewFact.trajectory_id.in_(part)
            )
        )
        rows = []
        for rid, fields in state.items():
            if not fields or _json(fields.get(DELETED_FIELD, (None, 0))[0]) is True:
                continue
            v = {name: _json(fields[name][0]) for name in fields}
            count = v.get("conversation_count")
            rows.append(
                {
                    "user_id": user_id,
                    "trajectory_id": rid,
                    "practice_id": _text(v.get("practice_id"), 36) or "",
                    "referred_on": _day(v.get("referred_on")),
                    "first_contact_on": _day(v.get("first_contact_on")),
                    "closed_on": _day(v.get("closed_on")),
                    "status": _text(v.get("status"), 20) or "",
                    "outcome": _text(v.get("outcome"), 40),
                    "request_category": _text(v.get("request_category"), 40) or "",
                    "conversation_count": count
                    if isinstance(count, int) and not isinstance(count, bool) and 0 <= count < 10**6
                    else 0,
                    "age_band": _text(v.get("age_band"), 20),
                    "seq": max(seq for _v, seq in fields.values()),
                }
            )
        if rows:
            session.execute(insert(OverviewFact), rows)


# -- reading ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OverviewQuery:
    first: date
    last: date
    granularity: Granularity
    threshold: int = DEFAULT_THRESHOLD
    as_of: date | None = None


def _facts(s: Session, user_ids: Iterable[str], first: date, last: date) -> list[TrajectoryFact]:
    """Facts that can touch a cell of the years ``first.year`` .. ``last.year``."""
    year_start, year_end = date(first.year, 1, 1), date(last.year, 12, 31)
    users = sorted(set(user_ids))
    if not users:
        return []
    f = OverviewFact
    # Dates as they come from the driver: SQLAlchemy's SQLite date processor (a regex per
    # value) costs more than the whole overview; date.fromisoformat is cheap.
    cols = (
        f.trajectory_id,
        f.user_id,
        f.practice_id,
        type_coerce(f.referred_on, String),
        f.request_category,
        type_coerce(f.first_contact_on, String),
        type_coerce(f.closed_on, String),
        f.outcome,
        f.conversation_count,
        f.age_band,
    )
    out: list[TrajectoryFact] = []
    for start in range(0, len(users), _CHUNK):
        stmt = select(*cols).where(
            f.user_id.in_(users[start : start + _CHUNK]),
            f.referred_on.is_not(None),
            f.referred_on <= year_end,
            or_(
                f.closed_on.is_(None),
                f.closed_on >= year_start,
                and_(f.first_contact_on.is_not(None), f.first_contact_on >= year_start),
            ),
        )
        for tid, uid, pid, ref, cat, first, closed, outcome, n, band in s.execute(stmt):
            out.append(
                TrajectoryFact(
                    tid,
                    uid,
                    pid,
                    _as_date(ref),
                    cat,
                    _as_date(first),
                    _as_date(closed),
                    outcome,
                    n,
                    band,
                )
            )
    return out


def _as_date(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _practice_names(s: Session, practice_ids: Iterable[str]) -> dict[str, str]:
    ids = sorted(set(practice_ids))
    names: dict[str, str] = {}
    for start in range(0, len(ids), _CHUNK):
        for rid, value in s.execute(
            select(SyncField.record_id, SyncField.value).where(
                SyncField.table_name == "practice",
                SyncField.field == "name",
                SyncField.record_id.in_(ids[start : start + _CHUNK]),
            )
        ):
            name = _json(value)
            if isinstance(name, str):
                names[rid] = name
    return names


def _pools(s: Session, user_ids: Iterable[str], facts: list[TrajectoryFact], q: OverviewQuery):  # type: ignore[no-untyped-def]
    """The practices pooled per requested year, from the referrals of the year before
    (counted in SQL: one grouped query per year)."""
    users = sorted(set(user_ids))
    f = OverviewFact
    years = range(q.first.year, q.last.year + 1)
    counts: dict[int, dict[str, int]] = {}
    for year in years:
        per: dict[str, int] = {}
        for start in range(0, len(users), _CHUNK):
            for practice, n in s.execute(
                select(f.practice_id, func.count())
                .where(
                    f.user_id.in_(users[start : start + _CHUNK]),
                    f.referred_on >= date(year - 1, 1, 1),
                    f.referred_on <= date(year - 1, 12, 31),
                )
                .group_by(f.practice_id)
            ):
                per[practice] = per.get(practice, 0) + int(n)
        counts[year - 1] = per
    return pools_by_year(counts, {x.practice_id for x in facts}, years)


def team_members(s: Session, team_id: str) -> dict[str, str]:
    """The professionals of a team: user id -> name."""
    rows = s.execute(
        select(User.id, User.name)
        .join(TeamMember, TeamMember.user_id == User.id)
        .where(TeamMember.team_id == team_id, User.role == Role.PROFESSIONAL.value)
    )
    return {uid: name for uid, name in rows}


def _reply(ov: Overview, root_name: str, names: dict[str, str]) -> OverviewReply:
    rows = tuple(
        OverviewRow(
            scope_kind=r.scope.kind.value,
            scope_id=r.scope.id,
            scope_name=root_name if r.scope.is_root else names.get(r.scope.id, ""),
            period=r.period.key,
            values=tuple(figure_values(r)),
        )
        for r in ov.rows
    )
    root = ov.scopes[0]
    return OverviewReply(
        scope_kind=root.kind.value,
        scope_id=root.id,
        scope_name=root_name,
        granularity=ov.granularity.value,
        first=ov.first.isoformat(),
        last=ov.last.isoformat(),
        as_of=ov.as_of.isoformat(),
        threshold=ov.threshold,
        columns=MEASURES,
        rows=rows,
        generated_at=utcnow(),
    )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while tens of thousands of rows and facts are made: the
    collector would walk them all several times (measured: half the time of an overview).
    Nothing here makes cycles; collection resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def team_overview(db: Database, team_id: str, team_name: str, q: OverviewQuery) -> OverviewReply:
    """The suppressed overview of a team: the team, its practices and its professionals."""
    with _gc_paused():
        return _team_overview(db, team_id, team_name, q)


def own_overview(db: Database, user_id: str, user_name: str, q: OverviewQuery) -> OverviewReply:
    """A professional's own figures: in total and per practice (suppressed the same way)."""
    with _gc_paused():
        return _own_overview(db, user_id, user_name, q)


def _team_overview(db: Database, team_id: str, team_name: str, q: OverviewQuery) -> OverviewReply:
    with db.read() as s:
        members = team_members(s, team_id)
        facts = _facts(s, members, q.first, q.last)
        pooled = _pools(s, members, facts, q)
        names = {**members, **_practice_names(s, {f.practice_id for f in facts})}
        names[OTHER_PRACTICES] = OTHER_PRACTICES_NAME
    ov = compute_overview(
        facts,
        first=q.first,
        last=q.last,
        granularity=q.granularity,
        root=Scope(ScopeKind.TEAM, team_id),
        professionals=sorted(members),
        pooled=pooled,
        threshold=q.threshold,
        # Not bounded by the request: the pattern must not depend on which slice was asked.
        as_of=q.as_of or utcnow().date(),
    )
    return _reply(ov, team_name, names)


def _own_overview(db: Database, user_id: str, user_name: str, q: OverviewQuery) -> OverviewReply:
    with db.read() as s:
        facts = _facts(s, [user_id], q.first, q.last)
        pooled = _pools(s, [user_id], facts, q)
        names = _practice_names(s, {f.practice_id for f in facts})
        names[OTHER_PRACTICES] = OTHER_PRACTICES_NAME
    ov = compute_overview(
        facts,
        first=q.first,
        last=q.last,
        granularity=q.granularity,
        root=Scope(ScopeKind.PROFESSIONAL, user_id),
        pooled=pooled,
        threshold=q.threshold,
        # Not bounded by the request: the pattern must not depend on which slice was asked.
        as_of=q.as_of or utcnow().date(),
    )
    return _reply(ov, user_name, names)
