"""The desktop's HTTP client to the central endpoint: TLS, proxy, limits, Dutch errors.

Standard library ``http.client`` over one keep-alive connection. TLS is verified against the
operating system's trust store (``truststore``) plus an optional CA that IT pins for its own
server. The system proxy comes from ``urllib.request.getproxies()`` (environment variables,
and the Windows registry / macOS settings). Request and response bodies are size-limited.
Every failure is a :class:`TransportError` with a Dutch message a professional can act on;
the device token never appears in a message or log line.

Thread use: one Transport is used by one thread at a time (the sync worker).
"""

from __future__ import annotations

import base64
import gzip
import http.client
import ipaddress
import json
import logging
import socket
import ssl
import urllib.parse
import urllib.request
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

from liaison_desktop import __version__
from liaison_desktop.sync.protocol import (
    GZIP_MIN_BYTES,
    OVERVIEW_PATH,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    AgendaItem,
    AgendaItemPost,
    AgendaKey,
    AgendaPaths,
    Change,
    EnrolRequest,
    EnrolResponse,
    ErrorCode,
    Health,
    Me,
    MeetingPut,
    OverviewReply,
    Paths,
    Ping,
    ProtocolError,
    PullReply,
    PushReply,
    PushRequest,
    TeamAgenda,
    TeamKeyWraps,
    Vault,
    VaultPut,
)

__all__ = [
    "ApiRefused",
    "BadResponse",
    "DeviceRevoked",
    "EnrolmentCodeRefused",
    "Forbidden",
    "ProtocolUnsupported",
    "RateLimited",
    "RequestTooLarge",
    "ResponseTooLarge",
    "ServerClient",
    "ServerError",
    "ServerUnreachable",
    "TlsError",
    "Transport",
    "TransportError",
    "Unauthorized",
    "make_ssl_context",
]

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 15.0
MAX_REQUEST_BYTES = 16 * 1024 * 1024
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
_MAX_SERVER_MESSAGE = 300
_IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


# -- errors ------------------------------------------------------------------------------


class TransportError(Exception):
    """Talking to the server failed; ``message`` is Dutch and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ServerUnreachable(TransportError):
    """No connection (offline, wrong address, timeout, proxy refused). Offline is normal."""


class TlsError(TransportError):
    """The server's certificate is not trusted or does not match its name."""


class RequestTooLarge(TransportError):
    pass


class ResponseTooLarge(TransportError):
    pass


class BadResponse(TransportError):
    """The answer is not what the protocol promises (not JSON, wrong shape)."""


class ApiRefused(TransportError):
    """The server answered with an error status; ``code`` is its ErrorCode value."""

    def __init__(self, message: str, status: int, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class ServerError(ApiRefused):
    """5xx: a problem on the server; trying again later may help."""


class Unauthorized(ApiRefused):
    """401: the token is missing, unknown or expired (enrol again)."""


class DeviceRevoked(Unauthorized):
    """The administrator revoked this laptop: lock the app and offer to wipe local data."""


class EnrolmentCodeRefused(Unauthorized):
    """A wrong, used or expired enrolment code."""


class Forbidden(ApiRefused):
    """403: this account may not do this."""


class ProtocolUnsupported(ApiRefused):
    """426: the server does not speak this laptop's protocol version (update the app)."""

    def __init__(self, message: str, status: int, code: str, supported: tuple[int, ...]) -> None:
        super().__init__(message, status, code)
        self.supported = supported


class RateLimited(ApiRefused):
    def __init__(self, message: str, status: int, code: str, retry_after: float | None) -> None:
        super().__init__(message, status, code)
        self.retry_after = retry_after


# -- TLS and proxy -----------------------------------------------------------------------


def make_ssl_context(ca_pem: str | None = None) -> ssl.SSLContext:
    """The OS trust store (truststore), plus ``ca_pem`` (PEM text) when IT pins its own CA."""
    try:
        import truststore

        ctx: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    except ImportError:  # pragma: no cover - truststore is a dependency
        ctx = ssl.create_default_context()
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if ca_pem:
        try:
            ctx.load_verify_locations(cadata=ca_pem)
        except (ssl.SSLError, ValueError) as exc:
            raise TlsError("Het CA-certificaat voor de server is geen geldig PEM-bestand.") from exc
    return ctx


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _proxy_for(
    scheme: str, host: str, proxies: Mapping[str, str]
) -> urllib.parse.SplitResult | None:
    if _is_loopback(host):
        return None
    url = proxies.get(scheme) or proxies.get("all")
    if not url:
        return None
    no_proxy = proxies.get("no")
    if no_proxy is not None:
        # urllib's own matching; it reads no_proxy from the environment when it is set there.
        if urllib.request.proxy_bypass_environment(host, {"no": no_proxy}):
            return None
    elif urllib.request.proxy_bypass(host):
        return None
    if "://" not in url:
        url = "http://" + url
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "") or not parts.hostname:
        log.warning("proxy %s ignored: only http:// proxies are supported", parts.scheme)
        return None
    return parts


