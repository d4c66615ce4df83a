"""Nostr: kind-1 text notes, signed with the writer's key and sent to their relays over WebSocket.

Facts relied on (nostr-protocol/nips: NIP-01 events, ids, signatures and the relay's `OK`;
NIP-10 replies; NIP-11 the relay information document; NIP-19 bech32 keys and ids; NIP-21 `nostr:`
URIs):

- An event is `{id, pubkey, created_at, kind, tags, content, sig}`; `id` is the lower-case hex
  SHA-256 of the UTF-8 JSON `[0, pubkey, created_at, kind, tags, content]` without whitespace;
  `sig` is the BIP-340 Schnorr signature of the id (secp256k1, through `coincurve`, the Python
  binding of Bitcoin Core's libsecp256k1). A client sends `["EVENT", event]`; the relay answers
  `["OK", id, true|false, "prefix: message"]` (prefixes `duplicate`, `pow`, `blocked`,
  `rate-limited`, `invalid`, `error`, and NIP-42's `auth-required`, `restricted`).
- A relay serves its NIP-11 document at the same address over HTTP(S) with
  `Accept: application/nostr+json`; `limitation.max_content_length` is the most characters a note's
  content may have there.

Decisions made here:

- The secret is the writer's private key, `nsec1...` (a 64-character hex key is taken too); it is
  only ever used here to sign. `verify` shows the public key the notes are signed with (`npub1...`)
  and checks that at least one relay can be reached: relays have no login.
- The account's server is its relays, comma-separated (`wss://`, or `ws://` on this machine).
- Length: the protocol has no limit. Where relays announce `max_content_length`, the smallest
  announced is the limit and a longer post becomes a thread (counted in UTF-16 units, never fewer
  than the code points relays count); where none does, a post is one note.
- A thread is NIP-10 replies with marked `e` tags: part 2 has `["e", root, relay, "root", pubkey]`;
  later parts add `["e", previous, relay, "reply", pubkey]`; each reply carries a `p` tag of the
  writer's own key. `#hashtags` become `t` tags (lower-case).
- Retry safety, by construction: an event's id is the hash of its content, and a relay stores an
  id once. Each part's event (with its `created_at`) is built once, signed and saved in the part's
  record (`extra["event"]`) BEFORE it is sent; every retry sends that same event again, so it can
  never become a second note.
- The event goes to every relay at once. Success: at least one relay answered `OK true`
  (`duplicate:` included). The record keeps which relays took it (`extra["relays"]`) and what the
  others said (`extra["refused"]`). When none took it, the error names each relay and its reason:
  rate-limited when one asked us to slow down (and none failed otherwise), transient when one could
  not be reached or answered oddly (worth a retry), rejected when every relay refused the note.
- The note's address is its NIP-21 URI: `nostr:note1...`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

from .base import PlatformClient, Sending
from .errors import AuthError, RateLimited, Rejected, TransientError
from .http import USER_AGENT, parse_json, send
from .records import AccountInfo, Identity, Limits, PartRecord, Secret, digest
from .untrusted import clean

if TYPE_CHECKING:
    import httpx

KIND_TEXT_NOTE = 1
OK_TIMEOUT = 15.0
"""Seconds to wait for a relay's OK (connecting included)."""
WHERE_KEYS = "your Nostr app's key settings (“Export private key”, “Show nsec”, “Backup key”)"
TRANSIENT_PREFIXES = ("error",)
SLOW_PREFIXES = ("rate-limited",)


# ---------------------------------------------------------------------- bech32 (BIP-173), NIP-19

_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_GEN = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _polymod(values: Sequence[int]) -> int:
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= _GEN[i] if (top >> i) & 1 else 0
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _convert(data: Sequence[int], frm: int, to: int, pad: bool) -> list[int] | None:
    acc = bits = 0
    out: list[int] = []
    maxv = (1 << to) - 1
    for value in data:
        if value < 0 or value >> frm:
            return None
        acc = (acc << frm) | value
        bits += frm
        while bits >= to:
            bits -= to
            out.append((acc >> bits) & maxv)
    if pad:
        if bits:
            out.append((acc << (to - bits)) & maxv)
    elif bits >= frm or (acc << (to - bits)) & maxv:
        return None
    return out


