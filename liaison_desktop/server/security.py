"""Secrets and their hashes, the short-lived token cache and the enrolment rate limiter."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from liaison_desktop.sync.protocol import TOKEN_PREFIX, Role

# Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper survives.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 bits; with the rate limit and a 24 h lifetime far beyond guessing
_CODE_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_token() -> str:
    """A device token: 256 random bits, URL-safe, with a recognisable prefix."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_secret(value: str) -> str:
    """SHA-256 hex. Enough for 256-bit tokens and 60-bit rate-limited codes: no password
    stretching is needed for secrets that are not chosen by people."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def new_enrolment_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    """Upper case, without separators, common look-alikes mapped (O->0, I/L->1)."""
    return "".join(c for c in code.upper() if c.isalnum()).translate(_CODE_TYPOS)


def hash_code(code: str) -> str:
    return hash_secret("enrolment-code:" + normalise_code(code))


@dataclass(frozen=True, slots=True)
class Principal:
    """The verified caller: a device of a user in an organisation."""

    device_id: str
    user_id: str
    org_id: str
    role: Role
    team_ids: frozenset[str]
    token_expires_at: float
    """Unix time; checked on every call, cached or not."""


class TokenCache:
    """Verified principals by token hash, for ``ttl`` seconds (thread-safe).

    Only successful verifications are cached. Revoking through this process calls
    :meth:`invalidate_device`, so it is immediate; a revocation by another process (the
    admin command line, another server worker) takes effect within ``ttl`` seconds.
    """

    def __init__(
        self, ttl: float, *, max_entries: int = 50_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._items: dict[str, tuple[Principal, float]] = {}
        self._lock = threading.Lock()

    def get(self, token_hash: str) -> Principal | None:
        if self.ttl <= 0:
            return None
        item = self._items.get(token_hash)
        if item is None:
            return None
        principal, until = item
        if self._clock() >= until:
            self._items.pop(token_hash, None)
            return None
        return principal

    def put(self, token_hash: str, principal: Principal) -> None:
        if self.ttl <= 0:
            return
        with self._lock:
            if len(self._items) >= self.max_entries:
                self._items.clear()  # crude but bounded; entries are cheap to rebuild
            self._items[token_hash] = (principal, self._clock() + self.ttl)

    def invalidate_device(self, device_id: str) -> None:
        with self._lock:
            for key, (principal, _until) in list(self._items.items()):
                if principal.device_id == device_id:
                    self._items.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class FailureLimiter:
    """At most ``max_failures`` failures per key (client address) in a sliding window.

    While a key is over the limit every attempt is refused, also one with a correct code,
    so guessing gains nothing. In-memory and per process: run one server process, or put
    the limit in the reverse proxy as well.
    """

    def __init__(
        self,
        max_failures: int,
        window: float,
        *,
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window = window
        self.max_keys = max_keys
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> float:
        """Seconds until ``key`` may try again; 0 when it may try now."""
        with self._lock:
            times = self._prune(key)
            if times is None or len(times) < self.max_failures:
                return 0.0
            return max(0.0, times[0] + self.window - self._clock())

    def record_failure(self, key: str) -> None:
        with self._lock:
            if len(self._failures) >= self.max_keys:
                for k in list(self._failures):
                    self._prune(k)
                if len(self._failures) >= self.max_keys:
                    self._failures.clear()
            times = self._failures.setdefault(key, deque())
            times.append(self._clock())
            while len(times) > self.max_failures:
                times.popleft()

    def _prune(self, key: str) -> deque[float] | None:
        times = self._failures.get(key)
        if times is None:
            return None
        horizon = self._clock() - self.window
        while times and times[0] <= horizon:
            times.popleft()
        if not times:
            del self._failures[key]
            return None
        return times
