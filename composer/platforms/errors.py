"""The errors every client raises, whatever its platform: the publisher and the faces only know these.
Their words are cleaned on the way in (`untrusted.clean`): no terminal escapes, no secret in play."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from .untrusted import clean


class PlatformError(Exception):
    """Base of every error a client raises. `str()` is a plain sentence; `hint` says what to do."""

    kind: ClassVar[str] = "error"

    def __init__(self, message: str, *, hint: str = "") -> None:
        message, hint = clean(message), clean(hint)  # server words: no escapes, no secret in play
        super().__init__(message)
        self.message = message
        self.hint = hint

    def scrub(self, secrets: Sequence[str] | None = None) -> PlatformError:
        """Clean the words again (with the secrets in play now, or `secrets`)."""
        self.message, self.hint = clean(self.message, secrets), clean(self.hint, secrets)
        self.args = (self.message,)
        return self

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


class NotAvailable(PlatformError):
    """The platform (or its API) cannot do this at all: read replies, delete or edit a post. Said
    plainly to the writer; nothing was sent."""

    kind = "not-available"
