"""Overviews for the desktop: fetched from the server (suppressed there), written as CSV or
JSON exactly as shown; and the monitoring export of the local store (pseudonymous rows).

Any thread may call these functions (they do not touch Qt); the network calls block.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from liaison_desktop import __version__
from liaison_desktop.domain import model as dm
from liaison_desktop.domain.overview import (
    EXPORT_COLUMNS,
    Granularity,
    Overview,
    Scope,
    ScopeKind,
    export_rows,
    figures_from_values,
    period_from_key,
)
from liaison_desktop.services import enrolment
from liaison_desktop.services.api import Services
from liaison_desktop.services.files import write_private
from liaison_desktop.store import overview_repo
from liaison_desktop.sync.protocol import OverviewReply, Role

META_MONITORING_SECRET = "monitoring.secret"  # noqa: S105 - a meta key name


class OverviewError(Exception):
    """A Dutch message for the user (bad reply, no teams)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(slots=True)
class FetchedOverview:
    """The overview as the server sent it, rebuilt as domain figures, with scope names."""

    overview: Overview
    names: dict[str, str]
    title: str
    generated_at: datetime


def role_of(services: Services) -> Role | None:
    """The role this laptop was enrolled with (None when not enrolled)."""
    value = services.store.meta(enrolment.META_ROLE)
    try:
        return Role(value) if value else None
    except ValueError:
        return None


def overview_from_reply(reply: OverviewReply) -> FetchedOverview:
    """Domain figures from the wire reply. Raises OverviewError on a malformed reply."""
    try:
        columns = list(reply.columns)
        rows = []
        names: dict[str, str] = {}
        scopes: list[Scope] = []
        periods = []
        seen_scopes: set[tuple[str, str]] = set()
        seen_periods: set[str] = set()
        for r in reply.rows:
            is_root = r.scope_kind == reply.scope_kind and r.scope_id == reply.scope_id
            scope = Scope(ScopeKind(r.scope_kind), r.scope_id, is_root)
            period = period_from_key(r.period)
            if (r.scope_kind, r.scope_id) not in seen_scopes:
                seen_scopes.add((r.scope_kind, r.scope_id))
                scopes.append(scope)
            if r.period not in seen_periods:
                seen_periods.add(r.period)
                periods.append(period)
            if r.scope_name:
                names[r.scope_id] = r.scope_name
            rows.append(figures_from_values(scope, period, columns, r.values))
        overview = Overview(
            threshold=reply.threshold,
            granularity=Granularity(reply.granularity),
            first=date.fromisoformat(reply.first),
            last=date.fromisoformat(reply.last),
            as_of=date.fromisoformat(reply.as_of),
            scopes=scopes,
            periods=sorted(periods, key=lambda p: p.start),
            rows=rows,
        )
    except (ValueError, KeyError) as exc:
        raise OverviewError(f"Onverwacht overzicht van de server ({exc}).") from exc
    names.setdefault(reply.scope_id, reply.scope_name)
    return FetchedOverview(overview, names, reply.scope_name, reply.generated_at)


def fetch_overview(
    services: Services,
    first: date,
    last: date,
    granularity: Granularity | str = Granularity.MONTH,
    *,
    team_id: str | None = None,
    client_factory: enrolment.ClientFactory = enrolment.default_client,
) -> FetchedOverview:
    """The team's overview (a team leader; default their first team) or the professional's
    own figures. Raises the transport's errors (offline, refused) and OverviewError."""
    granularity = Granularity(granularity)
    with enrolment.server_client(services, client_factory=client_factory) as client:
        if role_of(services) is Role.TEAM_LEADER:
            if team_id is None:
                teams = sorted(client.me().team_ids)
                if not teams:
                    raise OverviewError("Dit account leidt (nog) geen team.")
                team_id = teams[0]
            reply = client.overview(
                first.isoformat(), last.isoformat(), granularity.value, team_id=team_id
            )
        else:
            reply = client.overview(first.isoformat(), last.isoformat(), granularity.value)
    return overview_from_reply(reply)


def team_ids(
    services: Services, *, client_factory: enrolment.ClientFactory = enrolment.default_client
) -> tuple[str, ...]:
    with enrolment.server_client(services, client_factory=client_factory) as client:
        return tuple(sorted(client.me().team_ids))


# -- writing overviews ------------------------------------------------------------------------


def overview_rows(fetched: FetchedOverview) -> list[dict[str, str]]:
    """The rows of every export: suppressed counts as "<5", like the screen."""
    return export_rows(fetched.overview, fetched.names)