def _proxy_auth(proxy: urllib.parse.SplitResult) -> dict[str, str]:
    if proxy.username is None:
        return {}
    user = urllib.parse.unquote(proxy.username)
    password = urllib.parse.unquote(proxy.password or "")
    raw = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return {"Proxy-Authorization": f"Basic {raw}"}


# -- transport ---------------------------------------------------------------------------


class Transport:
    """JSON over HTTP(S) to one server, on one keep-alive connection."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        ca_pem: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_request_bytes: int = MAX_REQUEST_BYTES,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        proxies: Mapping[str, str] | None = None,
        allow_plain_http: bool = False,
    ) -> None:
        self.base_url = normalise_server_url(base_url, allow_plain_http=allow_plain_http)
        parts = urllib.parse.urlsplit(self.base_url)
        self.scheme = parts.scheme
        self.host = parts.hostname or ""
        self.port = parts.port or (443 if self.scheme == "https" else 80)
        self.base_path = parts.path.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.max_request_bytes = max_request_bytes
        self.max_response_bytes = max_response_bytes
        self._ssl = make_ssl_context(ca_pem) if self.scheme == "https" else None
        self._proxies = dict(urllib.request.getproxies() if proxies is None else proxies)
        self._proxy = _proxy_for(self.scheme, self.host, self._proxies)
        self._conn: http.client.HTTPConnection | None = None
        self._reused = False

    # -- connection

    def _connect(self) -> http.client.HTTPConnection:
        proxy = self._proxy
        if self.scheme == "https":
            if proxy is not None:
                conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                    proxy.hostname or "",
                    proxy.port or 8080,
                    timeout=self.timeout,
                    context=self._ssl,
                )
                conn.set_tunnel(self.host, self.port, headers=_proxy_auth(proxy))
            else:
                conn = http.client.HTTPSConnection(
                    self.host, self.port, timeout=self.timeout, context=self._ssl
                )
        elif proxy is not None:
            conn = http.client.HTTPConnection(
                proxy.hostname or "", proxy.port or 8080, timeout=self.timeout
            )
        else:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- requests

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        idempotent: bool | None = None,
        authenticated: bool = True,
        compress: bool = False,
    ) -> Any:
        """Send ``body`` as JSON, return the parsed JSON answer, or raise a TransportError.

        With ``compress`` a body above 1 KiB travels gzip-compressed (only the sync routes
        accept that). Answers may always come gzip-compressed.
        """
        method = method.upper()
        payload = None
        gzipped = False
        if body is not None:
            payload = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
            if compress and len(payload) > GZIP_MIN_BYTES:
                payload = gzip.compress(payload, compresslevel=5, mtime=0)
                gzipped = True
            if len(payload) > self.max_request_bytes:
                raise RequestTooLarge(
                    "Het verzoek is te groot om te versturen "
                    f"({len(payload) // 1024} kB; hoogstens {self.max_request_bytes // 1024} kB)."
                )
        headers = {
            "Accept": "application/json",
            "Accept-Encoding": "gzip",
            "User-Agent": f"liaison-desktop/{__version__}",
            PROTOCOL_HEADER: str(PROTOCOL_VERSION),
        }
        if payload is not None:
            headers["Content-Type"] = "application/json"
            if gzipped:
                headers["Content-Encoding"] = "gzip"
        if authenticated and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self._proxy is not None and self.scheme == "http":
            headers.update(_proxy_auth(self._proxy))
            target = f"http://{self.host}:{self.port}{self.base_path}{path}"
        else:
            target = f"{self.base_path}{path}"
        if idempotent is None:
            idempotent = method in _IDEMPOTENT
        try:
            status, resp_headers, data = self._send(method, target, payload, headers, idempotent)
        except TransportError:
            self.close()
            raise
        return self._interpret(status, resp_headers, data)

    def _send(
        self,
        method: str,
        target: str,
        payload: bytes | None,
        headers: dict[str, str],
        idempotent: bool,
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = self._connect()
                self._reused = False
            reused = self._reused
            try:
                self._conn.request(method, target, body=payload, headers=headers)
                resp = self._conn.getresponse()
                data = self._read_limited(resp)
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self.close()
                # A kept-alive connection the server had already closed: the request never
                # arrived, so one retry is safe for idempotent requests.
                if reused and idempotent and attempt == 1:
                    continue
                raise ServerUnreachable(
                    self._unreachable_text("de verbinding werd verbroken")
                ) from exc
            except ssl.SSLCertVerificationError as exc:
                self.close()
                raise TlsError(
                    f"Het certificaat van de server {self.host} wordt niet vertrouwd. "
                    "Controleer het adres, of vraag de beheerder om het CA-certificaat "
                    "(--ca-file)."
                ) from exc
            except ssl.SSLError as exc:
                self.close()
                raise TlsError(
                    f"De beveiligde verbinding met {self.host} is mislukt ({exc.reason or 'TLS'})."
                ) from exc
            except TimeoutError as exc:
                self.close()
                raise ServerUnreachable(
                    f"De server {self.host} antwoordde niet binnen {self.timeout:g} seconden."
                ) from exc
            except OSError as exc:
                self.close()
                raise ServerUnreachable(self._unreachable_text(_os_reason(exc))) from exc
            except http.client.HTTPException as exc:
                self.close()
                raise BadResponse(
                    f"De server {self.host} gaf een onleesbaar antwoord ({type(exc).__name__})."
                ) from exc
            if resp.will_close:
                self.close()
            else:
                self._reused = True
            return resp.status, resp.headers, data
        raise AssertionError("unreachable")  # pragma: no cover

    def _read_limited(self, resp: http.client.HTTPResponse) -> bytes:
        length = resp.getheader("Content-Length")
        if length is not None and length.isdigit() and int(length) > self.max_response_bytes:
            self.close()
            raise ResponseTooLarge("Het antwoord van de server is te groot en is geweigerd.")
        data = resp.read(self.max_response_bytes + 1)
        if len(data) > self.max_response_bytes:
            self.close()
            raise ResponseTooLarge("Het antwoord van de server is te groot en is geweigerd.")
        encoding = (resp.getheader("Content-Encoding") or "").strip().lower()
        if encoding == "gzip" and data:
            data = self._gunzip(data)
        elif encoding not in ("", "identity"):
            raise BadResponse(f"De server {self.host} gaf een onleesbaar antwoord ({encoding}).")
        return data

    def _gunzip(self, data: bytes) -> bytes:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out = inflater.decompress(data, self.max_response_bytes + 1)
        except zlib.error as exc:
            raise BadResponse(
                f"De server {self.host} gaf een beschadigd gecomprimeerd antwoord."
            ) from exc
        if len(out) > self.max_response_bytes or inflater.unconsumed_tail:
            raise ResponseTooLarge("Het antwoord van de server is te groot en is geweigerd.")
        return out

    def _unreachable_text(self, reason: str) -> str:
        via = " (via de proxy)" if self._proxy is not None else ""
        return f"De server {self.host} is niet bereikbaar{via}: {reason}."

    def _interpret(self, status: int, headers: http.client.HTTPMessage, data: bytes) -> Any:
        parsed: Any = None
        if data:
            try:
                parsed = json.loads(data)
            except ValueError:
                parsed = None
        if 200 <= status < 300:
            if parsed is None and data:
                raise BadResponse(f"De server {self.host} gaf geen geldig antwoord (geen JSON).")
            return parsed
        code, message = "", ""
        if isinstance(parsed, dict):
            code = str(parsed.get("error") or "")
            raw = parsed.get("message")
            if isinstance(raw, str):
                message = raw[:_MAX_SERVER_MESSAGE]
        raise _error_for(status, code, message, headers, self.host)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, socket.gaierror):
        return "het adres is onbekend"
    if isinstance(exc, ConnectionRefusedError):
        return "de verbinding werd geweigerd"
    return "geen netwerkverbinding"


def _error_for(
    status: int, code: str, message: str, headers: http.client.HTTPMessage, host: str
) -> TransportError:
    if status == 401:
        if code == ErrorCode.DEVICE_REVOKED:
            return DeviceRevoked(
                "Deze laptop is door de beheerder ingetrokken. De gegevens worden vergrendeld; "
                "u kunt de gegevens op deze laptop wissen.",
                status,
                code,
            )
        if code in (ErrorCode.CODE_INVALID, ErrorCode.CODE_USED, ErrorCode.CODE_EXPIRED):
            return EnrolmentCodeRefused(message or "De aanmeldcode is geweigerd.", status, code)
        return Unauthorized(
            message or "De server herkent deze laptop niet (meer); meld hem opnieuw aan.",
            status,
            code,
        )
    if status == 403:
        return Forbidden(message or "U heeft geen toegang tot deze gegevens.", status, code)
    if status == 429:
        retry = headers.get("Retry-After")
        retry_after = float(retry) if retry and retry.isdigit() else None
        wait = (
            f" Probeer het over {int(retry_after // 60) + 1} minuten opnieuw."
            if retry_after
            else ""
        )
        return RateLimited((message or "Te veel pogingen.") + wait, status, code, retry_after)
    if status == 413:
        return RequestTooLarge(message or "Het verzoek is te groot voor de server.")
    if status == 426:
        supported = tuple(
            int(v)
            for v in (headers.get(PROTOCOL_HEADER) or "").replace(" ", "").split(",")
            if v.isdigit()
        )
        return ProtocolUnsupported(
            message or "Deze versie van Liaison Desktop kan niet met de server synchroniseren.",
            status,
            code,
            supported,
        )
    if status >= 500:
        return ServerError(
            f"De server {host} heeft een probleem (fout {status}); probeer het later opnieuw.",
            status,
            code or ErrorCode.SERVER_ERROR,
        )
    return ApiRefused(message or f"De server weigerde het verzoek (fout {status}).", status, code)


def normalise_server_url(url: str, *, allow_plain_http: bool = False) -> str:
    """``https://host[:port][/path]`` without a trailing slash; plain http only on loopback
    (or with ``allow_plain_http``, for tests)."""
    url = (url or "").strip()
    if "://" not in url:
        url = "https://" + url
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TransportError(f"Ongeldig serveradres: {url!r}. Gebruik https://server[:poort].")
    if parts.scheme == "http" and not (allow_plain_http or _is_loopback(parts.hostname)):
        raise TransportError(
            "Gebruik https:// voor de server: over http zou het apparaattoken onversleuteld "
            "over het netwerk gaan."
        )
    if parts.query or parts.fragment or parts.username:
        raise TransportError("Het serveradres mag geen gebruikersnaam, ? of # bevatten.")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


# -- typed API ---------------------------------------------------------------------------


class ServerClient:
    """The typed routes of the central endpoint over a :class:`Transport`."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> ServerClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _get(self, path: str, cls: Any) -> Any:
        try:
            return cls.from_json(self.transport.request("GET", path))
        except ProtocolError as exc:
            raise BadResponse(f"Onverwacht antwoord van de server ({exc}).") from exc

    def health(self) -> Health:
        try:
            return Health.from_json(
                self.transport.request("GET", Paths.HEALTH, authenticated=False)
            )
        except ProtocolError as exc:
            raise BadResponse(f"Onverwacht antwoord van de server ({exc}).") from exc

    def enrol(self, request: EnrolRequest) -> EnrolResponse:
        data = self.transport.request("POST", Paths.ENROL, request.to_json(), authenticated=False)
        try:
            return EnrolResponse.from_json(data)
        except ProtocolError as exc:
            raise BadResponse(f"Onverwacht antwoord van de server ({exc}).") from exc

    def ping(self) -> Ping:
        return self._get(Paths.PING, Ping)

    def me(self) -> Me:
        return self._get(Paths.ME, Me)

    def update_manifest(self) -> Any | None:
        """The signed update envelope IT published (not yet verified), or None when none is.

        No token needed. The answer is limited to ``signing.MAX_MANIFEST_BYTES`` before it
        is parsed; verify it with ``signing.verify_manifest``.
        """
        from liaison_desktop.sync.signing import MAX_MANIFEST_BYTES, UPDATE_MANIFEST_PATH

        limit = self.transport.max_response_bytes
        self.transport.max_response_bytes = min(limit, MAX_MANIFEST_BYTES)
        try:
            return self.transport.request("GET", UPDATE_MANIFEST_PATH, authenticated=False)
        except ApiRefused as exc:
            if exc.status == 404:
                return None
            raise
        finally:
            self.transport.max_response_bytes = limit

    # -- sync (docs/sync-protocol.md)

    def push(
        self,
        device_id: str,
        changes: Sequence[Change],
        *,
        batch_id: str,
        cursor: int | None = None,
        only_if_current: bool = False,
    ) -> PushReply:
        """Push one batch (at most ``MAX_BATCH_CHANGES``). Safe to retry with the same
        changes after any failure: the server stores each change id at most once.
        ``only_if_current``: see :class:`~liaison_desktop.sync.protocol.PushRequest`."""
        request = PushRequest(
            PROTOCOL_VERSION, device_id, batch_id, tuple(changes), cursor, only_if_current
        )
        data = self.transport.request(
            "POST", Paths.SYNC_PUSH, request.to_json(), idempotent=True, compress=True
        )
        try:
            return PushReply.from_json(data)
        except ProtocolError as exc:
            raise BadResponse(f"Onverwacht antwoord van de server ({exc}).") from exc

    def pull(self, after: int, limit: int = 5000, *, bookings: bool = False) -> PullReply:
        """One page of the user's changes from other devices after cursor ``after``.

        With ``bookings`` the last page also says which of this user's provisional room
        claims lost (``booking_conflicts``) or stand (``bookings_confirmed``)."""
        query = f"after={int(after)}&limit={int(limit)}" + ("&bookings=1" if bookings else "")
        return self._get(f"{Paths.SYNC_PULL}?{query}", PullReply)

    def get_vault(self) -> Vault:
        return self._get(Paths.SYNC_VAULT, Vault)

    # -- overviews (issue 7)

    def overview(
        self, first: str, last: str, period: str = "month", *, team_id: str | None = None
    ) -> OverviewReply:
        """A suppressed overview: the team ``team_id`` (a team leader's) or, without it, the
        caller's own figures. ``first``/``last`` are YYYY-MM-DD."""
        query = urllib.parse.urlencode({"from": first, "to": last, "period": period})
        if team_id is None:
            path = f"{OVERVIEW_PATH}/me"
        else:
            path = f"{OVERVIEW_PATH}/teams/{urllib.parse.quote(team_id, safe='')}"
        return self._get(f"{path}?{query}", OverviewReply)

    def put_vault(self, vault: VaultPut) -> Vault:
        data = self.transport.request("PUT", Paths.SYNC_VAULT, vault.to_json(), compress=True)
        try:
            return Vault.from_json(data)
        except ProtocolError as exc:
            raise BadResponse(f"Onverwacht antwoord van de server ({exc}).") from exc

    # -- neighbourhood-team agenda (docs/agenda.md)

    def _send_wire(self, method: str, path: str, body: Any, cls: Any) -> Any:
        data = self.transport.request(method, path, body.to_json())
        try:
            return cls.from_json(data)
        except ProtocolError as exc:
            raise BadResponse(f"Onverwacht antwoord van de server ({exc}).") from exc

    def get_agenda_key(self) -> AgendaKey | None:
        """This user's agenda public key (and escrowed private key); None when none yet."""
        key = self._get(AgendaPaths.KEY, AgendaKey)
        return key if key.public_key else None

    def put_agenda_key(self, key: AgendaKey) -> AgendaKey:
        return self._send_wire("PUT", AgendaPaths.KEY, key, AgendaKey)

    def team_agenda(self, team_id: str) -> TeamAgenda:
        return self._get(AgendaPaths.TEAM.format(team_id=_seg(team_id)), TeamAgenda)

    def put_team_key_wraps(self, team_id: str, wraps: TeamKeyWraps) -> Any:
        return self.transport.request(
            "PUT", AgendaPaths.WRAPS.format(team_id=_seg(team_id)), wraps.to_json()
        )

    def post_agenda_item(self, team_id: str, item: AgendaItemPost) -> AgendaItem:
        """Post an item (safe to repeat: the same id and ciphertext is stored once)."""
        data = self.transport.request(
            "POST", AgendaPaths.ITEMS.format(team_id=_seg(team_id)), item.to_json(), idempotent=True
        )
        try:
            return AgendaItem.from_json(data)
        except ProtocolError as exc:
            raise BadResponse(f"Onverwacht antwoord van de server ({exc}).") from exc

    def delete_agenda_item(self, team_id: str, item_id: str) -> bool:
        """Take an item off the agenda; False when it was already gone (404)."""
        path = AgendaPaths.ITEM.format(team_id=_seg(team_id), item_id=_seg(item_id))
        try:
            self.transport.request("DELETE", path)
        except ApiRefused as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def set_team_meeting(self, team_id: str, meeting: MeetingPut) -> Any:
        return self.transport.request(
            "PUT", AgendaPaths.MEETING.format(team_id=_seg(team_id)), meeting.to_json()
        )


def _seg(value: str) -> str:
    """One path segment, quoted (ids are UUIDs; anything else must not change the path)."""
    return urllib.parse.quote(str(value), safe="")
