"""Links, mentions and hashtags in a post, with character offsets.

The length rules (`composer.guidelines.length`) use these to count a URL at a fixed cost or a
Mastodon mention without its domain, and to never split a thread inside one. The Bluesky client
uses them for link, mention and tag facets, with `utf8_offsets` to turn character offsets into
the UTF-8 byte offsets a facet needs.

Why a hand-written pattern rather than `linkify-it-py` (already installed as a Textual
dependency): linkify-it keeps CJK text after a URL inside the link ("https://x.org/pathです。"
becomes one link), finds e-mail addresses and bare words like "file.py" (unwanted for Mastodon's
and Bluesky's http(s)-only rules), and took ~25 ms on a 5,000-word essay, too slow for every
keystroke. The rules here follow twitter-text, which Mastodon's own length check uses:

- a URL is `http://` or `https://`, a host with a real-looking top-level domain, an optional
  port, and a path made of Latin/Cyrillic letters, digits and URL punctuation. Other scripts end
  it ("https://x.org/aです" stops before "で"): for Mastodon and X that errs toward counting
  more, never less, than the server; percent-encoded links (what browsers copy) work in full.
- a URL never ends with `. , : ; ! ? ' * | @ ~ [ ] (`, nor with a `)` that closes nothing inside
  it: "see (https://x.org/a_(b))." gives "https://x.org/a_(b)".
- a Latin letter or digit right before "http" spoils a link ("xhttps://..."); CJK text may run
  straight into one ("詳しくはhttps://..."), as Japanese and Chinese put no space there.
- IP addresses and `localhost` are not links (public posts cannot use them; twitter-text agrees).
- `find_urls(text, schemeless=True)` adds bare domains ("example.com/page"), as X, Threads and
  bsky.app link them; a one-label name with a country-code ending and no path ("file.py") is not
  one. `display_url` gives a link as bsky.app shows it (what the Bluesky client posts).

Offsets are Python `str` indices (code points), end exclusive: `text[e.start:e.end] == e.value`.
Every function here accepts any string (lone surrogates included) without raising.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

import regex

__all__ = [
    "Entity",
    "display_url",
    "find_urls",
    "find_mentions",
    "find_hashtags",
    "utf8_offsets",
]


@dataclass(frozen=True, slots=True)
class Entity:
    """A link, mention or hashtag: `text[start:end] == value` (character offsets, end exclusive)."""

    start: int
    end: int
    value: str


# --------------------------------------------------------------------------- patterns

_WORD = r"\p{L}\p{M}\p{Nd}_"
"""Characters that glue a mention, hashtag or bare domain to its neighbour ("bob@x.org" is no mention)."""

_LABEL = r"[\p{L}\p{M}\p{Nd}](?:[\p{L}\p{M}\p{Nd}_\-]{0,61}[\p{L}\p{M}\p{Nd}])?"
"""One DNS label, Unicode letters allowed (IDN hosts like 例え.jp)."""

# A top-level domain: ASCII letters, punycode, or a run of one non-Latin script (.рф, .中国).
# A single script per run keeps "https://example.comです" from swallowing the Japanese.
_TLD = (
    r"(?:[a-z]{2,63}|xn--[a-z0-9\-]{1,59}"
    r"|\p{Cyrillic}{2,63}|\p{Greek}{2,63}|\p{Hebrew}{2,63}|\p{Han}{2,63}|\p{Hangul}{2,63}"
    r"|\p{Arabic}[\p{Arabic}\p{M}]{1,62}|\p{Thai}[\p{Thai}\p{M}]{1,62}"
    r"|\p{Devanagari}[\p{Devanagari}\p{M}]{1,62})"
    rf"(?![{_WORD}\-])"
)

_PATH_CHARS = r"\p{Latin}\p{Cyrillic}\p{M}0-9!*';:=+,.$/%#\[\]\-_~&|@()?\u2013"
"""What a URL's path, query and fragment may hold (twitter-text's set, plus "?" and "()")."""

_URL_ENDING = regex.compile(r"[\p{Latin}\p{Cyrillic}\p{M}0-9=_#/+\-&]")
"""A URL may end with one of these, or with a balanced ")"; anything else is trailing punctuation."""

_URL = regex.compile(
    r"(?<![\p{Latin}0-9_@＠$#＃\u202a-\u202e])"  # CJK writing puts no space before a link
    r"(?i:https?)://"
    rf"(?:{_LABEL}\.)+(?i:{_TLD})"
    r"(?::[0-9]{1,5}(?![0-9]))?"
    rf"(?:[/?#][{_PATH_CHARS}]*)?"
)

# Bare domains ("example.com/page"): X and Threads turn them into links, so they count there.
# ASCII only, and a one-label ccTLD name without a path ("file.py", "README.md") is not a link,
# as in twitter-text.
_GTLDS = (
    "com|net|org|edu|gov|mil|int|info|biz|name|pro|aero|coop|museum|mobi|asia|tel|travel|jobs|"
    "cat|app|dev|blog|shop|online|site|store|tech|xyz|club|top|live|news|social|page|art|design|"
    "cloud|link|email|space|website|wiki|zone|today|world|life|media|network|digital|agency|"
    "studio|science|systems|solutions|support|software|photo|photography|music|video|games|"
    "academy|center|company|community|events|foundation|garden|group|house|institute|land|"
    "marketing|money|one|works|xn--[a-z0-9\\-]{1,59}"
)
_BARE_URL_SOURCE = (
    rf"(?<![{_WORD}@＠$#＃.\-/:\u202a-\u202e])"
    r"(?P<host>(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+)"
    rf"(?P<tld>(?i:{_GTLDS}|[a-z]{{2}}))(?![{_WORD}\-])"
    r"(?P<port>:[0-9]{1,5}(?![0-9]))?"
    rf"(?P<path>[/?#][{_PATH_CHARS}]*)?"
)


@cache
def _bare_url() -> regex.Pattern[str]:
    """Compiled on first use: only X and Threads need it, and it takes milliseconds to build."""
    return regex.compile(_BARE_URL_SOURCE)

# `@user`, `@user@domain.tld` (fediverse), `@handle.bsky.social` (Bluesky). Not an e-mail address
# (`bob@example.com`: a word character before the @), not followed by @, a letter or "://".
_MENTION = regex.compile(
    rf"(?<![{_WORD}=/@＠])@"
    r"(?>[A-Za-z0-9_]+(?:[.\-]+[A-Za-z0-9_]+)*)"
    rf"(?:@(?>[{_WORD}]+(?:[.\-]+[{_WORD}]+)*))?"
    rf"(?![@＠{_WORD}]|://)"
)

# `#tag` with letters of any script; digits alone ("#1", "#2024") are not a tag; not the keycap
# emoji "#️⃣", not an HTML entity "&#123;", not a URL fragment.
_TAG_CHARS = rf"{_WORD}\u200c\u00b7"
_HASHTAG = regex.compile(
    rf"(?<![{_WORD}&/=)#＃@＠])[#＃](?![\ufe0f\u20e3])"
    rf"(?=[{_TAG_CHARS}]*[\p{{L}}\p{{M}}])(?>[{_TAG_CHARS}]+)"
)


# --------------------------------------------------------------------------- finders


def _trim_url(text: str, start: int, end: int) -> int:
    """The end of the URL text[start:end] once trailing punctuation and unpaired ")" are dropped."""
    while end > start:
        c = text[end - 1]
        if c == ")":
            span = text[start:end]
            if span.count("(") >= span.count(")"):
                break  # closes a "(" inside the URL: part of it (Wikipedia-style links)
            end -= 1
            continue
        if _URL_ENDING.match(c):
            break
        end -= 1
    return end


def _overlaps(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted, disjoint `spans` (`starts` their starts)."""
    i = bisect_right(starts, start) - 1
    if i >= 0 and spans[i][1] > start:
        return True
    return i + 1 < len(spans) and spans[i + 1][0] < end


