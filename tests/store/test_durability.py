"""A process killed in the middle of writes loses no committed change, and the store opens."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from liaison_desktop.store.store import Store
from tests.conftest import FAST_KDF, PASSPHRASE

WRITER = r"""
import sys
from liaison_desktop.store.store import Store
from liaison_desktop.store.models import StoreMeta
store = Store.unlock(sys.argv[1], sys.argv[2])
i = int(sys.argv[3])
mixed = sys.argv[4] == "mixed"
while True:
    # mixed: every other commit without its fsync (durable=False), as a sync's bookkeeping.
    with store.write(durable=not (mixed and i % 2)) as s:
        s.add(StoreMeta(key=f"row-{i}", value="x" * (i % 700)))
    print(i, flush=True)  # printed only after the commit returned
    i += 1
"""


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["durable", "mixed"])
def test_kill_during_writes_loses_no_committed_change(tmp_path, mode):
    """Also with commits that skip their fsync: a killed process is not a power cut, what
    SQLite handed to the operating system stays."""
    data_dir = tmp_path / "data"
    store, _ = Store.create(data_dir, PASSPHRASE, kdf=FAST_KDF)
    store.close()
    rng = random.Random(1234)
    committed: list[int] = []
    for round_no in range(12):
        # Each round numbers its own rows: a row committed just before the kill but never
        # printed must not collide with the next round's.
        next_i = round_no * 100_000
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(data_dir), PASSPHRASE, str(next_i), mode],
            stdout=subprocess.PIPE,
            text=True,
            env=dict(os.environ, PYTHONPATH=os.getcwd()),
        )
        target = rng.randint(5, 60)
        seen = 0
        assert proc.stdout is not None
        for line in proc.stdout:
            committed.append(int(line))
            seen += 1
            if seen >= target:
                break
        time.sleep(rng.random() * 0.02)  # land the kill at a random point of a write
        proc.send_signal(signal.SIGKILL)
        # Lines written after our last read were committed too: collect them.
        rest, _ = proc.communicate()
        committed.extend(int(x) for x in rest.split())
        reopened = Store.unlock(data_dir, PASSPHRASE)
        try:
            for i in committed:
                assert reopened.meta(f"row-{i}") is not None, f"committed row {i} lost"
        finally:
            reopened.close()
    assert len(committed) >= 12 * 5


def test_only_a_write_asked_so_skips_its_fsync(tmp_path):
    """durable=False commits with synchronous = NORMAL; every other transaction on the same
    pooled connection is back at FULL."""
    store, _ = Store.create(tmp_path / "data", PASSPHRASE, kdf=FAST_KDF)
    try:

        def level(**kw: bool) -> int:
            with store.write(**kw) as s:
                return s.connection().exec_driver_sql("PRAGMA synchronous").scalar()

        assert level() == 2  # FULL
        assert level(durable=False) == 1  # NORMAL
        assert level() == 2
        with store.session() as s:
            assert s.connection().exec_driver_sql("PRAGMA synchronous").scalar() == 2
        with store.write(durable=False) as s:
            s.connection().exec_driver_sql(
                "INSERT INTO store_meta (key, value) VALUES ('lazy', 'kept')"
            )
        assert store.meta("lazy") == "kept"
        assert store.engine.pool.checkedout() == 0
    finally:
        store.close()
    reopened = Store.unlock(tmp_path / "data", PASSPHRASE)
    try:
        assert reopened.meta("lazy") == "kept"
    finally:
        reopened.close()
