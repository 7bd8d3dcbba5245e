"""Store group: key unlock, store open, caseload and search reads, inserts, SQLCipher vs SQLite.

Every figure goes through the real code path (KeyFile, Store, Services, repo). Generated stores
live in the run's scratch folder and are reused within the run only.
"""

from __future__ import annotations

import gc
import random
import statistics
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.pool import QueuePool

from benchmarks import Options, log, median_ms, ms, timed
from liaison_desktop.domain import model as dm
from liaison_desktop.domain.conversations import counts_by_default
from liaison_desktop.domain.model import new_id
from liaison_desktop.services import demo, workspace
from liaison_desktop.services.api import CASELOAD_FIRST_PAGE as FIRST_PAGE_ROWS
from liaison_desktop.services.api import CaseloadQuery, Services
from liaison_desktop.store import models as m
from liaison_desktop.store.engine import DEFAULT_CACHE_MIB, PAGE_SIZE, WRITE
from liaison_desktop.store.keys import KdfParams, KeyFile
from liaison_desktop.store.store import Store, StorePaths

PASSPHRASE = "benchmark olifant fietst langzaam"
# Generated data stores use a cheap KDF to save set-up time; unlock_kdf_ms measures the default.
SETUP_KDF = KdfParams(memory_kib=1024, iterations=1, lanes=1)
KDF_REPEAT = 5
READ_REPEAT = 50
RATIO_ROUNDS = 20
# The 100,000-client run repeats less (a caseload read takes seconds there).
LARGE_READ_REPEAT = 10
LARGE_RATIO_ROUNDS = 5
SINGLE_INSERT_REPEAT = 20
BULK_CONTACTS = 10_000
BULK_REPEAT = 3
OPEN_CONTACTS = 100_000
OPEN_REPEAT = 10
SEARCH_WORDS = 12
LARGE_CLIENTS = 100_000

TARGETS: dict[str, tuple[str, Any]] = {
    "caseload_query_ms": ("<=", 10),
    "name_search_ms": ("<=", 15),
    "sqlcipher_vs_sqlite_ratio": ("<=", 1.15),
    "open_store_ms": ("<=", 100),
    "unlock_kdf_ms": ("between", (100, 1000)),
}


@dataclass
class Dataset:
    """A generated encrypted store, open through Services."""

    clients: int
    paths: StorePaths
    keyfile: KeyFile
    key: bytes
    services: Services


# --------------------------------------------------------------------------- set-up


