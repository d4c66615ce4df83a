"""AT Protocol pieces of the Bluesky client: record keys (TIDs), a post's text as a record's text
and facets (UTF-8 byte offsets, links shown as bsky.app shows them), and self-labels for a
content warning. Pure functions: no network."""

from __future__ import annotations

import os
import re
import threading
import time
from typing import Any

from .errors import Rejected

MAX_TAG_GRAPHEMES = 64
MAX_TAG_BYTES = 640

SELF_LABELS = {
    "sexual": "sexual",
    "suggestive": "sexual",
    "nsfw": "sexual",
    "nudity": "nudity",
    "nude": "nudity",
    "porn": "porn",
    "pornography": "porn",
    "graphic-media": "graphic-media",
    "graphic media": "graphic-media",
    "graphic": "graphic-media",
    "gore": "graphic-media",
}
"""Content-warning words → Bluesky self-label values (com.atproto.label.defs#selfLabel)."""


# --------------------------------------------------------------------------- TIDs

TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
TID_RE = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")

_tid_lock = threading.Lock()
_tid_last = 0
_tid_clock = int.from_bytes(os.urandom(2), "big") & 0x3FF


def make_tid(micros: int | None = None, clock_id: int | None = None) -> str:
    """A record key: 13 base32-sortable characters of (53-bit microseconds << 10 | 10-bit clock id).

    Without arguments, strictly increasing within this process (two calls in the same microsecond
    still give two keys), with a random clock id per process."""
    global _tid_last
    if micros is None:
        with _tid_lock:
            micros = max(time.time_ns() // 1000, _tid_last + 1)
            _tid_last = micros
    if clock_id is None:
        clock_id = _tid_clock
    value = ((micros & ((1 << 53) - 1)) << 10) | (clock_id & 0x3FF)
    chars = []
    for _ in range(13):
        chars.append(TID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def is_tid(value: str) -> bool:
    return bool(TID_RE.fullmatch(value))


def tid_time(tid: str) -> int:
    """The microseconds since the epoch a TID carries."""
    value = 0
    for ch in tid:
        value = value * 32 + TID_ALPHABET.index(ch)
    return value >> 10


# --------------------------------------------------------------------------- text → record

def shorten_url(url: str) -> str:
    """How bsky.app shows a link (no scheme; a long path cut to 13 characters and "..."): the
    visible text our posts carry, the full link going in the facet. The same function the length
    check counts with, so the sidebar's Bluesky meter and what is sent always agree (bare domains too)."""
    from composer.guidelines.entities import display_url

    return display_url(url)


def _entity_value(text: str, entity: Any) -> tuple[int, int, str]:
    start, end = int(entity.start), int(entity.end)
    value = getattr(entity, "value", None) or text[start:end]
    return start, end, value


def plan_post(text: str) -> tuple[str, list[dict[str, Any]]]:
    """The visible text of a post and its facets, before mentions are resolved.

    Returns (display_text, facets). Each facet is `{"index": {"byteStart", "byteEnd"}, "features": [...]}`
    with UTF-8 byte offsets into `display_text`; mention features carry `handle` (not yet `did`) for
    `BlueskyClient.build_record` to resolve. Long URLs are shortened in the text, with the full URL in
    the facet. Lone surrogates (which UTF-8 cannot carry) become U+FFFD."""
    from composer.guidelines import entities as ent
    from composer.guidelines.length import graphemes

    text = re.sub("[\ud800-\udfff]", "\ufffd", text)

    found: list[tuple[int, int, str, str]] = []
    # Bare domains ("example.org/page") are links too, as the bsky.app composer makes them.
    for e in ent.find_urls(text, schemeless=True):
        s, t, v = _entity_value(text, e)
        uri = v if re.match(r"(?i)https?://", v) else "https://" + v
        found.append((s, t, "link", uri))
    taken = [(s, t) for s, t, _, _ in found]

    def free(s: int, t: int) -> bool:
        return all(t <= a or s >= b for a, b in taken)

    for e in ent.find_mentions(text):
        s, t, v = _entity_value(text, e)
        handle = v.lstrip("@").lower()
        # A Bluesky handle is a domain name: "@bob" alone or a Mastodon "@bob@host" is not one.
        if "." not in handle or "@" in handle or not free(s, t):
            continue
        found.append((s, t, "mention", handle))
        taken.append((s, t))
    for e in ent.find_hashtags(text):
        s, t, v = _entity_value(text, e)
        tag = text[s:t].lstrip("#＃")
        if not tag or not free(s, t):
            continue
        if graphemes(tag) > MAX_TAG_GRAPHEMES or len(tag.encode("utf-8")) > MAX_TAG_BYTES:
            continue
        found.append((s, t, "tag", tag))
        taken.append((s, t))
    found.sort()

    out: list[str] = []
    facets: list[dict[str, Any]] = []
    pos = 0
    nbytes = 0
    for start, end, kind, value in found:
        before = text[pos:start]
        out.append(before)
        nbytes += len(before.encode("utf-8"))
        visible = shorten_url(value) if kind == "link" else text[start:end]
        size = len(visible.encode("utf-8"))
        if kind == "link":
            feature: dict[str, Any] = {"$type": "app.bsky.richtext.facet#link", "uri": value}
        elif kind == "mention":
            feature = {"$type": "app.bsky.richtext.facet#mention", "handle": value}
        else:
            feature = {"$type": "app.bsky.richtext.facet#tag", "tag": value}
        facets.append({"index": {"byteStart": nbytes, "byteEnd": nbytes + size}, "features": [feature]})
        out.append(visible)
        nbytes += size
        pos = end
    out.append(text[pos:])
    return "".join(out), facets


def self_labels(content_warning: str | None) -> list[str]:
    """Bluesky self-label values for a content warning; [] for none; Rejected if none fits."""
    cw = (content_warning or "").strip()
    if not cw:
        return []
    words = [w.strip().lower() for w in re.split(r"[,;/]", cw) if w.strip()]
    values = []
    for word in words:
        value = SELF_LABELS.get(word) or SELF_LABELS.get(word.replace("_", "-"))
        if value is None:
            raise Rejected(
                f"Bluesky has no free-text content warnings, and {cw!r} is not one of its labels.",
                hint="Use sexual, nudity, porn or graphic-media as the warning for this account, "
                "or leave the warning out of the Bluesky post.",
            )
        if value not in values:
            values.append(value)
    return values
