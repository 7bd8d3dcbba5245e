"""The services layer: rules enforced, one transaction per change, every access logged."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.badge import ConsentBadge
from liaison_desktop.domain.conversations import ConversationSignal
from liaison_desktop.domain.errors import DomainError, TransitionError, ValidationError
from liaison_desktop.services.api import CaseloadQuery, ConsentRequired
from liaison_desktop.store import models as m

TODAY = date(2026, 11, 22)


def add_family(services, *, dob=date(2015, 3, 1), authority=(True, False), bsn="111222333"):
    practice = services.practices()[0]
    client = dm.Client(
        first_name="Sanne", last_name="Visser", date_of_birth=dob, practice_id=practice.id, bsn=bsn
    )
    guardians = [
        dm.Guardian(client_id=client.id, name=f"Ouder {i}", has_authority=a)
        for i, a in enumerate(authority)
    ]
    services.add_client(client, guardians)
    traj = dm.Trajectory(
        client_id=client.id,
        practice_id=practice.id,
        referred_on=TODAY - timedelta(days=20),
        request_category=dm.RequestCategory.SLEEP,
    )
    services.add_trajectory(traj)
    return client, guardians, traj


def conversation(client, traj, day_offset=0, type_=dm.ContactType.CONVERSATION_FAMILY):
    from liaison_desktop.domain.conversations import counts_by_default

    return dm.Contact(
        client_id=client.id,
        trajectory_id=traj.id,
        type=type_,
        start=datetime(2026, 11, 1, 10, 0) + timedelta(days=day_offset),
        duration_min=45,
        practice_id=traj.practice_id,
        participants=(dm.Participant.CHILD, dm.Participant.PARENT),
        note="Gesprek over slapen.",
        counts_as_conversation=counts_by_default(type_),
    )


def log_actions(services, client_id):
    return [(e.action, e.object_type) for e in services.access_log_for_client(client_id)]


def test_invalid_bsn_is_refused_with_field_and_nothing_stored(services):
    practice = services.practices()[0]
    client = dm.Client("Sanne", "Visser", date(2015, 3, 1), practice.id, bsn="123456789")
    with pytest.raises(ValidationError) as err:
        services.add_client(client)
    assert err.value.field == "bsn"
    assert "123456789" not in err.value.message
    assert "Visser" not in str(err.value)
    assert services.search_clients("Visser") == []


def test_future_date_of_birth_is_refused(services):
    practice = services.practices()[0]
    client = dm.Client("Sanne", "Visser", TODAY + timedelta(days=3), practice.id)
    with pytest.raises(ValidationError) as err:
        services.add_client(client)
    assert "date_of_birth" in err.value.by_field


def test_consent_from_parent_without_authority_is_refused(services):
    client, guardians, _ = add_family(services)
    without = guardians[1]
    consent = dm.Consent(
        client_id=client.id,
        scope=dm.ConsentScope.NEIGHBOURHOOD_TEAM,
        given_on=TODAY,
        method=dm.ConsentMethod.SPOKEN,
        guardian_ids=(without.id,),
    )
    with pytest.raises(ValidationError) as err:
        services.register_consent(consent)
    assert "gezag" in err.value.message
    assert services.open_client(client.id).consents == []


def test_consent_guards_actions_and_withdrawal_is_immediate(services, tmp_path):
    client, guardians, _ = add_family(services)
    scope = dm.ConsentScope.NEIGHBOURHOOD_TEAM
    with pytest.raises(ConsentRequired):
        services.require_consent(client.id, scope)
    consent = dm.Consent(
        client_id=client.id,
        scope=scope,
        given_on=TODAY - timedelta(days=2),
        method=dm.ConsentMethod.WRITTEN,
        guardian_ids=(guardians[0].id,),
    )
    res = services.register_consent(consent)
    assert res.changes.consents and client.id in res.changes.client_ids
    assert services.require_consent(client.id, scope).valid
    services.withdraw_consent(consent.id)
    with pytest.raises(ConsentRequired) as err:
        services.require_consent(client.id, scope)
    assert "ingetrokken" in err.value.message.lower()
    with pytest.raises(ConsentRequired):
        services.export(
            tmp_path / "x.json", client_id=client.id, require_scope=dm.ConsentScope.EXPORT
        )
    assert not (tmp_path / "x.json").exists()


def test_five_conversations_signal_and_sixth_warning(services):
    client, _, traj = add_family(services)
    gp = services.log_contact(conversation(client, traj, 0, dm.ContactType.GP_CONSULTATION))
    assert gp.value.conversation_count == 0
    results = [services.log_contact(conversation(client, traj, i + 1)) for i in range(6)]
    counts = [r.value.conversation_count for r in results]
    assert counts == [1, 2, 3, 4, 5, 6]
    assert results[3].value.signal is ConversationSignal.ONE_LEFT
    assert results[4].value.signal is ConversationSignal.REACHED
    assert results[4].value.message and "huisarts" in results[4].value.message
    assert results[4].warning is None
    assert results[5].warning, "a sixth conversation is flagged"
    row = services.caseload()[0]
    assert row.conversations == 6


def test_closing_requires_outcome(services):
    client, _, traj = add_family(services)
    services.change_status(traj.id, dm.TrajectoryStatus.ACTIVE)
    with pytest.raises(TransitionError) as err:
        services.change_status(traj.id, dm.TrajectoryStatus.CLOSED)
    assert err.value.field == "outcome"
    res = services.change_status(
        traj.id, dm.TrajectoryStatus.CLOSED, outcome=dm.Outcome.NEIGHBOURHOOD_TEAM
    )
    assert res.value.closed_on == TODAY
    assert services.caseload() == []  # closed trajectories leave the caseload
    with pytest.raises(TransitionError):
        services.change_status(traj.id, dm.TrajectoryStatus.ACTIVE)


def test_caseload_filters_and_badges(services):
    a, _, _ = add_family(services)
    practice_b = services.practices()[1]
    b = dm.Client("Daan", "de Jong", date(2010, 5, 5), practice_b.id)
    services.add_client(b, [dm.Guardian(client_id=b.id, name="Ouder")])
    services.add_trajectory(
        dm.Trajectory(b.id, practice_b.id, TODAY - timedelta(days=3), dm.RequestCategory.SCHOOL)
    )
    assert {r.client_name for r in services.caseload()} == {"Sanne Visser", "Daan de Jong"}
    assert [r.client_name for r in services.caseload(CaseloadQuery(text="jong"))] == [
        "Daan de Jong"
    ]
    assert [r.client_name for r in services.caseload(CaseloadQuery(text="1112"))] == [
        "Sanne Visser"
    ]
    rows = services.caseload(CaseloadQuery(practice_id=practice_b.id))
    assert [r.client_id for r in rows] == [b.id]
    assert {r.badge for r in services.caseload()} == {ConsentBadge.MISSING}
    assert services.caseload(CaseloadQuery(badges=(ConsentBadge.VALID,))) == []


def test_every_access_is_logged_by_id_only(services, tmp_path):
    client, _, traj = add_family(services)
    services.open_client(client.id)
    services.log_contact(conversation(client, traj))
    services.export(tmp_path / "inzage.json", client_id=client.id)
    actions = log_actions(services, client.id)
    assert ("create", "client") in actions
    assert ("open", "client") in actions
    assert ("create", "contact") in actions
    assert ("export", "client") in actions
    entry = services.access_log_for_client(client.id)[0]
    assert entry.client_id == client.id
    assert entry.device_id == services.actor.device_id
    assert entry.actor_id == services.actor.professional_id
    assert services.verify_access_log().ok


def test_export_of_one_client_is_complete_json(services, tmp_path):
    client, _, traj = add_family(services)
    services.log_contact(conversation(client, traj))
    report = services.export(tmp_path / "inzage.json", client_id=client.id)
    data = json.loads((tmp_path / "inzage.json").read_text(encoding="utf-8"))
    assert report.clients == 1
    assert data["scope"] == "client"
    file = data["clients"][0]
    assert file["client"]["bsn"] == "111222333"
    assert len(file["guardians"]) == 2 and len(file["contacts"]) == 1
    assert (tmp_path / "inzage.json").stat().st_mode & 0o077 == 0


def test_retention_list_and_confirmed_destruction(services):
    old, _, _ = add_family(services)
    recent, _, _ = add_family(services, bsn=None)
    with services.store.write() as s:
        s.execute(
            update(m.ClientRow)
            .where(m.ClientRow.id == old.id)
            .values(file_changed_at=datetime(2006, 11, 1, tzinfo=UTC))
        )
    items = services.past_retention(TODAY)
    assert [i.client_id for i in items] == [old.id]
    assert items[0].deadline == date(2026, 11, 1)
    with pytest.raises(DomainError):
        services.destroy_client(old.id, confirmed=False)
    services.destroy_client(old.id, confirmed=True)
    assert services.past_retention(TODAY) == []
    with pytest.raises(DomainError):
        services.open_client(old.id)
    assert ("destroy", "client") in log_actions(services, old.id)
    assert services.open_client(recent.id).client.id == recent.id
    assert services.verify_access_log().ok


def test_a_failed_change_leaves_no_trace(services):
    client, _, traj = add_family(services)
    before = len(services.access_log_for_client(client.id))
    bad = conversation(client, traj)
    bad.trajectory_id = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(DomainError):
        services.log_contact(bad)
    assert len(services.access_log_for_client(client.id)) == before
    assert services.open_client(client.id).contacts == []


def test_bulk_import_counts_conversations_like_single_logging(services):
    from liaison_desktop.services import demo

    demo.generate(services, 60, seed=11)
    with services.store.session() as s:
        trajectories = s.query(m.TrajectoryRow).all()
        contacts = s.query(m.ContactRow).all()
    assert any(t.conversation_count for t in trajectories)
    for t in trajectories:
        mine = [c for c in contacts if c.trajectory_id == t.id]
        assert t.conversation_count == sum(c.counts_as_conversation for c in mine)
        assert t.first_contact_on == (min(c.start for c in mine).date() if mine else None)


def test_new_client_with_its_referral_is_one_transaction(services):
    """A referral the store refuses leaves no client behind without a trajectory."""
    from sqlalchemy.exc import IntegrityError

    client, _, traj = add_family(services)
    practice = services.practices()[0]
    newcomer = dm.Client(
        first_name="Noor",
        last_name="Bakker",
        date_of_birth=date(2016, 5, 1),
        practice_id=practice.id,
    )
    clash = dm.Trajectory(
        client_id=newcomer.id,
        practice_id=practice.id,
        referred_on=TODAY,
        request_category=dm.RequestCategory.ANXIETY_MOOD,
        id=traj.id,  # an id already taken: the insert fails inside the transaction
    )
    with pytest.raises(IntegrityError):
        services.add_client(newcomer, [], clash)
    assert services.search_clients("Noor Bakker") == []
    assert log_actions(services, newcomer.id) == []

    ok = dm.Trajectory(
        client_id="ignored: the client's id is used",
        practice_id=practice.id,
        referred_on=TODAY,
        request_category=dm.RequestCategory.ANXIETY_MOOD,
    )
    result = services.add_client(newcomer, [], ok)
    assert result.changes.trajectories and result.changes.clients
    opened = services.open_client(newcomer.id)
    assert [t.id for t in opened.trajectories] == [ok.id]
    assert ("create", "trajectory") in log_actions(services, newcomer.id)
