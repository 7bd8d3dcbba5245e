"""No client name, BSN or note text in clear in the database, its WAL, backups, logs or temp files."""

from __future__ import annotations

import logging
import os
import tempfile
from datetime import date, datetime
from pathlib import Path

from liaison_desktop.domain import model as dm
from liaison_desktop.services import demo

MARK_NAME = "Zwaantjeskerk"
MARK_FIRST = "Xanthippa"
MARK_BSN = "876543219"
MARK_NOTE = "Vertrouwelijk-notitie-Kwispel"


def all_files(*roots: Path) -> list[Path]:
    out = []
    for root in roots:
        for dirpath, _dirs, files in os.walk(root):
            out.extend(Path(dirpath) / f for f in files)
    return out


def test_no_identity_or_note_in_clear_anywhere(services, tmp_path, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    temp_root = tmp_path / "tmp"
    temp_root.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp_root))
    monkeypatch.setattr(tempfile, "tempdir", str(temp_root))

    demo.generate(services, 40, seed=3)
    practice = services.practices()[0]
    client = dm.Client(MARK_FIRST, MARK_NAME, date(2012, 4, 4), practice.id, bsn=MARK_BSN)
    services.add_client(client, [dm.Guardian(client_id=client.id, name=f"Ouder {MARK_NAME}")])
    traj = dm.Trajectory(
        client.id,
        practice.id,
        date(2026, 10, 1),
        dm.RequestCategory.SLEEP,
        question=f"Vraag {MARK_NOTE}",
    )
    services.add_trajectory(traj)
    services.store.backup("test")  # the backup holds the marked client
    services.log_contact(
        dm.Contact(
            client.id,
            traj.id,
            dm.ContactType.CONVERSATION_CHILD,
            datetime(2026, 11, 2, 10, 0),
            45,
            practice.id,
            (dm.Participant.CHILD,),
            note=MARK_NOTE,
        )
    )
    services.open_client(client.id)  # these last writes stay in the WAL
    # Everything still in the WAL: search it before and after a checkpoint.
    data_dir = services.store.paths.data_dir
    wal = data_dir / "liaison.db-wal"
    assert wal.exists() and wal.stat().st_size > 0

    markers = [MARK_NAME, MARK_FIRST, MARK_BSN, MARK_NOTE]
    encodings = [m.encode("utf-8") for m in markers] + [m.encode("utf-16-le") for m in markers]

    def scan():
        hits = []
        for f in all_files(data_dir, temp_root):
            blob = f.read_bytes()
            hits += [(f.name, e) for e in encodings if e in blob]
        return hits

    # The markers are really stored (so a clean scan means something) ...
    assert [c.id for c in services.search_clients(MARK_NAME)] == [client.id]
    # ... yet no file holds them in clear, before or after the WAL is checkpointed.
    assert scan() == []
    services.store.checkpoint()
    assert scan() == []
    log_text = "\n".join(r.getMessage() for r in caplog.records)
    for marker in markers:
        assert marker not in log_text