def build_dataset(root: Path, n_clients: int) -> Dataset:
    data_dir = root / f"store-{n_clients}"
    log(f"generating {n_clients:,} demo clients in {data_dir}")
    services, _ = workspace.create_workspace(data_dir, PASSPHRASE, "Benchmark", kdf=SETUP_KDF)
    t0 = time.perf_counter()
    step = max(1, n_clients // 10)
    last = [0]

    def progress(done: int, total: int) -> None:
        if done - last[0] >= step or done == total:
            last[0] = done
            log(f"  {done:,}/{total:,} clients ({time.perf_counter() - t0:.0f}s)")

    demo.generate(services, n_clients, progress=progress)
    services.store.checkpoint()
    keyfile = services.store.keyfile
    key = keyfile.unlock(PASSPHRASE)
    return Dataset(n_clients, services.store.paths, keyfile, key, services)


def reopen(ds: Dataset) -> None:
    """A fresh engine, as the app has after unlocking (the page cache starts cold)."""
    ds.services.lock()
    ds.services = Services(Store.open_with_key(ds.paths, ds.keyfile, ds.key))


def search_words(services: Services, count: int = SEARCH_WORDS, seed: int = 11) -> list[str]:
    """What a professional types to find a client on their caseload, taken from the data.

    Cycles through a whole surname, a first name plus the start of the surname, and the first
    four letters of a surname.
    """
    C, T = m.ClientRow, m.TrajectoryRow
    with services.store.session() as s:
        names = s.execute(
            select(C.first_name, C.last_name)
            .join(T, T.client_id == C.id)
            .where(T.status != dm.TrajectoryStatus.CLOSED)
            .order_by(C.id)
        ).all()
    rng = random.Random(seed)
    words = []
    for k, (first, last) in enumerate(rng.sample(names, min(count, len(names)))):
        surname = last.split()[-1]  # "de Jong" -> "Jong"
        words.append([surname, f"{first} {surname[:3]}", surname[:4]][k % 3])
    return words


def open_trajectories(services: Services) -> list[tuple[str, str, str]]:
    T = m.TrajectoryRow
    with services.store.session() as s:
        rows = s.execute(
            select(T.id, T.client_id, T.practice_id)
            .where(T.status != dm.TrajectoryStatus.CLOSED)
            .order_by(T.id)
        ).all()
    return [tuple(r) for r in rows]


def make_contacts(
    trajectories: list[tuple[str, str, str]], n: int, rng: random.Random
) -> list[dm.Contact]:
    """``n`` realistic contacts in the last 60 days on open trajectories."""
    kinds = [
        (dm.ContactType.CONVERSATION_CHILD, (dm.Participant.CHILD,)),
        (dm.ContactType.CONVERSATION_PARENTS, (dm.Participant.PARENT,)),
        (dm.ContactType.CONVERSATION_FAMILY, (dm.Participant.CHILD, dm.Participant.PARENT)),
        (dm.ContactType.PHONE, (dm.Participant.PARENT,)),
    ]
    now = datetime.now().replace(second=0, microsecond=0)
    out = []
    for _ in range(n):
        tid, cid, pid = rng.choice(trajectories)
        ctype, participants = rng.choice(kinds)
        out.append(
            dm.Contact(
                client_id=cid,
                trajectory_id=tid,
                type=ctype,
                start=now - timedelta(minutes=30 * rng.randrange(2, 2880)),
                duration_min=rng.choice((30, 45, 60)),
                practice_id=pid,
                participants=participants,
                note=rng.choice(demo.NOTES),
                counts_as_conversation=counts_by_default(ctype),
            )
        )
    return out


# --------------------------------------------------------------------------- plain SQLite twin


def export_plain(ds: Dataset, target: Path) -> Path:
    """A plain (unencrypted) SQLite copy of the store with the same schema and data."""
    conn = sqlcipher3.connect(str(ds.paths.db))
    try:
        conn.execute(f"PRAGMA key = \"x'{ds.key.hex()}'\"")
        conn.execute(f"PRAGMA cipher_page_size = {PAGE_SIZE}")
        conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(target),))
        conn.execute("SELECT sqlcipher_export('plain')")
        conn.execute("DETACH DATABASE plain")
    finally:
        conn.close()
    with target.open("rb") as fh:
        assert fh.read(16) == b"SQLite format 3\x00", "export is not a plain SQLite file"
    return target


def plain_engine(path: Path, module: Any = sqlcipher3) -> Engine:
    """An engine on a plain SQLite file with the store's own pragmas (WAL, 64 MiB cache).

    ``module`` is the DB-API driver: ``sqlcipher3`` without a key (the same SQLite build as
    the encrypted store, so only encryption differs) or the standard library's ``sqlite3``.
    """
    engine = create_engine(
        "sqlite://",
        creator=lambda: module.connect(str(path), check_same_thread=False),
        module=module,
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: object) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = FULL")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute("PRAGMA temp_store = MEMORY")
            cur.execute(f"PRAGMA cache_size = {-DEFAULT_CACHE_MIB * 1024}")
            cur.execute("PRAGMA busy_timeout = 5000")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(
            "BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN"
        )

    return engine


def plain_services(ds: Dataset, path: Path, module: Any = sqlcipher3) -> Services:
    """The real Services and Store code, over a plain SQLite engine instead of SQLCipher."""
    store = Store(StorePaths(path.parent), plain_engine(path, module), ds.keyfile, ds.key)
    return Services(store)


# --------------------------------------------------------------------------- measurements