def _candidates(text: str, marker: str) -> list[int]:
    """Offsets of `marker` in text (str.find is far faster than letting a pattern that starts
    with a lookbehind try every position)."""
    found = []
    i = text.find(marker)
    while i >= 0:
        found.append(i)
        i = text.find(marker, i + 1)
    return found


def _scheme_urls(text: str) -> list[Entity]:
    found: list[Entity] = []
    for i in _candidates(text, "://"):
        if i >= 5 and text[i - 5 : i].lower() == "https":
            start = i - 5
        elif i >= 4 and text[i - 4 : i].lower() == "http":
            start = i - 4
        else:
            continue
        if found and start < found[-1].end:
            continue
        m = _URL.match(text, start)
        if m:
            end = _trim_url(text, start, m.end())
            found.append(Entity(start, end, text[start:end]))
    return found


_DOT_LETTER = regex.compile(r"\.[A-Za-z]")
_HOST_RUN_START = regex.compile(r"(?r)(?<![A-Za-z0-9.\-])")
_HOST_RUN_END = regex.compile(r"[^A-Za-z0-9.\-]")


def _bare_url_matches(text: str) -> list[regex.Match[str]]:
    """What `_bare_url().finditer(text)` finds, faster: a bare domain starts where a run of host
    characters (ASCII letters, digits, "." and "-") starts, since the pattern refuses to start
    after one of them. So each run holding a ".letter" is tried once, at its start."""
    pattern, run_end = _bare_url(), -1
    matches: list[regex.Match[str]] = []
    for dot in _DOT_LETTER.finditer(text):
        i = dot.start()
        if i < run_end:
            continue  # this run was tried already
        start = _HOST_RUN_START.search(text, 0, i).start()  # type: ignore[union-attr]  # i itself is a host character
        m = _HOST_RUN_END.search(text, i)
        run_end = m.start() if m else len(text)
        if matches and start < matches[-1].end():
            continue
        m = pattern.match(text, start)
        if m:
            matches.append(m)
            run_end = max(run_end, m.end())
    return matches


