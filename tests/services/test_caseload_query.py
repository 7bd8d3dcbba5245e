"""The caseload's lean queries give exactly what plain ORM reads and check_consent give."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.badge import ConsentBadge
from liaison_desktop.domain.trajectory import waiting_days
from liaison_desktop.services import demo
from liaison_desktop.services.api import CaseloadQuery, CaseloadRow, Services
from liaison_desktop.store import models as m
from liaison_desktop.store import repo
from tests.domain.test_badge import reference_badge

TODAY = date(2026, 11, 22)


def _age(dob: date, today: date) -> int:
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def reference_caseload(services: Services, query: CaseloadQuery) -> list[CaseloadRow]:
    """The caseload computed the slow, obvious way from whole records."""
    today, now = services.today(), services.now()
    with services.store.session() as s:
        trajectories = list(s.scalars(select(m.TrajectoryRow)))  # with the stored counts
        clients = {c.id: c for c in repo.all_of(s, dm.Client)}
        practices = {p.id: p for p in repo.all_of(s, dm.Practice)}
        consents = repo.consents_for_clients(s, None)
        guardians = repo.guardians_for_clients(s, None)
        appointments = repo.all_of(s, dm.Appointment)
    words = repo.search_key(query.text).split()
    rows = []
    for t in sorted(trajectories, key=lambda t: (t.referred_on, t.id)):
        c = clients[t.client_id]
        if query.statuses:
            if t.status not in query.statuses:
                continue
        elif t.status is dm.TrajectoryStatus.CLOSED:
            continue
        if query.practice_id and t.practice_id != query.practice_id:
            continue
        key = repo.search_key(c.first_name, c.last_name, c.bsn)
        if not all(w in key for w in words):
            continue
        badge = reference_badge(
            consents.get(c.id, []), c.date_of_birth, guardians.get(c.id, []), today
        )
        if query.badges and badge not in query.badges:
            continue
        upcoming = [a.start for a in appointments if a.client_id == c.id and a.start >= now]
        rows.append(
            CaseloadRow(
                trajectory_id=t.id,
                client_id=c.id,
                client_name=f"{c.first_name} {c.last_name}",
                age=_age(c.date_of_birth, today),
                bsn=c.bsn,
                practice_id=t.practice_id,
                practice_name=practices[t.practice_id].name,
                request_category=t.request_category,
                status=t.status,
                conversations=t.conversation_count,
                days_waiting=waiting_days(t.referred_on, t.first_contact_on, today),
                next_appointment=min(upcoming) if upcoming else None,
                badge=badge,
            )
        )
    return rows


@pytest.fixture
def filled(services: Services) -> Services:
    demo.generate(services, 300, today=TODAY)
    fixed_now = datetime.combine(TODAY, datetime.min.time()).replace(hour=12)
    services.now = lambda: fixed_now
    first = services.caseload()[0]  # an appointment right now still counts as the next one
    services.add_appointment(
        dm.Appointment(
            practice_id=first.practice_id,
            start=fixed_now,
            duration_min=45,
            kind=dm.AppointmentKind.CONVERSATION,
            client_id=first.client_id,
        )
    )
    assert services.caseload()[0].next_appointment == fixed_now
    return services


def forget_badges(services: Services) -> None:
    """Clear every stored badge, as a store upgraded from before they were stored has them."""
    with services.store.write() as s:
        s.execute(m.ClientRow.__table__.update().values(consent_badge=None, badge_until=None))


@pytest.mark.parametrize("chunk", [10_000, 7], ids=["one-chunk", "many-chunks"])
def test_caseload_matches_reference(filled: Services, monkeypatch, chunk: int):
    monkeypatch.setattr(repo, "_MAX_BOUND_IDS", chunk)
    forget_badges(filled)  # recomputed by the first caseload read, in chunks
    with filled.store.session() as s:
        names = [(c.first_name, c.last_name, c.bsn) for c in repo.all_of(s, dm.Client)[:8]]
    practice = filled.practices()[0]
    queries = [
        CaseloadQuery(),
        CaseloadQuery(statuses=(dm.TrajectoryStatus.CLOSED,)),
        CaseloadQuery(statuses=tuple(dm.TrajectoryStatus)),
        CaseloadQuery(practice_id=practice.id),
        CaseloadQuery(text="de"),
        CaseloadQuery(text="%_"),  # LIKE wildcards are searched literally
        CaseloadQuery(text="zzzz-nobody"),
        *(CaseloadQuery(badges=(b,)) for b in ConsentBadge),
        CaseloadQuery(text="a", practice_id=practice.id, badges=(ConsentBadge.VALID,)),
    ]
    for first, last, bsn in names:
        queries.append(CaseloadQuery(text=last.split()[-1][:4]))
        queries.append(
            CaseloadQuery(text=f"{first} {last[:3]}", statuses=tuple(dm.TrajectoryStatus))
        )
        if bsn:
            queries.append(CaseloadQuery(text=bsn[:5]))
    nonempty = 0
    for q in queries:
        got = filled.caseload(q)
        assert got == reference_caseload(filled, q), q
        nonempty += bool(got)
    assert nonempty >= len(queries) - 3
    assert {r.badge for r in filled.caseload()} == set(ConsentBadge)


def test_stored_badges_follow_the_calendar(filled: Services):
    """Badges are stored with the day they may change; on every later day the caseload must
    still equal the reference computed from scratch (birthdays, consents given or withdrawn
    with a date ahead)."""
    recomputed = []
    for k in range(0, 24):
        day = date.fromordinal(TODAY.toordinal() + 23 * k)
        filled.today = lambda day=day: day
        with filled.store.session() as s:
            recomputed.append(repo.has_stale_badges(s, day))
        assert filled.caseload() == reference_caseload(filled, CaseloadQuery()), day
        with filled.store.session() as s:
            assert not repo.has_stale_badges(s, day)
    assert any(recomputed[1:])  # the calendar did make some badges stale


def test_a_change_in_the_file_shows_at_once(filled: Services):
    row = next(r for r in filled.caseload() if r.badge is ConsentBadge.VALID)
    consents = filled.open_client(row.client_id).consents
    for c in consents:
        if c.withdrawn_on is None and c.given_on <= TODAY:
            filled.withdraw_consent(c.id, on=TODAY)
            break
    after = next(r for r in filled.caseload() if r.trajectory_id == row.trajectory_id)
    assert after.badge is ConsentBadge.WITHDRAWN
    assert filled.caseload() == reference_caseload(filled, CaseloadQuery())


def test_caseload_page_is_a_slice_of_the_caseload(filled: Services):
    for q in [
        CaseloadQuery(),
        CaseloadQuery(text="de"),
        CaseloadQuery(badges=(ConsentBadge.MISSING,)),
    ]:
        whole = filled.caseload(q)
        assert whole, q
        for offset, limit in [(0, 50), (50, 50), (len(whole) - 3, 50), (len(whole) + 5, 10)]:
            page = filled.caseload_page(q, limit=limit, offset=max(0, offset))
            assert page.total == len(whole)
            assert page.rows == whole[max(0, offset) : max(0, offset) + limit]