def measure_kdf(workdir: Path) -> dict[str, Any]:
    params = KdfParams()  # the production default: 64 MiB, t=3, p=4
    log(
        f"unlock with the default KDF ({params.memory_kib // 1024} MiB, t={params.iterations}, "
        f"p={params.lanes}) x{KDF_REPEAT}"
    )
    keyfile, key, _ = KeyFile.create(workdir / "kdf-keys.json", PASSPHRASE, new_id(), params)

    def unlock(_: int) -> None:
        assert keyfile.unlock(PASSPHRASE) == key

    return {
        "unlock_kdf_ms": median_ms(unlock, KDF_REPEAT),
        "unlock_kdf_params": params.to_json(),
    }


def read_workload(services: Services, words: list[str], i: int) -> None:
    """One caseload refresh plus a name search as the UI runs it and a client search."""
    word = words[i % len(words)]
    services.caseload()
    services.caseload(CaseloadQuery(text=word))
    services.search_clients(word)


def measure_reads(
    ds: Dataset, workdir: Path, repeat: int = READ_REPEAT, rounds: int = RATIO_ROUNDS
) -> dict[str, Any]:
    reopen(ds)
    svc = ds.services
    words = search_words(svc)
    log(f"reads x{repeat}; search words: {words}")
    rows = len(svc.caseload())
    hits = [len(svc.caseload(CaseloadQuery(text=w))) for w in words]
    out: dict[str, Any] = {
        "caseload_rows": rows,
        # What the app runs first after unlock: one page (longest waiting) and the count.
        "caseload_query_ms": median_ms(
            lambda i: svc.caseload_page(CaseloadQuery(), limit=FIRST_PAGE_ROWS), repeat, warmup=2
        ),
        "caseload_page_rows": FIRST_PAGE_ROWS,
        # The whole open caseload, which the app loads right after the first page.
        "caseload_full_ms": median_ms(lambda i: svc.caseload(), repeat, warmup=2),
        "name_search_ms": median_ms(
            lambda i: svc.caseload(CaseloadQuery(text=words[i % len(words)])), repeat
        ),
        "name_search_rows_median": statistics.median(hits),
        "client_search_ms": median_ms(lambda i: svc.search_clients(words[i % len(words)]), repeat),
        "read_repeats": repeat,
    }

    log("plain SQLite copy via sqlcipher_export")
    plain_path, secs = timed(lambda: export_plain(ds, workdir / f"plain-{ds.clients}.db"))
    log(f"  exported in {secs:.1f}s; read workload x{rounds}, interleaved")
    plain = plain_services(ds, plain_path)
    stdlib = plain_services(ds, plain_path, module=__import__("sqlite3"))
    try:
        assert len(plain.caseload()) == rows and len(stdlib.caseload()) == rows
        samples: dict[str, list[float]] = {"enc": [], "plain": [], "stdlib": []}
        targets = {"enc": svc, "plain": plain, "stdlib": stdlib}
        for s in targets.values():
            read_workload(s, words, 0)  # warm each page cache once
        for i in range(rounds):
            order = list(targets.items())
            if i % 2:
                order.reverse()  # neither side always runs first
            for name, s in order:
                # The workload builds thousands of Python rows; a full garbage collection of
                # this process (millions of objects after generating the data) landing in one
                # side's round made the ratio swing between 0.5 and 1.5. Collect first and
                # keep the collector out of the timed part, for all three alike: the ratio is
                # about storage and encryption.
                gc.collect()
                gc.disable()
                try:
                    t0 = time.perf_counter()
                    read_workload(s, words, i)
                    samples[name].append(time.perf_counter() - t0)
                finally:
                    gc.enable()
        med = {k: statistics.median(v) for k, v in samples.items()}
        out.update(
            {
                "read_workload_ms": ms(med["enc"]),
                "read_workload_plain_ms": ms(med["plain"]),
                "sqlcipher_vs_sqlite_ratio": round(med["enc"] / med["plain"], 3),
                "read_workload_stdlib_sqlite_ms": ms(med["stdlib"]),
                "sqlcipher_vs_stdlib_sqlite_ratio": round(med["enc"] / med["stdlib"], 3),
            }
        )
    finally:
        plain.lock()
        stdlib.lock()
    return out