def bech32_encode(hrp: str, data: bytes) -> str:
    """`data` as bech32 with the human-readable part `hrp` (npub, nsec, note)."""
    values = _convert(data, 8, 5, True) or []
    polymod = _polymod(_hrp_expand(hrp) + values + [0] * 6) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_CHARSET[d] for d in values + checksum)


def bech32_decode(text: str) -> tuple[str, bytes] | None:
    """(hrp, data) of a bech32 string, or None when it is not one (bad characters or checksum)."""
    if text.lower() != text and text.upper() != text:
        return None
    text = text.lower()
    pos = text.rfind("1")
    if pos < 1 or pos + 7 > len(text) or any(c not in _CHARSET for c in text[pos + 1:]):
        return None
    hrp, values = text[:pos], [_CHARSET.find(c) for c in text[pos + 1:]]
    if _polymod(_hrp_expand(hrp) + values) != 1:
        return None
    data = _convert(values[:-6], 5, 8, False)
    return None if data is None else (hrp, bytes(data))


# ---------------------------------------------------------------------- keys and events


class NotAKey(ValueError):
    """The pasted key is not a Nostr private key: the message says what it is instead."""


def private_key(text: str) -> bytes:
    """The 32-byte private key in `nsec1...` (or 64 hex digits). Raises NotAKey (no key in the message)."""
    value = text.strip()
    if value.lower().startswith("nostr:"):
        value = value[6:]
    if len(value) == 64 and all(c in "0123456789abcdefABCDEF" for c in value):
        key = bytes.fromhex(value)
    else:
        decoded = bech32_decode(value)
        if decoded is None:
            raise NotAKey("That is not a Nostr private key (one starts with nsec1).")
        hrp, key = decoded
        if hrp == "npub":
            raise NotAKey("That is a public key (npub1...); the notes are signed with the private key, nsec1...")
        if hrp != "nsec" or len(key) != 32:
            raise NotAKey(f"That is a Nostr {hrp} code, not a private key (one starts with nsec1).")
    from coincurve import PrivateKey

    try:
        PrivateKey(key)
    except ValueError:
        raise NotAKey("That nsec key is not a valid secp256k1 key.") from None
    return key


def public_key_hex(key: bytes) -> str:
    from coincurve import PublicKeyXOnly

    return PublicKeyXOnly.from_secret(key).format().hex()


def npub(pubkey_hex: str) -> str:
    return bech32_encode("npub", bytes.fromhex(pubkey_hex))


def note_id(event_id: str) -> str:
    return bech32_encode("note", bytes.fromhex(event_id))


