"""The team agenda from enrolled laptops (real stores) against a real server on 127.0.0.1,
SQLite and PostgreSQL: consent gates it, withdrawal takes the item off at the next refresh,
members and the team leader read it, outsiders cannot, the server holds ciphertext only."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from liaison_desktop.domain import model as dm
from liaison_desktop.server import accounts
from liaison_desktop.server.agenda_models import AgendaEntry
from liaison_desktop.services import agenda
from liaison_desktop.services.api import ConsentRequired
from liaison_desktop.sync import teamkey
from liaison_desktop.sync.protocol import AgendaItemPost, Role
from liaison_desktop.sync.transport import Forbidden
from tests.server.conftest import (  # noqa: F401 - fixtures
    app,
    backend,
    db,
    pg_database,
    pg_url,
    settings,
    sqlite_template,
)
from tests.server.support import ThreadedServer
from tests.services.sync_helpers import TODAY, add_family, add_practice, client_of, laptop

QUESTION = "Moeder heeft geldzorgen en de huur is achterstallig; wie denkt mee?"


@pytest.fixture
def live(app):  # noqa: F811
    with ThreadedServer(app) as server:
        yield server


@pytest.fixture
def town(db, live, tmp_path):  # noqa: F811
    """Team Oost with two professionals and its team leader; team West with one."""
    org = accounts.create_org(db, "Jeugdhulp Noord").id
    oost = accounts.create_team(db, org, "Basisteam Oost").id
    west = accounts.create_team(db, org, "Basisteam West").id
    users = {
        "fatima": accounts.create_user(db, oost, Role.PROFESSIONAL, "Fatima Bakker").id,
        "joris": accounts.create_user(db, oost, Role.PROFESSIONAL, "Joris de Boer").id,
        "lead": accounts.create_user(db, oost, Role.TEAM_LEADER, "Els Teamleider").id,
        "wim": accounts.create_user(db, west, Role.PROFESSIONAL, "Wim West").id,
    }
    laptops = {k: laptop(tmp_path, db, live.url, u, k) for k, u in users.items()}
    yield {"oost": oost, "west": west, "users": users, **laptops}
    for sv in laptops.values():
        sv.lock()


def with_consent(sv):
    practice = add_practice(sv)
    client, guardians, _t = add_family(sv, practice, "Quinty", "Zuidema")
    consent = dm.Consent(
        client_id=client.id,
        scope=dm.ConsentScope.NEIGHBOURHOOD_TEAM,
        given_on=TODAY - timedelta(days=3),
        method=dm.ConsentMethod.SPOKEN,
        guardian_ids=(guardians[0].id,),
    )
    sv.register_consent(consent)
    return client, consent


def refresh(sv) -> agenda.AgendaReport:
    with client_of(sv) as c:
        return agenda.refresh(sv, c)


def post(sv, client_id, question=QUESTION):
    with client_of(sv) as c:
        return agenda.put_on_agenda(sv, c, client_id, question)


def items(report, team_id):
    (team,) = [t for t in report.teams if t.team_id == team_id]
    return team


def test_refused_without_consent_and_nothing_reaches_the_server(town, db):  # noqa: F811
    sv = town["fatima"]
    client, _g, _t = add_family(sv, add_practice(sv))
    with pytest.raises(ConsentRequired) as err:
        post(sv, client.id)
    assert "toestemming" in err.value.message.lower()
    # Consent for another scope does not count.
    sv.register_consent(
        dm.Consent(
            client_id=client.id,
            scope=dm.ConsentScope.SHARE_WITH_GP,
            given_on=TODAY,
            method=dm.ConsentMethod.SPOKEN,
            guardian_ids=(_g[0].id,),
        )
    )
    with pytest.raises(ConsentRequired):
        post(sv, client.id)
    with db.read() as s:
        assert s.query(AgendaEntry).count() == 0
    assert agenda.posted_items(sv) == {}


def test_a_second_member_and_the_team_leader_read_it_and_another_team_cannot(town):
    fatima, joris, lead, wim = (town[k] for k in ("fatima", "joris", "lead", "wim"))
    # Joris and the leader have opened the agenda once (their public keys are on the server).
    assert items(refresh(joris), town["oost"]).waiting_for_key is False
    refresh(lead)
    client, _c = with_consent(fatima)
    entry = post(fatima, client.id).value
    assert entry.initials == "Q.Z." and entry.author_name == "Fatima Bakker"
    # Fatima made the team key and wrapped it for everyone with a public key already.
    for reader in (joris, lead):
        team = items(refresh(reader), town["oost"])
        assert [(e.initials, e.question, e.practice, e.author_name) for e in team.entries] == [
            ("Q.Z.", QUESTION, "Huisartsenpraktijk De Linde", "Fatima Bakker")
        ]
        assert not team.entries[0].mine
    mine = items(refresh(fatima), town["oost"]).entries
    assert [e.mine for e in mine] == [True]
    # A professional of another team: refused by the server, and his laptop knows no key.
    with client_of(wim) as c, pytest.raises(Forbidden):
        c.team_agenda(town["oost"])
    assert [t.team_id for t in refresh(wim).teams] == [town["west"]]


def test_a_member_without_a_wrap_gets_one_from_the_next_member_who_refreshes(town, db):  # noqa: F811
    fatima, joris = town["fatima"], town["joris"]
    client, _c = with_consent(fatima)
    post(fatima, client.id)  # Joris had never opened the agenda: no public key, no wrap
    team = items(refresh(joris), town["oost"])
    assert team.waiting_for_key and team.entries == ()
    # Joris cannot post before he has the key: a clear refusal, nothing stored.
    jc, _ = with_consent(joris)
    with pytest.raises(agenda.AgendaError) as err:
        post(joris, jc.id)
    assert err.value.code == "agenda_waiting_for_key"
    assert refresh(fatima).wrapped == 1
    team = items(refresh(joris), town["oost"])
    assert [e.question for e in team.entries] == [QUESTION]
    post(joris, jc.id, "Tweede vraag")
    assert len(items(refresh(fatima), town["oost"]).entries) == 2


def test_withdrawn_consent_takes_the_item_off_at_the_next_refresh(town, db):  # noqa: F811
    fatima, joris = town["fatima"], town["joris"]
    refresh(joris)
    client, consent = with_consent(fatima)
    other, _ = with_consent(fatima)
    post(fatima, client.id)
    post(fatima, other.id, "Een andere vraag")
    assert len(items(refresh(joris), town["oost"]).entries) == 2
    fatima.withdraw_consent(consent.id)
    # Until Fatima's laptop refreshes, the server cannot know (it never sees consent).
    assert len(items(refresh(joris), town["oost"]).entries) == 2
    report = refresh(fatima)
    assert report.removed == 1
    assert [e.question for e in items(report, town["oost"]).entries] == ["Een andere vraag"]
    assert [e.question for e in items(refresh(joris), town["oost"]).entries] == ["Een andere vraag"]
    assert [v["client_id"] for v in agenda.posted_items(fatima).values()] == [other.id]
    with db.read() as s:
        assert s.query(AgendaEntry).count() == 1  # deleted on the server, not hidden
    # The removal is in the client's access log; a refresh after that removes nothing more.
    actions = [(e.action, e.object_type) for e in fatima.access_log_for_client(client.id)]
    assert ("export", "agenda_item") in actions and ("delete", "agenda_item") in actions
    assert refresh(fatima).removed == 0
    # Putting the client on again is refused now.
    with pytest.raises(ConsentRequired):
        post(fatima, client.id)


def test_a_destroyed_client_file_takes_the_item_off_too(town):
    fatima = town["fatima"]
    client, _c = with_consent(fatima)
    post(fatima, client.id)
    fatima.destroy_client(client.id, confirmed=True)
    assert refresh(fatima).removed == 1
    assert items(refresh(fatima), town["oost"]).entries == ()


def test_tampered_or_moved_ciphertext_is_refused_on_the_laptop(town, db, live):  # noqa: F811
    fatima, joris = town["fatima"], town["joris"]
    refresh(joris)
    client, _c = with_consent(fatima)
    entry = post(fatima, client.id).value
    # Someone with database access flips a byte, and copies the item under another id.
    with db.write() as s:
        row = s.get(AgendaEntry, entry.id)
        original = row.ciphertext
        blob = bytearray(original.encode())
        blob[-5] = ord("A") if blob[-5] != ord("A") else ord("B")
        row.ciphertext = blob.decode()
        s.add(
            AgendaEntry(
                id="00000000-0000-4000-8000-000000000001",
                team_id=row.team_id,
                author_user_id=row.author_user_id,
                key_id=row.key_id,
                ciphertext=original,
                created_at=row.created_at,
            )
        )
    team = items(refresh(joris), town["oost"])
    assert team.entries == () and team.unreadable == 2
    # The same ciphertext posted to another team is refused by that team's key, too.
    with client_of(town["wim"]) as c:
        west = agenda.refresh(town["wim"], c)
        assert items(west, town["west"]).entries == ()
        with pytest.raises(Exception) as err:  # the west team has no key of this id: 409
            c.post_agenda_item(town["west"], AgendaItemPost(entry.id, row_key(db), original))
        assert getattr(err.value, "status", None) == 409


def row_key(db):  # noqa: F811
    with db.read() as s:
        return s.query(AgendaEntry).first().key_id


def test_the_next_meeting_and_the_cli_shape(town):
    fatima, lead = town["fatima"], town["lead"]
    client, _c = with_consent(fatima)
    when = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    with client_of(lead) as c:
        agenda.member_key(lead, c)
        agenda.set_next_meeting(c, town["oost"], when)
    with client_of(fatima) as c, pytest.raises(Forbidden):
        agenda.set_next_meeting(c, town["oost"], when)
    entry = post(fatima, client.id).value
    assert entry.meeting_at == when
    out = refresh(lead).to_json()
    json.dumps(out)
    (team,) = out["teams"]
    assert team["team"] == "Basisteam Oost" and team["meeting_at"] == when.isoformat()
    assert team["items"][0]["initials"] == "Q.Z." and team["items"][0]["question"] == QUESTION
    assert "Zuidema" not in json.dumps(out) and "Quinty" not in json.dumps(out)


def test_the_server_holds_no_question_or_initials_in_clear(town, db, backend):  # noqa: F811
    fatima, joris = town["fatima"], town["joris"]
    refresh(joris)
    client, _c = with_consent(fatima)
    for i in range(3):
        post(fatima, client.id, f"{QUESTION} ({i})")
    assert len(items(refresh(joris), town["oost"]).entries) == 3
    words = ["geldzorgen", "achterstallig", "Q.Z.", "Quinty", "Zuidema", "De Linde"]
    if backend == "sqlite":
        db.dispose()
        path = db.url.database
        blob = b""
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(path + suffix):
                with open(path + suffix, "rb") as fh:
                    blob += fh.read()
        assert b"Basisteam Oost" in blob  # sanity: clear text is found when there
        for word in words:
            for encoding in ("utf-8", "utf-16-le"):
                assert word.encode(encoding) not in blob, word
    else:
        with db.connect() as conn:
            names = [
                r[0]
                for r in conn.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                )
            ]
            dump = "\n".join(
                str(row[0])
                for name in names
                for row in conn.execute(text(f'SELECT CAST(x AS text) FROM "{name}" AS x'))
            )
        assert "Basisteam Oost" in dump and "a1:" in dump
        for word in words:
            assert word not in dump, word


def test_the_private_key_stays_in_the_encrypted_store(town):
    fatima = town["fatima"]
    refresh(fatima)
    secret = fatima.store.get_secret(agenda.SECRET_PRIVATE_KEY)
    assert secret and teamkey.MemberKeyPair.from_private_b64(secret)
    paths = fatima.store.paths
    raw = b"".join(
        p.read_bytes() for p in paths.data_dir.rglob("*") if p.is_file() and p != paths.keys
    )
    assert len(raw) > 10_000 and secret.encode() not in raw


def test_cli_agenda_prints_the_decrypted_agenda_as_json(town, monkeypatch, capsys):
    from liaison_desktop import cli
    from tests.conftest import PASSPHRASE

    fatima, joris = town["fatima"], town["joris"]
    refresh(joris)
    client, _c = with_consent(fatima)
    post(fatima, client.id)
    monkeypatch.setenv(cli.PASSPHRASE_ENV, PASSPHRASE)
    assert cli.main(["agenda", "--data-dir", str(joris.store.paths.data_dir)]) == 0
    out = json.loads(capsys.readouterr().out)
    (team,) = out["teams"]
    assert team["team_id"] == town["oost"]
    assert [(i["initials"], i["question"], i["brought_in_by"]) for i in team["items"]] == [
        ("Q.Z.", QUESTION, "Fatima Bakker")
    ]
    code = cli.main(
        ["agenda", "--data-dir", str(joris.store.paths.data_dir), "--team", town["west"]]
    )
    assert code == 2 and "toegang" in capsys.readouterr().err


def test_the_users_second_laptop_recovers_the_key_through_the_vault(town, db, live, tmp_path):  # noqa: F811
    from tests.services.sync_helpers import sync

    fatima = town["fatima"]
    refresh(fatima)  # key pair made before the vault key was on this laptop: no escrow yet
    sync(fatima)  # the vault key is made and uploaded
    client, _c = with_consent(fatima)
    post(fatima, client.id)  # now the escrow is added
    second = laptop(tmp_path, db, live.url, town["users"]["fatima"], "fatima-2")
    try:
        with pytest.raises(agenda.AgendaError) as err:
            refresh(second)  # no vault key yet on the new laptop
        assert err.value.code == "agenda_key_elsewhere"
        assert "Synchroniseer" in err.value.message
        sync(second)
        team = items(refresh(second), town["oost"])
        assert [(e.initials, e.question) for e in team.entries] == [("Q.Z.", QUESTION)]
        assert second.store.get_secret(agenda.SECRET_PRIVATE_KEY) == fatima.store.get_secret(
            agenda.SECRET_PRIVATE_KEY
        )
    finally:
        second.lock()


def test_two_members_making_the_team_key_at_once_end_up_with_one(town):
    """Joris reads "no team key yet"; before his wraps arrive Fatima's do. His PUT gets 409
    and his laptop uses Fatima's key (it was wrapped for him too)."""
    from liaison_desktop.sync.transport import ServerClient

    fatima, joris = town["fatima"], town["joris"]
    refresh(fatima)
    refresh(joris)
    client, _c = with_consent(joris)
    fc, _ = with_consent(fatima)
    refused: list[int] = []

    class RacedClient(ServerClient):
        def put_team_key_wraps(self, team_id, wraps):
            if not refused:
                post(fatima, fc.id, "Fatima was eerst")  # makes the team key meanwhile
                try:
                    return super().put_team_key_wraps(team_id, wraps)
                except Exception as exc:
                    refused.append(getattr(exc, "status", 0))
                    raise
            return super().put_team_key_wraps(team_id, wraps)

    base = client_of(joris)
    with RacedClient(base.transport) as c:
        entry = agenda.put_on_agenda(joris, c, client.id, QUESTION).value
    assert refused == [409]
    got = sorted(e.question for e in items(refresh(fatima), town["oost"]).entries)
    assert got == sorted(["Fatima was eerst", QUESTION]) and entry.initials == "Q.Z."