def measure_writes(ds: Dataset) -> dict[str, Any]:
    svc = ds.services
    rng = random.Random(5)
    trajectories = open_trajectories(svc)
    singles = make_contacts(trajectories, SINGLE_INSERT_REPEAT + 1, rng)
    log(f"log_contact x{SINGLE_INSERT_REPEAT}")
    single_ms = median_ms(lambda i: svc.log_contact(singles[i + 1]), SINGLE_INSERT_REPEAT, 0)
    svc.log_contact(singles[0])
    bulk_samples = []
    for k in range(BULK_REPEAT):
        batch = make_contacts(trajectories, BULK_CONTACTS, rng)
        _, secs = timed(lambda batch=batch: svc.import_bulk(batch))
        bulk_samples.append(secs)
        log(f"  import_bulk of {BULK_CONTACTS:,} contacts #{k + 1}: {secs * 1000:.0f} ms")
    return {
        "insert_contact_single_ms": single_ms,
        "insert_10k_contacts_ms": ms(statistics.median(bulk_samples)),
    }


def top_up_contacts(ds: Dataset, wanted: int) -> int:
    """Add contacts through Services.import_bulk until the store holds ``wanted``.

    They go to a few hundred trajectories only: import_bulk recounts the conversations of
    every trajectory it touches, and only the file size matters for the open benchmark.
    """
    svc = ds.services
    have = svc.counts()["contacts"]
    if have < wanted:
        log(f"adding {wanted - have:,} contacts for the open benchmark ({have:,} now)")
        rng = random.Random(9)
        pool = open_trajectories(svc)
        trajectories = rng.sample(pool, min(300, len(pool)))
        while have < wanted:
            n = min(20_000, wanted - have)
            svc.import_bulk(make_contacts(trajectories, n, rng))
            have += n
    return svc.counts()["contacts"]


def measure_open(ds: Dataset) -> dict[str, Any]:
    contacts = top_up_contacts(ds, OPEN_CONTACTS)
    ds.services.store.checkpoint()
    ds.services.lock()
    log(f"Store.open_with_key x{OPEN_REPEAT} ({contacts:,} contacts)")
    samples = []
    for i in range(OPEN_REPEAT + 1):
        t0 = time.perf_counter()
        store = Store.open_with_key(ds.paths, ds.keyfile, ds.key)
        secs = time.perf_counter() - t0
        store.close()
        if i:  # the first open warms the OS file cache and imports
            samples.append(secs)
    ds.services = Services(Store.open_with_key(ds.paths, ds.keyfile, ds.key))
    return {"open_store_ms": ms(statistics.median(samples)), "open_store_contacts": contacts}


def measure_size(ds: Dataset, workdir: Path, *, large: bool = False) -> dict[str, Any]:
    counts = ds.services.counts()
    out: dict[str, Any] = {"clients": counts["clients"], "contacts": counts["contacts"]}
    if large:
        out.update(measure_reads(ds, workdir, LARGE_READ_REPEAT, LARGE_RATIO_ROUNDS))
    else:
        out.update(measure_reads(ds, workdir))
    out.update(measure_writes(ds))
    out.update(measure_open(ds))
    return out


def sqlcipher_version(ds: Dataset) -> str:
    with ds.services.store.engine.connect() as conn:
        return str(conn.exec_driver_sql("PRAGMA cipher_version").scalar())


def run(opts: Options) -> dict[str, Any]:
    out: dict[str, Any] = {}
    out.update(measure_kdf(opts.workdir))
    ds = build_dataset(opts.workdir, opts.clients)
    try:
        out["sqlcipher_version"] = sqlcipher_version(ds)
        out["sqlite_version"] = sqlcipher3.sqlite_version
        out.update(measure_size(ds, opts.workdir))
    finally:
        ds.services.lock()
    if opts.large and opts.clients != LARGE_CLIENTS:
        big = build_dataset(opts.workdir, LARGE_CLIENTS)
        try:
            figures = measure_size(big, opts.workdir, large=True)
            out.update({f"{k}_100k": v for k, v in figures.items()})
        finally:
            big.services.lock()
    return out
