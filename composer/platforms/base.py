"""The one interface every platform client implements, and the errors they share.

`platforms/` knows neither files nor config (DESIGN.md): a client is handed its account's
non-secret settings (`AccountInfo`), its secret (`Secret`) and a shared `httpx.AsyncClient`.
Publishing (`composer.publish`) drives clients only through this module's types, so a new
platform is one new module plus one line in `composer.platforms.PLATFORMS`.

Retry safety: before the first request for a post, the publisher asks the client for one key per
thread part (`new_part_key`) and saves them in the draft file. Every later try hands the same
`PartRecord`s back, so a client can make the retry idempotent (Mastodon's Idempotency-Key, a
Bluesky TID record key, a Threads container id) or check the server before sending again.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Awaitable, Callable, ClassVar, Mapping, Sequence

if TYPE_CHECKING:  # httpx is imported lazily: start-up of `humane check` must not pay for it
    import httpx


# --------------------------------------------------------------------------- secrets


class Secret:
    """A credential that never shows itself in a repr, a log line, a traceback or a message."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself: call only where it goes into a request header or the keyring."""
        return self._value

    def __repr__(self) -> str:
        return "Secret(<redacted>)"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class AccountInfo:
    """An account's non-secret settings, as `accounts.py` builds them from config.toml."""

    name: str
    """The writer's own name for the account (`[accounts.NAME]`)."""
    platform: str
    server: str | None = None
    """Base URL: a Mastodon instance, a Bluesky PDS or entryway, a Micropub site, an API root."""
    handle: str | None = None
    visibility: str | None = None
    language: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    """Platform-specific, non-secret extras (e.g. a LinkedIn member id found by verify)."""


@dataclass(frozen=True, slots=True)
class PostOptions:
    visibility: str | None = None
    language: str | None = None
    content_warning: str | None = None


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the credentials belong to, as the server says (from `verify`)."""

    id: str
    handle: str
    display_name: str = ""
    url: str | None = None
    expires_at: str | None = None
    """ISO-8601 time the credential expires, where the platform says (LinkedIn, Threads)."""
    details: Mapping[str, Any] = field(default_factory=dict)
    """Non-secret facts worth saving in config (e.g. the Bluesky PDS URL, a LinkedIn member id)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """What one post may hold on this account's server."""

    max_chars: int
    url_cost: int | None = None
    """Characters a URL counts as (Mastodon: 23), or None when URLs count in full."""
    max_links: int | None = None


def digest(text: str) -> str:
    """A short fingerprint of a part's text, saved with its record to notice an edited retry."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class PartRecord:
    """One thread part's publish state for one account: saved in the draft before and after sending."""

    key: str
    """Idempotency key / record key, made before the first try and reused by every retry."""
    digest: str
    """`digest(text)` of the part this key was made for."""
    id: str | None = None
    """The server's id for the post once it is known (Mastodon status id, Bluesky at-uri, ...)."""
    url: str | None = None
    """Where a person can see it."""
    extra: Mapping[str, str] = field(default_factory=dict)
    """Platform data needed to continue a thread or check on retry (Bluesky cid, Threads container)."""

    @property
    def sent(self) -> bool:
        return self.id is not None

    def done(self, id: str, url: str | None, **extra: str) -> "PartRecord":
        return replace(self, id=id, url=url, extra={**self.extra, **extra})

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"key": self.key, "digest": self.digest}
        if self.id is not None:
            d["id"] = self.id
        if self.url is not None:
            d["url"] = self.url
        if self.extra:
            d["extra"] = dict(self.extra)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "PartRecord":
        return cls(
            key=str(d["key"]),
            digest=str(d.get("digest", "")),
            id=None if d.get("id") is None else str(d["id"]),
            url=None if d.get("url") is None else str(d["url"]),
            extra={str(k): str(v) for k, v in dict(d.get("extra", {})).items()},
        )


Checkpoint = Callable[[list[PartRecord]], Awaitable[None]]
"""Called by a client after each part is sent, so the publisher can save progress at once."""


# --------------------------------------------------------------------------- errors


class PlatformError(Exception):
    """Base of every error a client raises. `str()` is a plain sentence; `hint` says what to do."""

    kind: ClassVar[str] = "error"

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def explain(self) -> str:
        return f"{self.message} {self.hint}".strip()


class AuthError(PlatformError):
    """Bad, expired or revoked credentials: the writer must log in again."""

    kind = "auth"


