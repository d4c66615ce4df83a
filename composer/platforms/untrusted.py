"""Whatever a server says is untrusted. `clean` is the one function its words pass through before
they are shown, stored or logged: it removes terminal escapes and control characters, and every
secret the client in play holds, in its plain form and its obvious encodings.

Which secrets are in play: a client's interface methods (`login`, `verify`, `limits`, `publish`)
run inside `secrets_in_play(...)`, so every `PlatformError` built meanwhile (its `__init__` calls
`clean`) and every server text read meanwhile (`http.error_detail`, `http.body_snippet`) is
scrubbed with that client's secrets, and the error leaving the method is scrubbed once more.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from urllib.parse import quote, quote_plus

REDACTED = "<token>"
"""What a secret is replaced by."""
MIN_SECRET = 6
"""Shorter strings are not treated as secrets (they would blank out ordinary words)."""
FRAGMENT = 12
"""A run of this many characters of a secret is scrubbed too (a server may echo it cut short)."""

_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, ESC [ 2 J
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, SOS, PM, APC up to BEL or ST
    r"|\x1b[ -/]*[0-~]?"  # any other escape sequence, or a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|[\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # 8-bit OSC, DCS, SOS, PM, APC
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""C0 controls but tab and line feed, DEL, C1 controls, the bidirectional overrides and isolates
(they reorder what is shown), and lone surrogates (which cannot even be printed)."""

Secrets = Callable[[], Iterable[str]]
_IN_PLAY: ContextVar[tuple[Secrets, ...]] = ContextVar("secrets_in_play", default=())


@contextmanager
def secrets_in_play(secrets: Secrets) -> Iterator[None]:
    """Within this block, `clean` also removes what `secrets()` returns (asked each time, so a
    rotated secret counts at once). A PlatformError leaving the block is scrubbed again."""
    token = _IN_PLAY.set(_IN_PLAY.get() + (secrets,))
    try:
        yield
    except Exception as err:
        scrub = getattr(err, "scrub", None)
        if callable(scrub):
            scrub()
        raise
    finally:
        _IN_PLAY.reset(token)


def in_play() -> list[str]:
    found: list[str] = []
    for secrets in _IN_PLAY.get():
        found.extend(s for s in secrets() if isinstance(s, str) and len(s.strip()) >= MIN_SECRET)
    return found


def sanitise(text: str) -> str:
    """`text` without terminal escapes and control characters (tab and line feed stay)."""
    if text.isascii() and text.isprintable():
        return text
    return _CONTROLS.sub("", _ESCAPES.sub("", text.replace("\r\n", "\n")))


def forms(secret: str) -> set[str]:
    """A secret as a server might echo it: as it is, URL-, JSON-, HTML- and base64-encoded."""
    import html  # here, not at the top: reading a draft (which sanitises its text) needs neither
    import json

    s = secret.strip()
    raw = s.encode("utf-8", "surrogatepass")
    b64 = base64.b64encode(raw).decode("ascii")
    out = {
        s,
        quote(s, safe=""),
        quote_plus(s),
        json.dumps(s)[1:-1],
        html.escape(s),
        b64,
        b64.rstrip("="),
        base64.urlsafe_b64encode(raw).decode("ascii").rstrip("="),
    }
    return {f for f in out if len(f) >= MIN_SECRET}


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` with every form of every secret, and every run of FRAGMENT or more of a secret's
    characters, replaced by REDACTED."""
    secrets = [s.strip() for s in secrets if isinstance(s, str) and len(s.strip()) >= MIN_SECRET]
    if not secrets or not text:
        return text
    for form in sorted({f for s in secrets for f in forms(s)}, key=len, reverse=True):
        if form in text:
            text = text.replace(form, REDACTED)
    long = [s for s in secrets if len(s) > FRAGMENT]
    if long:
        text = _scrub_fragments(text, long)
    return text


def _scrub_fragments(text: str, secrets: list[str]) -> str:
    grams = {s[i : i + FRAGMENT] for s in secrets for i in range(len(s) - FRAGMENT + 1)}
    hits = [False] * len(text)
    for i in range(len(text) - FRAGMENT + 1):
        if text[i : i + FRAGMENT] in grams:
            for j in range(i, i + FRAGMENT):
                hits[j] = True
    if not any(hits):
        return text
    out, i = [], 0
    while i < len(text):
        if hits[i]:
            while i < len(text) and hits[i]:
                i += 1
            out.append(REDACTED)
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def clean(text: str, secrets: Iterable[str] | None = None) -> str:
    """Server words made safe to show and store: escapes and control characters removed, then
    every secret in play (or `secrets`) scrubbed."""
    if not isinstance(text, str):
        text = str(text)
    return scrub(sanitise(text), in_play() if secrets is None else secrets)


_CREDENTIAL_KEY = re.compile(r"token|jwt|pass|secret|key|code", re.I)


def credential_values(raw: str) -> Iterator[str]:
    """The values of a JSON secret's keys that hold credentials (not its dates or handles)."""
    import json

    try:
        data = json.loads(raw)
    except ValueError:
        return
    if not isinstance(data, dict):
        return
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for k, v in item.items():
                if isinstance(v, str) and _CREDENTIAL_KEY.search(str(k)):
                    yield v
                elif isinstance(v, (dict, list)):
                    stack.append(v)
        elif isinstance(item, list):
            stack.extend(item)