def overview_csv(fetched: FetchedOverview) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(EXPORT_COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(overview_rows(fetched))
    return buf.getvalue().encode("utf-8")


def overview_json(fetched: FetchedOverview) -> bytes:
    ov = fetched.overview
    data = {
        "format": "liaison-overview",
        "version": 1,
        "app_version": __version__,
        "title": fetched.title,
        "granularity": ov.granularity.value,
        "from": ov.first.isoformat(),
        "to": ov.last.isoformat(),
        "as_of": ov.as_of.isoformat(),
        "threshold": ov.threshold,
        "suppressed_marker": f"<{ov.threshold}",
        "generated_at": fetched.generated_at.astimezone(UTC).isoformat(timespec="seconds"),
        "rows": overview_rows(fetched),
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def write_overview(path: Path | str, fetched: FetchedOverview, fmt: str) -> Path:
    """Write the overview as ``csv`` or ``json`` (owner-only, atomic)."""
    if fmt not in ("csv", "json"):
        raise OverviewError("Kies csv of json.")
    path = Path(path)
    write_private(path, overview_csv(fetched) if fmt == "csv" else overview_json(fetched))
    return path


# -- the monitoring export (docs/monitoring-export.md) ------------------------------------------

MONITORING_COLUMNS: tuple[str, ...] = (
    "pseudo_id",
    "practice",
    "practice_municipality",
    "referred_on",
    "first_contact_on",
    "closed_on",
    "status",
    "outcome",
    "request_category",
    "conversation_count",
    "waiting_days",
    "age_band",
)


def age_band_at(dob: date | None, day: date) -> str:
    """The monitoring age band at ``day`` (0-3, 4-11, 12-15, 16-17, 18+; "" unknown)."""
    if dob is None:
        return ""
    age = day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
    if age <= 3:
        return "0-3"
    if age <= 11:
        return "4-11"
    if age <= 15:
        return "12-15"
    if age <= 17:
        return "16-17"
    return "18+"


def _monitoring_secret(services: Services) -> bytes:
    """A random per-store key for the pseudonymous ids, kept in the encrypted store."""
    value = services.store.meta(META_MONITORING_SECRET)
    if not value:
        value = secrets.token_hex(32)
        services.store.set_meta(META_MONITORING_SECRET, value)
    return bytes.fromhex(value)


def pseudo_id(secret: bytes, trajectory_id: str) -> str:
    """HMAC-SHA256 of the trajectory id: stable for this store, meaningless without it."""
    digest = hmac.new(secret, f"monitoring:v1:{trajectory_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class MonitoringReport:
    path: Path
    rows: int


def monitoring_rows(services: Services, first: date, last: date) -> list[dict[str, Any]]:
    """One row per trajectory open at some time in ``first``..``last``; no direct identifiers."""
    if last < first:
        raise OverviewError("De einddatum ligt vóór de begindatum.")
    secret = _monitoring_secret(services)
    with services.store.session() as s:
        records = overview_repo.monitoring_records(s, first, last)
    rows = []
    for r in records:
        wait = (r.first_contact_on - r.referred_on).days if r.first_contact_on else None
        rows.append(
            {
                "pseudo_id": pseudo_id(secret, r.trajectory_id),
                "practice": r.practice_name,
                "practice_municipality": r.practice_municipality,
                "referred_on": r.referred_on.isoformat(),
                "first_contact_on": r.first_contact_on.isoformat() if r.first_contact_on else None,
                "closed_on": r.closed_on.isoformat() if r.closed_on else None,
                "status": r.status,
                "outcome": r.outcome,
                "request_category": r.request_category,
                "conversation_count": r.conversation_count,
                "waiting_days": max(0, wait) if wait is not None else None,
                "age_band": age_band_at(r.date_of_birth, r.referred_on),
            }
        )
    return rows


def export_monitoring(
    services: Services, out: Path | str, first: date, last: date, fmt: str | None = None
) -> MonitoringReport:
    """Write the monitoring export (CSV or JSON by ``fmt`` or the file extension) and log it."""
    out = Path(out)
    fmt = fmt or out.suffix.lower().lstrip(".")
    if fmt not in ("csv", "json"):
        raise OverviewError("Geef een bestandsnaam op .csv of .json.")
    rows = monitoring_rows(services, first, last)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(MONITORING_COLUMNS), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in rows)
        data = buf.getvalue().encode("utf-8")
    else:
        data = json.dumps(
            {
                "format": "liaison-monitoring",
                "version": 1,
                "from": first.isoformat(),
                "to": last.isoformat(),
                "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "columns": list(MONITORING_COLUMNS),
                "rows": rows,
            },
            ensure_ascii=False,
            indent=1,
        ).encode("utf-8")
    with services.store.write() as s:
        services._log(s, dm.AccessAction.EXPORT, "monitoring")  # noqa: SLF001 - same layer
        write_private(out, data)
    return MonitoringReport(out, len(rows))