class RateLimited(PlatformError):
    """The server asks us to slow down."""

    kind = "rate-limited"

    def __init__(self, message: str, *, retry_after: float | None = None, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.retry_after = retry_after


class Rejected(PlatformError):
    """The server refused the post itself (too long, invalid): sending it again will not help."""

    kind = "rejected"


class TransientError(PlatformError):
    """Network trouble, a timeout, a 5xx: worth retrying later (the outbox does)."""

    kind = "transient"

    def __init__(self, message: str, *, ambiguous: bool = False, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.ambiguous = ambiguous
        """True when the request may have reached the server: a retry must check before sending."""


class NeedsCheck(PlatformError):
    """The outcome is unknown and the platform offers no way to check it (Micropub): ask the writer."""

    kind = "needs-check"


class InsecureURL(PlatformError):
    """A URL that would send a credential over plain http to a non-loopback host."""

    kind = "insecure"


# --------------------------------------------------------------------------- interface


Ask = Callable[[str, bool], str]
"""How a login flow asks the writer something: ask(prompt, secret) -> answer (no echo if secret)."""


class PlatformClient(ABC):
    """A client for one account on one platform."""

    platform: ClassVar[str]
    """Registry name: `mastodon`, `bluesky`, `linkedin`, `threads`, `micropub`, ..."""
    label: ClassVar[str]
    """How the UI names the platform: `Mastodon`, `Bluesky`."""
    NEEDS_SERVER: ClassVar[bool] = False
    NEEDS_HANDLE: ClassVar[bool] = False
    DEFAULT_SERVER: ClassVar[str | None] = None
    SECRET_LABEL: ClassVar[str] = "access token"
    """What `humane accounts add` asks for."""
    SECRET_HELP: ClassVar[str] = ""
    """One or two sentences: where the writer gets that secret."""
    SUPPORTS_THREADS: ClassVar[bool] = True
    IDEMPOTENT: ClassVar[bool] = True
    """False where a retry after an ambiguous failure cannot be made safe (Micropub)."""

    def __init__(
        self,
        account: AccountInfo,
        secret: Secret,
        http: "httpx.AsyncClient",
        *,
        on_secret_change: Callable[[Secret], None] | None = None,
    ) -> None:
        self.account = account
        self.secret = secret
        self.http = http
        self.on_secret_change = on_secret_change
        """Called when the client's credential changed (a rotated Bluesky session): save it."""

    def __repr__(self) -> str:  # never the secret: only what config.toml holds anyway
        return f"{type(self).__name__}(account={self.account.name!r}, server={self.account.server!r})"

    @classmethod
    def new_part_key(cls) -> str:
        """A fresh idempotency/record key for one part; overridden where the format matters."""
        import uuid

        return uuid.uuid4().hex

    @classmethod
    async def login(cls, http: "httpx.AsyncClient", account: AccountInfo, ask: Ask) -> tuple[Secret, AccountInfo]:
        """Obtain a credential interactively (or from what `ask` returns): the secret to keep in
        the keyring, and the account with anything learnt on the way (server, handle, ids)."""
        token = ask(f"{cls.label} {cls.SECRET_LABEL}", True)
        return Secret(token.strip()), account

    @abstractmethod
    async def verify(self) -> Identity:
        """Check the credential against the server; raise AuthError when it does not work."""

    @abstractmethod
    async def limits(self) -> Limits:
        """The server's limits for one post (read once, then cached by the client)."""

    def split(self, text: str, limits: Limits, options: PostOptions | None = None) -> list[str]:
        """Split `text` into the parts of a thread that each fit `limits` (one part if it fits).
        `options` matter where they count against the limit (a Mastodon content warning)."""
        from composer.guidelines.length import split_thread

        return split_thread(text, self.platform, limit=limits.max_chars)

    @abstractmethod
    async def publish(
        self,
        parts: Sequence[str],
        records: Sequence[PartRecord],
        options: PostOptions,
        checkpoint: Checkpoint,
    ) -> list[PartRecord]:
        """Publish `parts` as a thread. `records[i]` holds part i's key and, for parts already
        sent by an earlier try, its id: skip those, and continue the thread after them. For a
        part with a key but no id, make sure a retry cannot post it twice (send the same
        idempotency key, or look the key up first). Call `checkpoint` after every part sent.
        Raise a PlatformError subclass on failure; return the completed records."""