def test_no_question_initials_or_name_in_any_log_line(town, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    fatima, joris = town["fatima"], town["joris"]
    refresh(joris)
    client, consent = with_consent(fatima)
    post(fatima, client.id)
    refresh(joris)
    fatima.withdraw_consent(consent.id)
    assert refresh(fatima).removed == 1
    text = caplog.text + " ".join(str(r.__dict__) for r in caplog.records)
    assert "agenda item posted" in text  # sanity: the agenda did log
    for word in ("geldzorgen", "achterstallig", "Q.Z.", "Quinty", "Zuidema"):
        assert word not in text, word


def test_consent_withdrawn_on_the_users_other_laptop_takes_the_item_off_there(
    town,
    db,  # noqa: F811
    live,
    tmp_path,
):
    from tests.services.sync_helpers import sync

    fatima = town["fatima"]
    sync(fatima)  # the vault key: items carry the client reference encrypted with it
    client, consent = with_consent(fatima)
    post(fatima, client.id)
    sync(fatima)
    second = laptop(tmp_path, db, live.url, town["users"]["fatima"], "fatima-2")
    try:
        sync(second)
        report = refresh(second)
        assert report.removed == 0
        assert [e.mine for e in items(report, town["oost"]).entries] == [True]
        second.withdraw_consent(consent.id)
        report = refresh(second)
        assert report.removed == 1 and items(report, town["oost"]).entries == ()
        assert ("delete", "agenda_item") in [
            (e.action, e.object_type) for e in second.access_log_for_client(client.id)
        ]
        # The first laptop learns the withdrawal by sync; its own sweep finds the item gone.
        sync(second)
        sync(fatima)
        refresh(fatima)
        assert agenda.posted_items(fatima) == {}
    finally:
        second.lock()


def test_cli_the_team_leader_plans_the_next_meeting(town, monkeypatch, capsys):
    from liaison_desktop import cli
    from tests.conftest import PASSPHRASE

    monkeypatch.setenv(cli.PASSPHRASE_ENV, PASSPHRASE)
    lead_dir = str(town["lead"].store.paths.data_dir)
    fatima_dir = str(town["fatima"].store.paths.data_dir)
    assert cli.main(["agenda", "--data-dir", lead_dir, "--next-meeting", "2031-03-04T13:30"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["team_leader"] is True
    when = datetime.fromisoformat(out["teams"][0]["meeting_at"])
    assert when == datetime(2031, 3, 4, 13, 30).astimezone()
    # A professional may not plan it: refused by the server, a Dutch message, exit 2.
    code = cli.main(["agenda", "--data-dir", fatima_dir, "--next-meeting", "2031-03-11 13:30"])
    assert code == 2 and "toegang" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["agenda", "--data-dir", lead_dir, "--next-meeting", "volgende week"])