def serialize(pubkey: str, created_at: int, kind: int, tags: list[list[str]], content: str) -> bytes:
    """NIP-01's serialization, whose SHA-256 is the event id."""
    return json.dumps([0, pubkey, created_at, kind, tags, content], ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def event_id(event: dict[str, Any]) -> str:
    return hashlib.sha256(serialize(event["pubkey"], event["created_at"], event["kind"], event["tags"],
                                    event["content"])).hexdigest()


def sign_event(key: bytes, content: str, tags: list[list[str]], created_at: int,
               kind: int = KIND_TEXT_NOTE) -> dict[str, Any]:
    """A complete, signed event."""
    from coincurve import PrivateKey

    pubkey = public_key_hex(key)
    event: dict[str, Any] = {"pubkey": pubkey, "created_at": created_at, "kind": kind, "tags": tags,
                             "content": content}
    event["id"] = event_id(event)
    event["sig"] = PrivateKey(key).sign_schnorr(bytes.fromhex(event["id"])).hex()
    return {k: event[k] for k in ("id", "pubkey", "created_at", "kind", "tags", "content", "sig")}


def verify_event(event: Any) -> str | None:
    """Why `event` is not a valid, correctly signed NIP-01 event; None when it is."""
    from coincurve import PublicKeyXOnly

    if not isinstance(event, dict):
        return "not an object"
    try:
        if event_id(event) != event.get("id"):
            return "the id is not the hash of the event"
        pub = PublicKeyXOnly(bytes.fromhex(event["pubkey"]))
        if not pub.verify(bytes.fromhex(event["sig"]), bytes.fromhex(event["id"])):
            return "the signature does not match"
    except (KeyError, TypeError, ValueError) as err:
        return f"malformed ({type(err).__name__})"
    return None


def hashtags(text: str) -> list[str]:
    """The text's #hashtags, lower-case, each once, in order (NIP-24 `t` tags)."""
    from composer.guidelines.entities import find_hashtags

    return list(dict.fromkeys(e.value.lstrip("#＃").lower() for e in find_hashtags(text)))


def http_address(relay: str) -> str:
    """Where a relay serves its NIP-11 document: the same address over http(s)."""
    parts = urlsplit(relay)
    return urlunsplit((("https" if parts.scheme == "wss" else "http"), parts.netloc, parts.path or "/", parts.query, ""))


# ---------------------------------------------------------------------- one relay's answer


@dataclass(frozen=True, slots=True)
class Answer:
    relay: str
    accepted: bool
    reason: str = ""
    """The relay's words (`blocked: ...`), or what went wrong on the way."""
    trouble: str = ""
    """Why it did not answer: "" (it answered OK), `transient`, `slow`, `refused`."""
    ambiguous: bool = False
    """The event may have reached the relay."""
    retry_after: float | None = None

    @property
    def host(self) -> str:
        return urlsplit(self.relay).netloc or self.relay

    def words(self) -> str:
        return f"{self.host}: {self.reason}" if self.reason else self.host


class NostrClient(PlatformClient):
    platform: ClassVar[str] = "nostr"

    def __init__(self, account: AccountInfo, secret: Secret, http: httpx.AsyncClient, **kw: Any) -> None:
        super().__init__(account, secret, http, **kw)
        self.timeout = OK_TIMEOUT
        self._limits: Limits | None = None

    # ------------------------------------------------------------------ where

    @property
    def relays(self) -> list[str]:
        return [r for r in self.server_url.split(",") if r]

    @property
    def where(self) -> str:
        return ", ".join(urlsplit(r).netloc for r in self.relays)

    def _key(self) -> bytes:
        try:
            return private_key(self.secret.reveal())
        except NotAKey as err:
            raise AuthError(f"The key kept for account {self.account.name!r} cannot sign: {err}",
                            hint=self._auth_hint()) from None

    def _auth_hint(self) -> str:
        return (f"Copy your nsec key from {WHERE_KEYS} and run "
                f"`{self.entry.add_command(self.account.name)}` again.")

    # ------------------------------------------------------------------ verify, limits

    async def identify(self) -> Identity:
        pubkey = public_key_hex(self._key())
        answers = await asyncio.gather(*(self._reach(r) for r in self.relays))
        reached = [a for a in answers if a.accepted]
        if not reached:
            raise TransientError(
                "None of the relays could be reached: " + "; ".join(a.words() for a in answers) + ".",
                hint="Check the relay addresses (--server wss://relay.one,wss://relay.two) and your connection.",
            )
        return Identity(id=pubkey, handle=npub(pubkey), url=f"nostr:{npub(pubkey)}")

    async def _reach(self, relay: str) -> Answer:
        """Whether a relay takes a WebSocket connection (accepted = reached)."""
        from websockets.asyncio.client import connect

        try:
            async with asyncio.timeout(self.timeout):
                async with connect(relay, open_timeout=self.timeout, close_timeout=1,
                                   user_agent_header=USER_AGENT):
                    return Answer(relay, True)
        except Exception as err:  # noqa: BLE001 - every way of not connecting is told in words
            return self._failure(relay, err, sent=False)

    async def fetch_limits(self) -> Limits | None:
        """The smallest `max_content_length` the relays announce (NIP-11); none: no limit."""
        if self._limits is not None:
            return self._limits
        found = [n for n in await asyncio.gather(*(self._max_content(r) for r in self.relays)) if n]
        self._limits = Limits(max_chars=min(found)) if found else Limits(max_chars=2**31 - 1)
        return self._limits

    async def _max_content(self, relay: str) -> int | None:
        try:
            response = await send(self.http, "GET", http_address(relay), label=self.label,
                                  headers={"Accept": "application/nostr+json"}, follow_redirects=False)
        except Exception:  # noqa: BLE001 - a relay without a document (or unreachable) announces nothing
            return None
        data = parse_json(response) if response.status_code == 200 else None
        limitation = data.get("limitation") if isinstance(data, dict) else None
        value = limitation.get("max_content_length") if isinstance(limitation, dict) else None
        return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None

    # ------------------------------------------------------------------ publish

    async def send_part(self, part: Sending) -> PartRecord:
        record = part.record
        event = _saved_event(record)
        if event is None or event.get("content") != part.text:
            if record.tried_at and record.digest and record.digest != digest(part.text):
                raise Rejected(
                    f"{part.name} was changed after a try that may have reached the relays.",
                    hint="Publish the changed text as a new draft.",
                )
            event = sign_event(self._key(), part.text, self._tags(part), int(time.time()))
            # The event is saved before it is sent: every retry sends this very event (same id).
            record = await part.save(replace(record.stamped(), digest=digest(part.text),
                                             extra={**record.stamped().extra, "event": _dump(event)}))
        answers = await asyncio.gather(*(self._send_to(r, event) for r in self.relays))
        took = [a for a in answers if a.accepted]
        if took:
            extra = {"event": _dump(event), "relays": ",".join(a.relay for a in took)}
            refused = [a for a in answers if not a.accepted]
            if refused:
                extra["refused"] = "; ".join(a.words() for a in refused)
            return replace(record.unstamped(), id=event["id"], url=f"nostr:{note_id(event['id'])}",
                           extra={**record.unstamped().extra, **extra})
        raise self._none_took(part, answers)

    def _tags(self, part: Sending) -> list[list[str]]:
        tags: list[list[str]] = []
        if part.i:
            relay = self.relays[0] if self.relays else ""
            me = public_key_hex(self._key())
            root, previous = part.records[0].id, part.records[part.i - 1].id
            assert root and previous  # the thread goes on after parts already sent
            tags.append(["e", root, relay, "root", me])
            if part.i > 1:
                tags.append(["e", previous, relay, "reply", me])
            tags.append(["p", me])
        tags += [["t", tag] for tag in hashtags(part.text)]
        return tags

    async def _send_to(self, relay: str, event: dict[str, Any]) -> Answer:
        from websockets.asyncio.client import connect

        sent = False
        try:
            async with asyncio.timeout(self.timeout):
                async with connect(relay, open_timeout=self.timeout, close_timeout=1,
                                   user_agent_header=USER_AGENT, max_size=2**22) as ws:
                    await ws.send(json.dumps(["EVENT", event], ensure_ascii=False, separators=(",", ":")))
                    sent = True
                    notices: list[str] = []
                    async for raw in ws:
                        message = _message(raw)
                        if message is None:
                            return Answer(relay, False, "answered with something that is not a Nostr message",
                                          trouble="transient", ambiguous=True)
                        if message[0] == "OK" and len(message) >= 3 and message[1] == event["id"]:
                            reason = clean(str(message[3])) if len(message) > 3 else ""
                            if message[2] is True:
                                return Answer(relay, True, reason)
                            return Answer(relay, False, reason or "refused the note", trouble=_trouble(reason))
                        if message[0] == "NOTICE" and len(message) > 1:
                            notices.append(clean(str(message[1])))
                    said = f" (it said: {notices[-1]})" if notices else ""
                    return Answer(relay, False, f"closed the connection without answering{said}",
                                  trouble="transient", ambiguous=True)
        except Exception as err:  # noqa: BLE001 - every way of failing is told in words
            return self._failure(relay, err, sent=sent)

    def _failure(self, relay: str, err: Exception, *, sent: bool) -> Answer:
        from websockets.exceptions import ConnectionClosed, InvalidStatus, InvalidURI

        if isinstance(err, InvalidStatus):
            status = err.response.status_code
            headers = err.response.headers
            if status == 429:
                wait = headers.get("Retry-After", "")
                after = float(wait) if wait.strip().isdigit() else None
                return Answer(relay, False, "asks us to slow down (HTTP 429)", trouble="slow", retry_after=after)
            if status in (401, 403):
                return Answer(relay, False, f"refused the connection (HTTP {status}): it may take notes only from "
                              "registered or paying keys", trouble="refused")
            if status >= 500 or status in (408, 425):
                return Answer(relay, False, f"had a problem (HTTP {status})", trouble="transient")
            return Answer(relay, False, f"is not a relay, it seems (HTTP {status} instead of a WebSocket)",
                          trouble="refused")
        if isinstance(err, InvalidURI):
            return Answer(relay, False, "is not a WebSocket address", trouble="refused")
        if isinstance(err, (TimeoutError, asyncio.TimeoutError)):
            what = "did not answer in time" if sent else "could not be reached in time"
            return Answer(relay, False, what, trouble="transient", ambiguous=sent)
        if isinstance(err, ConnectionClosed):
            return Answer(relay, False, "closed the connection without answering", trouble="transient",
                          ambiguous=sent)
        if isinstance(err, OSError):
            return Answer(relay, False, f"could not be reached ({clean(err.strerror or type(err).__name__)})",
                          trouble="transient", ambiguous=sent)
        return Answer(relay, False, f"failed ({type(err).__name__})", trouble="transient", ambiguous=sent)

    def _none_took(self, part: Sending, answers: Sequence[Answer]) -> Exception:
        said = "; ".join(a.words() for a in answers)
        which = part.name.lower() if len(part.parts) > 1 else "the note"
        troubles = {a.trouble for a in answers}
        if "transient" in troubles:
            return TransientError(
                f"No relay took {which}: {said}.",
                ambiguous=any(a.ambiguous for a in answers),
                hint="The note waits in the outbox; a retry sends the very same note, so it cannot appear twice.",
            )
        if "slow" in troubles:
            waits = [a.retry_after for a in answers if a.retry_after is not None]
            return RateLimited(f"No relay took {which}: {said}.", retry_after=max(waits) if waits else None,
                               hint="The note waits in the outbox and is sent again later (the same note).")
        return Rejected(f"No relay took {which}: {said}.",
                        hint="Add relays that take your notes (--server wss://relay.one,wss://relay.two), "
                        "then publish again.")


def _trouble(reason: str) -> str:
    prefix = reason.split(":", 1)[0].strip().lower() if ":" in reason else ""
    if prefix in SLOW_PREFIXES:
        return "slow"
    if prefix in TRANSIENT_PREFIXES or not prefix:
        return "transient"
    return "refused"  # blocked, invalid, pow, restricted, auth-required, duplicate-but-false


def _message(raw: str | bytes) -> list[Any] | None:
    try:
        message = json.loads(raw)
    except ValueError:
        return None
    return message if isinstance(message, list) and message and isinstance(message[0], str) else None


def _dump(event: dict[str, Any]) -> str:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"))


def _saved_event(record: PartRecord) -> dict[str, Any] | None:
    raw = record.extra.get("event")
    if not raw:
        return None
    try:
        event = json.loads(raw)
    except ValueError:
        return None
    return event if isinstance(event, dict) and verify_event(event) is None else None