def _bare_urls(text: str, taken: list[Entity]) -> list[Entity]:
    spans = [(e.start, e.end) for e in taken]
    starts = [s for s, _ in spans]
    found = []
    for m in _bare_url_matches(text):
        host, tld, path = m.group("host"), m.group("tld"), m.group("path")
        if len(tld) == 2 and host.count(".") == 1 and not path and m.group("port") is None:
            continue  # "file.py", "README.md", "e.g": not links without a path
        start = m.start()
        end = _trim_url(text, start, m.end())
        if not _overlaps(spans, starts, start, end):
            found.append(Entity(start, end, text[start:end]))
    return found


def find_urls(text: str, *, schemeless: bool = False) -> list[Entity]:
    """http(s) links in `text`, in order. `schemeless=True` adds bare domains ("example.com/x")
    the way X and Threads link them; Mastodon and Bluesky only link URLs with a scheme."""
    urls = _scheme_urls(text)
    if schemeless and "." in text:
        mentions = _filtered(_MENTION, text, urls, "@")
        urls = sorted(urls + _bare_urls(text, sorted(urls + mentions, key=_start)), key=_start)
    return urls


def _start(e: Entity) -> int:
    return e.start


def _filtered(pattern: regex.Pattern[str], text: str, urls: list[Entity], markers: str) -> list[Entity]:
    """Matches of `pattern` starting at one of the `markers` characters, not overlapping a URL
    (a "#fragment" or "/@user" inside a link) nor each other."""
    spans = [(u.start, u.end) for u in urls]
    starts = [s for s, _ in spans]
    positions = _candidates(text, markers[0])
    for marker in markers[1:]:
        positions += _candidates(text, marker)
    if len(markers) > 1:
        positions.sort()
    found: list[Entity] = []
    for i in positions:
        if found and i < found[-1].end:
            continue
        m = pattern.match(text, i)
        if m and not _overlaps(spans, starts, i, m.end()):
            found.append(Entity(i, m.end(), m.group()))
    return found


def find_mentions(text: str, urls: list[Entity] | None = None) -> list[Entity]:
    """`@user`, `@user@domain.tld` and `@handle.bsky.social` mentions, in order (value keeps the @).

    `urls`: the result of `find_urls(text)` if you already have it (saves a scan)."""
    if "@" not in text:
        return []
    return _filtered(_MENTION, text, _scheme_urls(text) if urls is None else urls, "@")


def find_hashtags(text: str, urls: list[Entity] | None = None) -> list[Entity]:
    """`#tag` hashtags (letters of any script; not digits alone, not inside a URL), in order.

    The value keeps the "#" (Bluesky's tag facet wants it without: `value[1:]`)."""
    if "#" not in text and "＃" not in text:
        return []
    return _filtered(_HASHTAG, text, _scheme_urls(text) if urls is None else urls, "#＃")


_SCHEME = regex.compile(r"(?i)https?://")


def display_url(url: str) -> str:
    """How a link shows in a Bluesky post: the way bsky.app writes it, and what our Bluesky client
    puts in the post's text (the link facet keeps the full URL). No "http(s)://"; a path (with its
    query and fragment) longer than 15 characters is cut to its first 13 and "...", never inside a
    grapheme cluster. Mirrors `urllib.parse.urlsplit`: "/" alone is dropped, as are an empty
    query or fragment. Works on a bare domain too ("example.com/page")."""
    m = _SCHEME.match(url)
    rest = url[m.end() :] if m else url
    cut = len(rest)
    for mark in "/?#":
        i = rest.find(mark)
        if 0 <= i < cut:
            cut = i
    host, tail = rest[:cut].rpartition("@")[2], rest[cut:]
    tail, _, fragment = tail.partition("#")
    path, _, query = tail.partition("?")
    shown = "" if path == "/" else path
    if query:
        shown += "?" + query
    if fragment:
        shown += "#" + fragment
    if len(shown) > 15:
        kept, used = [], 0
        for g in regex.findall(r"\X", shown):
            if used + len(g) > 13:
                break
            kept.append(g)
            used += len(g)
        shown = "".join(kept) + "..."
    return host + shown


def utf8_offsets(text: str, start: int, end: int) -> tuple[int, int]:
    """UTF-8 byte offsets (byteStart, byteEnd) of the characters text[start:end], for Bluesky facets.

    Offsets are clamped into the text like slicing does; lone surrogates count 3 bytes each."""
    n = len(text)
    start = min(max(start, 0), n)
    end = min(max(end, start), n)
    byte_start = len(text[:start].encode("utf-8", "surrogatepass"))
    return byte_start, byte_start + len(text[start:end].encode("utf-8", "surrogatepass"))
