"""How long a post is, as each platform counts it; its limit; and splitting it into a thread.

```python
count(text, "bluesky")                      # the length as that platform counts it
count(text, "mastodon", content_warning="...", url_cost=23)
limit("mastodon")                           # 500; micropub: None (no limit)
measure(text, "bluesky")                    # Measure: count, bytes, links and their limits
split_thread(text, "bluesky")               # parts that each fit, numbered " 1/3"
findings(text, "bluesky")                   # [Finding] in category "length", rule "length.bluesky"
```

Counting rules (sources: ../shared/platforms.md sections 1.5, 2.3-2.4, 3.5, 4.3, 5.2):

- **mastodon** (500): grapheme clusters of content warning + text, where every http(s) URL counts
  `url_cost` (23, the instance's `characters_reserved_per_url`) whatever its length and a mention
  `@user@domain` counts as `@user`. `url_cost=None` counts URLs in full (Pleroma/Akkoma's rule).
- **bluesky** (300): grapheme clusters, and at most 3,000 UTF-8 bytes, of the text as our Bluesky
  client sends it: the server counts links in full and shortens nothing, so the client writes each
  link the way bsky.app shows it (`entities.display_url`: "example.com/a-long-pa...", the full URL
  in the link facet), and that shortened text is what is counted. Links are http(s) URLs and bare
  domains, as bsky.app links them. Handles count in full. `count` gives graphemes; `measure` both.
- **x** (280): twitter-text v3 weights on the NFC-normalised text: code points in U+0000-10FF,
  U+2000-200D, U+2010-201F, U+2032-2037 weigh 1, all others 2; every URL (bare domains like
  "example.com/a" too, as t.co links them) weighs 23; an emoji sequence (ZWJ family, flag, skin
  tone, keycap) weighs 2 once. A grapheme cluster holding an emoji counts as one emoji.
- **threads** (500, at most 5 links): Meta says "emojis are counted by their UTF-8 byte length"
  without saying what everything else counts as. Decision, to stay on the safe side: each grapheme
  cluster counts 1, except that a cluster holding an emoji counts its UTF-8 bytes (😀 = 4, a ZWJ
  family = 18 or more). Links are http(s) URLs plus bare domains.
- **linkedin** (3,000): UTF-16 code units (it is unverified whether LinkedIn counts code points or
  UTF-16 units; UTF-16 is never smaller, so the count is conservative).
- **micropub**: no limit (`limit("micropub") is None`); `count` gives grapheme clusters.

`url_cost` applies to Mastodon only (X's t.co length is always 23); `content_warning` likewise.

Splitting (`split_thread`): a text that fits comes back as `[text]`, untouched. Otherwise it is
cut at paragraph breaks (blank lines) when one falls in the last two thirds of a part's budget,
else at a line break or sentence end in the last half, else at the last space (or between two CJK
characters), and only as a last resort, for a single word longer than a part, between grapheme
clusters. Never inside a URL, a mention, a hashtag or a grapheme cluster. The whitespace at a cut
is dropped; nothing else is. When `numbered`, each part ends with " i/k", counted in its budget.
Decision for a URL that alone is longer than a part's budget (only possible where URLs count in
full, Threads and LinkedIn, or with an absurdly long Bluesky host name): it stays whole, in a
part of its own, which is then over the limit; `findings` reports it as an error ("use a shorter
link"). A broken link is worse than a refused post the writer was warned about. Mentions and
hashtags that long are not real ones and are split like any long word. A Mastodon content
warning goes on every part, so it leaves less room in each; one that leaves under
`MIN_ROOM` characters is an error (the Mastodon client refuses it too).

Everything here accepts any string without raising; a bad platform name, limit or url_cost raises
ValueError (a programming error). Speed: `bench/length.py`.
"""

from __future__ import annotations

import threading
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate

import regex

from composer.textdiff import changed_window

from .entities import display_url, find_hashtags, find_mentions, find_urls
from .model import Finding, Severity

__all__ = [
    "PLATFORMS",
    "DEFAULT_URL_COST",
    "BLUESKY_MAX_BYTES",
    "THREADS_MAX_LINKS",
    "MIN_ROOM",
    "Measure",
    "count",
    "limit",
    "measure",
    "fits",
    "split_thread",
    "findings",
    "graphemes",
]

PLATFORMS: tuple[str, ...] = ("mastodon", "bluesky", "x", "threads", "linkedin", "micropub")
"""Platform names the length rules know."""

_LIMITS: dict[str, int | None] = {
    "mastodon": 500,
    "bluesky": 300,
    "x": 280,
    "threads": 500,
    "linkedin": 3000,
    "micropub": None,
}
_NAMES = {
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "x": "X",
    "threads": "Threads",
    "linkedin": "LinkedIn",
    "micropub": "Micropub",
}

DEFAULT_URL_COST = 23
"""Mastodon's `characters_reserved_per_url` default; X's t.co length."""
BLUESKY_MAX_BYTES = 3000
THREADS_MAX_LINKS = 5
MIN_ROOM = 20
"""Characters a Mastodon content warning must leave for the text when a post becomes a thread."""

_INF = 1 << 62

# --------------------------------------------------------------------------- unit counters

_NON_ASCII = regex.compile(r"[^\x00-\x7f]+")
_GRAPHEME = regex.compile(r"\X")


def _special_runs(text: str) -> list[tuple[int, int]]:
    """Runs of non-ASCII characters and CR LF pairs, sorted (a plain class scans fast; an
    alternation with CR LF would not)."""
    runs = [m.span() for m in _NON_ASCII.finditer(text)]
    i = text.find("\r\n")
    if i >= 0:
        while i >= 0:
            runs.append((i, i + 2))
            i = text.find("\r\n", i + 2)
        runs.sort()
    return runs


_EMOJI = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}\u20e3]")


def _clusters(text: str) -> list[tuple[int, int]]:
    """Spans of the grapheme clusters of `text` other than lone ASCII characters.

    Only windows around runs of non-ASCII characters (and CR LF) are segmented: two ASCII
    characters never join into one cluster except CR LF, so the character just before a run
    starts a cluster (or is the tail of the previous window, which is then merged in), and
    the cluster holding the run ends at most one character after it."""
    if text.isascii() and "\r\n" not in text:
        return []
    n = len(text)
    if _dense(text):
        # Dense non-ASCII (CJK, emoji-heavy): one pass over every cluster is cheaper.
        spans, pos = [], 0
        for c in _GRAPHEME.findall(text):
            k = len(c)
            if k > 1 or c > "\x7f":
                spans.append((pos, pos + k))
            pos += k
        return spans
    windows: list[list[int]] = []
    for start, end in _special_runs(text):
        a, b = max(start - 1, 0), min(end + 1, n)
        if windows and a <= windows[-1][1]:
            windows[-1][1] = b
        else:
            windows.append([a, b])
    spans = []
    for a, b in windows:
        for m in _GRAPHEME.finditer(text, a, b):
            start, end = m.span()
            if end - start > 1 or ord(text[start]) > 0x7F:
                spans.append((start, end))
    return spans


def graphemes(text: str) -> int:
    """User-perceived characters (extended grapheme clusters, UAX #29)."""
    if text.isascii():
        return len(text) - text.count("\r\n")
    if _dense(text):
        return len(_GRAPHEME.findall(text))
    return len(text) - sum(end - start - 1 for start, end in _clusters(text))


def _dense(text: str) -> bool:
    """Whether non-ASCII is common enough that visiting every cluster beats scanning for runs."""
    return (len(text) - len(_NON_ASCII.sub("", text))) * 4 >= len(text)


def _utf8(text: str) -> int:
    if len(text) < 256 or text.isascii():
        return len(text.encode("utf-8", "surrogatepass"))
    # Encoding a long mostly-ASCII str stored as UCS-4 (any emoji in it) is slow: encode the
    # non-ASCII runs only.
    runs = "".join(_NON_ASCII.findall(text))
    return len(text) - len(runs) + len(runs.encode("utf-8", "surrogatepass"))


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _x_weight(cp: int) -> int:
    if cp <= 0x10FF or 0x2000 <= cp <= 0x200D or 0x2010 <= cp <= 0x201F or 0x2032 <= cp <= 0x2037:
        return 1
    return 2


def _x_cluster(cluster: str) -> int:
    """twitter-text v3 weight of one (NFC) grapheme cluster."""
    if len(cluster) > 1 and _EMOJI.search(cluster):
        return 2  # an emoji sequence: one weight-2 unit
    return sum(_x_weight(ord(c)) for c in cluster)


_X_HEAVY = regex.compile(r"[^\u0000-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")
"""Code points twitter-text v3 weighs 2."""


def _x_plain(text: str) -> int:
    """X weight of NFC text without URLs."""
    if text.isascii():
        return len(text)
    total = len(text) + len(_X_HEAVY.findall(text))
    if _EMOJI.search(text):  # an emoji sequence weighs 2, not the sum of its code points
        if _dense(text):
            multi = [c for c in _GRAPHEME.findall(text) if len(c) > 1]
        else:
            multi = [text[a:b] for a, b in _clusters(text) if b - a > 1]
        for cluster in multi:
            total += _x_cluster(cluster) - sum(_x_weight(ord(c)) for c in cluster)
    return total


def _threads_cluster(cluster: str) -> int:
    return _utf8(cluster) if _EMOJI.search(cluster) else 1


def _threads_chars(text: str) -> int:
    if text.isascii():
        return len(text) - text.count("\r\n")
    if not _EMOJI.search(text):
        return graphemes(text)
    if _dense(text):
        clusters = _GRAPHEME.findall(text)
        search = _EMOJI.search
        # no single character below U+00A9 (©) is an emoji; a keycap "1️⃣" starts with a digit
        return len(clusters) + sum(_utf8(c) - 1 for c in clusters if (len(c) > 1 or c >= "\u00a9") and search(c))
    total = len(text)
    for a, b in _clusters(text):
        total += _threads_cluster(text[a:b]) - (b - a)
    return total


def _nfc(text: str) -> str:
    try:
        return unicodedata.normalize("NFC", text)
    except Exception:  # pragma: no cover - defensive: never raise for a string
        return text


# --------------------------------------------------------------------------- platform rules


@dataclass(frozen=True, slots=True)
class _Rules:
    """How one platform (with its limit, content warning and URL cost) counts a piece of text."""

    platform: str
    limits: tuple[int, ...]
    """Per dimension: the main count, then bytes (Bluesky) or links (Threads)."""
    bases: tuple[int, ...]
    """Per dimension, what one plain ASCII character outside any entity costs."""
    overhead: tuple[int, ...]
    """Per dimension, what every part carries anyway (Mastodon's content warning)."""
    content_warning: str = ""
    url_cost: int | None = DEFAULT_URL_COST

    @property
    def schemeless(self) -> bool:
        return self.platform in ("x", "threads", "bluesky")

    # The exact count of a whole text (a post, or a part with its number).
    def measure(self, text: str) -> tuple[int, ...]:
        p = self.platform
        if p == "mastodon":
            return (graphemes(self.content_warning + _mastodon_countable(text, self.url_cost)),)
        if p == "bluesky":
            shown = _bluesky_text(text)
            return (graphemes(shown), _utf8(shown))
        if p == "x":
            return (_x_count(text),)
        if p == "threads":
            return (_threads_chars(text), len(find_urls(text, schemeless=True)))
        if p == "linkedin":
            return (_utf16(text),)
        return (graphemes(text),)

    # The cost of a piece cut out of a longer text (no per-part overhead).
    def piece(self, text: str) -> tuple[int, ...]:
        if self.platform == "mastodon":
            return (graphemes(_mastodon_countable(text, self.url_cost)),)
        return self.measure(text)

    def cluster(self, c: str) -> tuple[int, ...]:
        p = self.platform
        if p == "bluesky":
            return (1, _utf8(c))
        if p == "x":
            return (_x_cluster(_nfc(c)),)
        if p == "threads":
            return (_threads_cluster(c), 0)
        if p == "linkedin":
            return (_utf16(c),)
        return (1,)

    def entity(self, kind: str, value: str) -> tuple[int, ...]:
        p = self.platform
        if p == "mastodon":
            if kind == "url" and self.url_cost is not None:
                return (self.url_cost,)
            if kind == "mention":
                return (graphemes("@" + value[1:].split("@", 1)[0]),)
            return (graphemes(value),)
        if p == "x":
            return (DEFAULT_URL_COST,) if kind == "url" else (_x_plain(_nfc(value)),)
        if p == "threads":
            return (_threads_chars(value), 1 if kind == "url" else 0)
        if p == "bluesky" and kind == "url":
            shown = display_url(value)
            return (graphemes(shown), _utf8(shown))
        return self.piece(value)

    def costs(self, pieces: list[str], kinds: list[str]) -> list[list[int]]:
        """Per dimension, the cost of each atom (`pieces`, of `kinds`)."""
        p, m = self.platform, len(pieces)
        if p == "bluesky":
            costs = [[1] * m, [len(c.encode("utf-8", "surrogatepass")) for c in pieces]]
        elif p == "x":
            costs = [[_x_cluster(_nfc(c)) for c in pieces]]
        elif p == "threads":
            costs = [[_threads_cluster(c) for c in pieces], [0] * m]
        elif p == "linkedin":
            costs = [[len(c.encode("utf-16-le", "surrogatepass")) // 2 for c in pieces]]
        else:
            costs = [[1] * m]
        for k, kind in enumerate(kinds):
            if kind != "cluster":
                cost = self.piece(pieces[k]) if kind == "mixed" else self.entity(kind, pieces[k])
                for d, c in enumerate(cost):
                    costs[d][k] = c
        return costs

    def entities(self, text: str) -> list[tuple[int, int, str]]:
        """Indivisible entities, sorted and disjoint: (start, end, kind)."""
        urls = find_urls(text, schemeless=self.schemeless)
        scheme_urls = urls if not self.schemeless else [u for u in urls if "://" in u.value]
        found = [(u.start, u.end, "url") for u in urls]
        found += [(e.start, e.end, "mention") for e in find_mentions(text, scheme_urls)]
        found += [(e.start, e.end, "hashtag") for e in find_hashtags(text, scheme_urls)]
        found.sort()
        disjoint: list[tuple[int, int, str]] = []
        for item in found:
            if not disjoint or item[0] >= disjoint[-1][1]:
                disjoint.append(item)
        return disjoint


def _mastodon_countable(text: str, url_cost: int | None) -> str:
    """The text Mastodon counts: URLs replaced by `url_cost` characters, mention domains dropped."""
    if "://" not in text and "@" not in text:
        return text
    urls = find_urls(text)
    swaps: list[tuple[int, int, str]] = []
    if url_cost is not None:
        swaps += [(u.start, u.end, "x" * url_cost) for u in urls]
    for m in find_mentions(text, urls):
        user, _, domain = m.value[1:].partition("@")
        if domain:
            swaps.append((m.start, m.end, "@" + user))
    if not swaps:
        return text
    swaps.sort()
    out, pos = [], 0
    for start, end, replacement in swaps:
        out += (text[pos:start], replacement)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _bluesky_text(text: str) -> str:
    """The text as the Bluesky client posts it: every link written as bsky.app shows it."""
    if "." not in text:
        return text
    out, pos = [], 0
    for u in find_urls(text, schemeless=True):
        out += (text[pos : u.start], display_url(u.value))
        pos = u.end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _x_count(text: str) -> int:
    text = _nfc(text)
    total, pos = 0, 0
    for u in find_urls(text, schemeless=True):
        total += _x_plain(text[pos : u.start]) + DEFAULT_URL_COST
        pos = u.end
    return total + _x_plain(text[pos:])


def _platform(name: str) -> str:
    key = str(name).strip().lower()
    if key in ("twitter",):
        key = "x"
    if key not in _LIMITS:
        raise ValueError(f"unknown platform {name!r}; known: {', '.join(PLATFORMS)}")
    return key


def _rules(platform: str, limit_: int | None, content_warning: str, url_cost: int | None) -> _Rules:
    p = _platform(platform)
    if limit_ is None:
        limit_ = _LIMITS[p]
    elif isinstance(limit_, bool) or not isinstance(limit_, int) or limit_ < 1:
        raise ValueError(f"limit must be a positive whole number, not {limit_!r}")
    if url_cost is not None and (isinstance(url_cost, bool) or not isinstance(url_cost, int) or url_cost < 0):
        raise ValueError(f"url_cost must be a whole number >= 0 or None, not {url_cost!r}")
    cw = _text(content_warning) if p == "mastodon" else ""
    main = _INF if limit_ is None else limit_
    if p == "bluesky":
        return _Rules(p, (main, BLUESKY_MAX_BYTES), (1, 1), (0, 0))
    if p == "threads":
        return _Rules(p, (main, THREADS_MAX_LINKS), (1, 0), (0, 0))
    if p == "mastodon":
        return _Rules(p, (main,), (1,), (graphemes(cw),), cw, url_cost)
    return _Rules(p, (main,), (1,), (0,))


# --------------------------------------------------------------------------- public: counting


@dataclass(frozen=True, slots=True)
class Measure:
    """A post's length as one platform counts it, against that platform's limits."""

    platform: str
    count: int
    """In the platform's own unit (see the module doc): what `count()` returns."""
    limit: int | None
    bytes: int = 0
    """UTF-8 bytes (Bluesky's second limit)."""
    byte_limit: int | None = None
    links: int = 0
    link_limit: int | None = None

    @property
    def over(self) -> int:
        """How far the main count is over its limit (0 when within)."""
        return 0 if self.limit is None else max(0, self.count - self.limit)

    @property
    def fits(self) -> bool:
        return (
            (self.limit is None or self.count <= self.limit)
            and (self.byte_limit is None or self.bytes <= self.byte_limit)
            and (self.link_limit is None or self.links <= self.link_limit)
        )

    @property
    def binding(self) -> str | None:
        """Which limit is overrun the most ("count", "bytes" or "links"), None when it fits."""
        ratios = []
        if self.limit is not None and self.count > self.limit:
            ratios.append((self.count / self.limit, 2, "count"))
        if self.byte_limit is not None and self.bytes > self.byte_limit:
            ratios.append((self.bytes / self.byte_limit, 1, "bytes"))
        if self.link_limit is not None and self.links > self.link_limit:
            ratios.append((self.links / self.link_limit, 0, "links"))
        return max(ratios)[2] if ratios else None


def limit(platform: str) -> int | None:
    """The platform's default limit in its own unit; None for Micropub (no limit)."""
    return _LIMITS[_platform(platform)]


def measure(
    text: str,
    platform: str,
    limit: int | None = None,
    *,
    content_warning: str = "",
    url_cost: int | None = DEFAULT_URL_COST,
) -> Measure:
    """Count `text` for `platform`, with every limit that applies (`limit` overrides the main one,
    as a server may announce another)."""
    rules = _rules(platform, limit, content_warning, url_cost)
    return _measure(rules, _text(text))


def _measure(rules: _Rules, text: str) -> Measure:
    return _measure_values(rules, rules.measure(text))


def _measure_values(rules: _Rules, values: tuple[int, ...]) -> Measure:
    main = None if rules.limits[0] >= _INF else rules.limits[0]
    if rules.platform == "bluesky":
        return Measure(rules.platform, values[0], main, bytes=values[1], byte_limit=BLUESKY_MAX_BYTES)
    if rules.platform == "threads":
        return Measure(rules.platform, values[0], main, links=values[1], link_limit=THREADS_MAX_LINKS)
    return Measure(rules.platform, values[0], main)


def count(
    text: str,
    platform: str,
    *,
    content_warning: str = "",
    url_cost: int | None = DEFAULT_URL_COST,
) -> int:
    """The length of `text` as `platform` counts it (Mastodon: with its content warning)."""
    return _rules(platform, None, content_warning, url_cost).measure(_text(text))[0]


def fits(
    text: str,
    platform: str,
    limit: int | None = None,
    *,
    content_warning: str = "",
    url_cost: int | None = DEFAULT_URL_COST,
) -> bool:
    """Whether `text` is within every limit of `platform` (Bluesky bytes, Threads links included)."""
    return measure(text, platform, limit, content_warning=content_warning, url_cost=url_cost).fits


def _text(text: object) -> str:
    return text if isinstance(text, str) else ("" if text is None else str(text))


# --------------------------------------------------------------------------- layout


def _merge(
    ents: list[tuple[int, int, str]], clusters: list[tuple[int, int]]
) -> tuple[list[int], list[int], list[str]]:
    """Atoms (starts, ends, kinds) from disjoint sorted entities and clusters. A cluster inside an
    entity disappears into it; a partial overlap makes one "mixed" atom measured as a whole."""
    cs = [a for a, _ in clusters]
    ce = [b for _, b in clusters]
    if not ents:
        return cs, ce, ["cluster"] * len(cs)
    starts: list[int] = []
    ends: list[int] = []
    kinds: list[str] = []
    ci = 0
    for es, ee, kind in ents:
        j = bisect_right(ce, es, ci)  # clusters ci..j-1 end before the entity starts
        starts += cs[ci:j]
        ends += ce[ci:j]
        kinds += ["cluster"] * (j - ci)
        k = bisect_left(cs, ee, j)  # clusters j..k-1 overlap it
        if j < k:
            if cs[j] < es or ce[k - 1] > ee:
                kind = "mixed"
            es, ee = min(es, cs[j]), max(ee, ce[k - 1])
        if starts and es < ends[-1]:
            ends[-1], kinds[-1] = max(ends[-1], ee), "mixed"
        else:
            starts.append(es)
            ends.append(ee)
            kinds.append(kind)
        ci = k
    starts += cs[ci:]
    ends += ce[ci:]
    kinds += ["cluster"] * (len(cs) - ci)
    return starts, ends, kinds


_SINGLE_SPECIAL = {
    "x": lambda c: _X_HEAVY.match(c) is not None,
    "threads": lambda c: c >= "\u00a9" and _EMOJI.match(c) is not None,
    "linkedin": lambda c: c > "\uffff",
}
"""Platforms where a lone non-ASCII code point may cost other than 1 (in the main count)."""


def _atoms(text: str, rules: _Rules, bytes_matter: bool):
    """(starts, ends, kinds, costs per dimension) of the atoms of `text` (see `_Layout`).

    Atoms never hold a line break but as the end of a CR LF cluster (entities hold no white
    space; a grapheme cluster always ends after LF), and the entity patterns look at most one
    character around a match: so the atoms of the lines of a text are those of the whole text,
    which `_Layout` relies on to redo only the lines an edit touched."""
    ents = rules.entities(text)
    clusters = _clusters(text)
    if not bytes_matter:
        special = _SINGLE_SPECIAL.get(rules.platform)
        clusters = [(a, b) for a, b in clusters if b - a > 1 or (special is not None and special(text[a]))]
    starts, ends, kinds = _merge(ents, clusters)
    costs = rules.costs([text[a:b] for a, b in zip(starts, ends)], kinds)
    return starts, ends, kinds, costs


class _Layout:
    """A text cut into indivisible atoms with per-dimension prefix costs, so that the cost of any
    stretch between two atom boundaries, and the furthest boundary a budget reaches, take a few
    bisections instead of a walk over the characters.

    Outside atoms every character is plain ASCII and costs `bases[d]`; atoms are entities (URLs,
    mentions, hashtags) and grapheme clusters that are not a lone ASCII character.
    """

    __slots__ = ("text", "n", "rules", "starts", "ends", "kinds", "costs", "cum", "fend", "bytes_matter")

    def __init__(self, text: str, rules: _Rules, reuse: tuple | None = None) -> None:
        """`reuse`: (old layout, zone start, old zone end, new zone end) to take the atoms outside
        the zone from an earlier layout of the text before one edit (see `_Layout.edited`)."""
        self.text, self.n, self.rules = text, len(text), rules
        # A single code point costing what a plain character costs needs no atom (CJK on
        # Mastodon). Bluesky's bytes are ignored for that unless the whole text could reach the
        # byte limit; a part is measured exactly before it is accepted anyway.
        self.bytes_matter = rules.platform == "bluesky" and _utf8(text) + 16 > rules.limits[1]
        if reuse is None or reuse[0].bytes_matter != self.bytes_matter or reuse[0].rules != rules:
            starts, ends, kinds, costs = _atoms(text, rules, self.bytes_matter)
        else:
            old, zs, ze_old, ze_new = reuse
            delta = ze_new - ze_old
            i, j = bisect_left(old.starts, zs), bisect_left(old.starts, ze_old)
            z_starts, z_ends, kinds, z_costs = _atoms(text[zs:ze_new], rules, self.bytes_matter)
            starts = old.starts[:i] + [x + zs for x in z_starts] + [x + delta for x in old.starts[j:]]
            ends = old.ends[:i] + [x + zs for x in z_ends] + [x + delta for x in old.ends[j:]]
            kinds = old.kinds[:i] + kinds + old.kinds[j:]
            costs = [c[:i] + zc + c[j:] for c, zc in zip(old.costs, z_costs)]
        self.starts, self.ends, self.kinds, self.costs = starts, ends, kinds, costs
        self.cum, self.fend = [], []
        for base, cost in zip(rules.bases, costs):
            if base:
                cum = list(accumulate([c - base * (b - a) for c, a, b in zip(cost, starts, ends)]))
                self.fend.append([base * b + c for b, c in zip(ends, cum)])
            else:
                cum = list(accumulate(cost))
                self.fend.append(cum)
            self.cum.append(cum)

    def down(self, x: int) -> int:
        """The atom boundary at or before x."""
        k = bisect_right(self.starts, x) - 1
        return self.starts[k] if k >= 0 and self.starts[k] < x < self.ends[k] else x

    def up(self, x: int) -> int:
        """The atom boundary at or after x."""
        k = bisect_right(self.starts, x) - 1
        return self.ends[k] if k >= 0 and self.starts[k] < x < self.ends[k] else x

    def prefix(self, d: int, x: int) -> int:
        """Cost in dimension d of text[:x], x an atom boundary."""
        k = bisect_right(self.ends, x) - 1
        return self.rules.bases[d] * x + (self.cum[d][k] if k >= 0 else 0)

    def cost(self, d: int, start: int, end: int) -> int:
        return self.prefix(d, end) - self.prefix(d, start)

    def reach(self, s: int, budgets: tuple[int, ...]) -> int:
        """The furthest atom boundary x >= s with text[s:x] within `budgets` in every dimension."""
        i0 = bisect_left(self.starts, s)
        last = len(self.starts) - 1
        targets = []
        for d, budget in enumerate(budgets):
            if budget < 0:
                return s
            f_s = self.rules.bases[d] * s + (self.cum[d][i0 - 1] if i0 else 0)
            targets.append(f_s + budget)
            last = min(last, bisect_right(self.fend[d], f_s + budget, i0) - 1)
        if last >= i0:
            p = self.ends[last]
            f_p = [self.fend[d][last] for d in range(len(budgets))]
        else:
            last, p = i0 - 1, s
            f_p = [self.rules.bases[d] * s + (self.cum[d][i0 - 1] if i0 else 0) for d in range(len(budgets))]
        nxt = self.starts[last + 1] if last + 1 < len(self.starts) else self.n
        slack = _INF
        for d, base in enumerate(self.rules.bases):
            if base:
                slack = min(slack, (targets[d] - f_p[d]) // base)
        return min(nxt, p + max(slack, 0))

    def atom_at(self, x: int) -> int | None:
        k = bisect_left(self.starts, x)
        return k if k < len(self.starts) and self.starts[k] == x else None


# --------------------------------------------------------------------------- splitting

# Blank space a thread may be cut at: white space except the no-break spaces (U+00A0, U+2007,
# U+202F), which writers use precisely to keep "10 km" or "M. Dupont" together.
_WS = r"[^\S\u00a0\u2007\u202f]"
_SENTENCE = regex.compile(
    rf"(?r){_WS}*\n{_WS}*"
    rf"|(?<=[.!?…‼⁇⁈⁉。！？][\"'”’»)\]」』）】]*){_WS}+(?![\s\p{{Ll}}])"
    r"|(?<=[。！？][」』）】\"'”’]*)(?![\s」』）】\"'”’])"
)
"""A line break, or the space after a sentence's end (not before a lower-case word: "e.g. the")."""
_WORD = regex.compile(
    rf"(?r){_WS}+"
    r"|(?<=[\p{Han}\p{Hiragana}\p{Katakana}、，。！？])(?=[\p{Han}\p{Hiragana}\p{Katakana}])"
)
"""Blank space, or the point between two CJK characters (Chinese and Japanese use no spaces)."""
_SPACE = regex.compile(_WS)
_NONSPACE = regex.compile(r"\S")
_LAST_NONSPACE = regex.compile(r"(?r)\S")
_LOOKAHEAD = 64
"""How far past a part's end a whitespace run that starts inside it is looked for."""


@dataclass(frozen=True, slots=True)
class _Part:
    start: int
    end: int
    oversize: bool = False
    """A URL (or cluster) alone longer than a part's budget: kept whole, over the limit."""


class _Splitter:
    def __init__(self, layout: _Layout) -> None:
        self.lay = layout
        self.text = layout.text
        self.rules = layout.rules
        self.seen = 0
        """How far into the text the current part's choice has looked (exclusive): where an
        edit can no longer change it (see `_Split.resume`)."""

    def see(self, x: int) -> None:
        if x > self.seen:
            self.seen = x

    def skip_space(self, x: int) -> int:
        m = _NONSPACE.search(self.text, x)
        self.see(m.end() if m else self.lay.n)
        return self.lay.down(m.start()) if m else self.lay.n

    def trim_end(self, s: int, x: int) -> int:
        self.see(x)
        m = _LAST_NONSPACE.search(self.text, s, x)
        return self.lay.up(m.end()) if m else s

    def plan(
        self, budgets: tuple[int, ...], suffix: str, resume: _Resume | None = None
    ) -> tuple[list[_Part], list[int]]:
        """The parts, and for each how far its choice looked (`seen`). `resume`: the plan of the
        text before one edit, whose parts are kept wherever the edit cannot change them."""
        lay = self.lay
        start = self.skip_space(0)
        content_end = self.trim_end(start, lay.n)
        parts: list[_Part] = []
        horizons: list[int] = []
        s = start
        if resume is not None:
            parts, horizons, s = resume.head(start, content_end)
        while s < content_end:
            self.seen = s
            part = self.next_part(s, content_end, budgets, suffix)
            if part.end <= s:  # defensive: a part always moves on
                part = self.smallest(s, content_end)
            self.see(part.end)
            parts.append(part)
            s = self.skip_space(part.end)
            if s < part.end:  # never go back (cannot happen: part ends on a boundary)
                s = part.end
            horizons.append(self.seen)
            if resume is not None and resume.tail(s, content_end, parts, horizons):
                break
        if not parts:
            return [_Part(start, content_end)], [lay.n]
        return parts, horizons

    def next_part(self, s: int, content_end: int, budgets: tuple[int, ...], suffix: str) -> _Part:
        tight = budgets
        for _ in range(8):
            part, checked = self.choose(s, content_end, tight)
            if part.oversize:
                return part
            piece = self.text[part.start : part.end] + suffix
            if checked and piece.isascii() and "\r" not in piece:
                return part
            got = self.rules.measure(piece)
            over = [max(got[d] - self.rules.limits[d], 0) for d in range(len(got))]
            if not any(over):
                return part
            # The additive plan was off (context-dependent clusters or entities, bytes of single
            # characters): tighten and retry. Every unit of the main count costs at least one
            # unit of any other length dimension, so cutting the main budget by the worst
            # overflow is enough when the plan is off by no more than that.
            tight = (tight[0] - max(over),) + tuple(b - o for b, o in zip(tight[1:], over[1:]))
        return self.smallest(s, content_end)

    def smallest(self, s: int, content_end: int) -> _Part:
        """One atom or character: the least a part can hold."""
        k = self.lay.atom_at(s)
        end = self.lay.ends[k] if k is not None else s + 1
        self.see(end + 1)
        return _Part(s, min(end, content_end) if end > s else s + 1, oversize=True)

    def choose(self, s: int, content_end: int, budgets: tuple[int, ...]) -> tuple[_Part, bool]:
        """The next part from s, and whether its plain-ASCII cost is exact (no hard cut)."""
        lay = self.lay
        k = bisect_right(lay.starts, s) - 1
        if k >= 0 and lay.starts[k] < s < lay.ends[k]:
            return self.oversize(s, content_end, budgets), False  # resuming inside a cut word
        e = lay.reach(s, budgets)
        self.see(e + 1)
        if e >= content_end:
            return _Part(s, content_end), True
        if e <= s:
            return self.oversize(s, content_end, budgets), False
        main = budgets[0]
        hi = min(lay.n, e + _LOOKAHEAD)
        self.see(hi + 1)
        a = self.paragraph_break(s, e, hi)
        if a is None or lay.cost(0, s, a) < main // 3:
            a = self.last_break(_SENTENCE, s + 1, hi, s, e)
            if a is None or lay.cost(0, s, a) < main // 2:
                a = self.last_break(_WORD, s + 1, hi, s, e)
                if a is not None and lay.cost(0, s, a) < main // 2 and self.next_word_too_long(a, budgets):
                    a = None  # a short part then a word that must be cut anyway: cut it here
        if a is None:  # last resort: between grapheme clusters
            return _Part(s, max(self.trim_end(s, e), lay.down(s + 1)) if e < lay.n else e), False
        return _Part(s, a), True

    def paragraph_break(self, s: int, e: int, hi: int) -> int | None:
        """The end of the last paragraph (a blank run holding two line breaks) within (s, e]."""
        text = self.text
        i = text.rfind("\n", s + 1, hi)
        while i > s:
            m = _LAST_NONSPACE.search(text, s, i)
            run_start = m.end() if m else s
            m = _NONSPACE.search(text, i, hi)
            run_end = m.start() if m else hi
            if run_start <= e and text.count("\n", run_start, run_end) >= 2:
                a = self.lay.down(self.trim_end(s, run_start))
                return a if a > s else None
            i = text.rfind("\n", s + 1, run_start)
        return None

    def last_break(self, pattern: regex.Pattern[str], lo: int, hi: int, s: int, e: int) -> int | None:
        if lo > e:
            return None
        for m in pattern.finditer(self.text, lo, hi):
            if m.start() > e:
                continue
            a = self.lay.down(self.trim_end(s, m.start()) if m.end() > m.start() else m.start())
            if a > s:
                return a
            return None
        return None

    def next_word_too_long(self, a: int, budgets: tuple[int, ...]) -> bool:
        w = self.skip_space(a)
        m = _SPACE.search(self.text, w)
        word_end = m.start() if m else self.lay.n
        reach = self.lay.reach(w, budgets)
        self.see(max(word_end, reach) + 2)
        return reach < word_end

    def oversize(self, s: int, content_end: int, budgets: tuple[int, ...]) -> _Part:
        """Nothing fits from s: the atom there is bigger than a part."""
        lay = self.lay
        k = bisect_right(lay.starts, s) - 1
        if k < 0 or lay.ends[k] <= s:
            return self.smallest(s, content_end)  # the budget cannot hold a single character
        kind, end = lay.kinds[k], lay.ends[k]
        self.see(end + 1)
        if kind in ("mention", "hashtag"):
            # Not a real handle or tag at that length: cut it between grapheme clusters.
            cuts = [s] + [s + m.end() for m in regex.finditer(r"\X", self.text[s:end])]
            lo, hi = 0, len(cuts) - 1
            while lo < hi:
                mid = (lo + hi + 1) // 2
                piece = self.rules.piece(self.text[s : cuts[mid]])
                if all(piece[d] <= budgets[d] for d in range(len(piece))):
                    lo = mid
                else:
                    hi = mid - 1
            if lo > 0:
                return _Part(s, cuts[lo])
        return _Part(s, end, oversize=True)


def _budgets(rules: _Rules, reserve: int) -> tuple[int, ...]:
    return tuple(
        lim - over - (reserve if base else 0) for lim, over, base in zip(rules.limits, rules.overhead, rules.bases)
    )


class _Resume:
    """The numbered plan of a text before one edit, for planning the text after it: parts whose
    choice looked no further than the line before the edit are kept, planning resumes from the
    first other one, and stops as soon as a part starts where an old part started after the
    edited lines (shifted by the edit): from there on every choice reads the same text, so the
    old parts follow, shifted."""

    __slots__ = ("digits", "parts", "horizons", "zs", "ze_old", "delta", "content_end", "by_start")

    def __init__(self, digits, parts, horizons, zs, ze_old, ze_new, content_end_old):
        self.digits, self.parts, self.horizons = digits, parts, horizons
        self.zs, self.ze_old, self.delta = zs, ze_old, ze_new - ze_old
        self.content_end = content_end_old
        self.by_start = None

    def head(self, start: int, content_end: int) -> tuple[list[_Part], list[int], int]:
        """The parts kept, their horizons and where planning resumes."""
        j = 0
        if content_end >= self.zs:  # (else the edit cut the end of the content: plan it all)
            for h in self.horizons:
                if h + _MARGIN > self.zs:
                    break
                j += 1
        if j == 0 or j >= len(self.parts):
            return [], [], start
        return self.parts[:j], self.horizons[:j], self.parts[j].start

    def tail(self, s: int, content_end: int, parts: list[_Part], horizons: list[int]) -> bool:
        """Append the old parts from `s` on, if the plan has come back in line with them."""
        old = s - self.delta
        if old < self.ze_old or content_end - self.delta != self.content_end:
            return False
        if self.by_start is None:
            self.by_start = {p.start: i for i, p in enumerate(self.parts)}
        i = self.by_start.get(old)
        if i is None:
            return False
        d = self.delta
        parts += [_Part(p.start + d, p.end + d, p.oversize) for p in self.parts[i:]]
        horizons += [h + d for h in self.horizons[i:]]
        return True


_MARGIN = 8
"""Characters of slack between what a part's choice looked at and an edit it is kept across."""


def _split(
    layout: _Layout, numbered: bool, resume: _Resume | None = None
) -> tuple[list[str], list[_Part], tuple | None]:
    """(part texts, parts, and for a numbered plan (digits, parts, horizons, content end) to resume from)."""
    rules, text = layout.rules, layout.text
    splitter = _Splitter(layout)
    start = splitter.skip_space(0)
    end = splitter.trim_end(start, layout.n)
    if start > 0 or end < layout.n:
        trimmed = text[start:end]
        if _measure(rules, trimmed).fits:  # only blank space at either end was too much
            return [trimmed], [_Part(start, end)], None
    if not numbered:
        parts = splitter.plan(_budgets(rules, 0), "")[0]
        return [text[p.start : p.end] for p in parts], parts, None
    # Start from a guess of the part count (parts 70% full: cutting at paragraphs and sentences
    # leaves room), so that the plan usually runs once; a guess too small is corrected by
    # planning again, one too big only reserves a digit more than needed.
    total = layout.prefix(0, layout.n)
    per_part = max(1, rules.limits[0] - rules.overhead[0] - 4)
    digits = len(str(max(1, -(-total * 100 // (per_part * 70)))))
    while True:
        placeholder = " " + "9" * digits + "/" + "9" * digits
        again = resume if resume is not None and resume.digits == digits else None
        parts, horizons = splitter.plan(_budgets(rules, len(placeholder)), placeholder, again)
        record = (digits, parts, horizons, end)
        if len(parts) == 1:
            return [text[parts[0].start : parts[0].end]], parts, record
        if len(str(len(parts))) <= digits:
            break
        digits = len(str(len(parts)))
    k = len(parts)
    return [f"{text[p.start : p.end]} {i}/{k}" for i, p in enumerate(parts, 1)], parts, record


def split_thread(
    text: str,
    platform: str,
    limit: int | None = None,
    numbered: bool = True,
    *,
    content_warning: str = "",
    url_cost: int | None = DEFAULT_URL_COST,
) -> list[str]:
    """Split `text` into thread parts that each fit `platform` (see the module doc for the rules).

    A text that fits comes back as `[text]` unchanged. `content_warning` (Mastodon) is the one each
    part will carry. Deterministic."""
    rules = _rules(platform, limit, content_warning, url_cost)
    text = _text(text)
    if rules.limits[0] >= _INF or _measure(rules, text).fits:
        return [text]
    return _split(_Layout(text, rules), numbered)[0]


# --------------------------------------------------------------------------- findings


def _url_count(rules: _Rules, text: str, state: _State, last: _State | None, edit) -> int:
    """How many links `_how` sees in `text` (counted again only in the edited lines)."""
    if rules.platform not in ("mastodon", "bluesky", "x"):
        return 0
    if edit is not None and last is not None and last.urls is not None:
        zs, ze_old, ze_new = edit
        state.urls = (
            last.urls
            - len(find_urls(last.text[zs:ze_old], schemeless=rules.schemeless))
            + len(find_urls(text[zs:ze_new], schemeless=rules.schemeless))
        )
    else:
        state.urls = len(find_urls(text, schemeless=rules.schemeless))
    return state.urls


def _how(rules: _Rules, text: str, urls: int) -> list[str]:
    """What makes this platform's count differ from a plain character count, for this text
    (`urls`: how many links it has, as `find_urls` finds them for the platform)."""
    p, notes = rules.platform, []
    if p == "mastodon":
        if urls and rules.url_cost is not None:
            notes.append(f"each link counted as {rules.url_cost}")
        if rules.content_warning:
            notes.append("the content warning included")
    elif p == "bluesky" and urls:
        notes.append("links shortened as bsky.app shows them")
    elif p == "x":
        if urls:
            notes.append("each link counted as 23")
        if not text.isascii():
            notes.append("CJK characters and emoji counted as 2")
    elif p == "threads" and _EMOJI.search(text):
        notes.append("emoji counted as their UTF-8 bytes")
    return notes



def findings(
    text: str,
    platform: str,
    limit: int | None = None,
    content_warning: str = "",
    *,
    url_cost: int | None = DEFAULT_URL_COST,
) -> list[Finding]:
    """Length findings (category "length", rule "length.<platform>") for `text` on `platform`:
    a warning whose span is the part past the limit, saying how many parts the thread would take;
    an error for what no thread can carry (a content warning or a link longer than a post)."""
    rules = _rules(platform, limit, content_warning, url_cost)
    text = _text(text)
    if rules.limits[0] >= _INF:
        return []
    last = _LAST.get(rules)
    if last is not None and last.text == text:
        return list(last.found)
    edit = _edit(last.text, text) if last is not None else None
    state = _State(text)
    if edit is not None and not (rules.content_warning and edit[0] == 0):
        zs, ze_old, ze_new = edit
        before, after = rules.piece(last.text[zs:ze_old]), rules.piece(text[zs:ze_new])
        state.values = tuple(v - b + a for v, b, a in zip(last.values, before, after))
    else:
        state.values = rules.measure(text)
    state.found = out = _findings(rules, text, state, last, edit)
    with _LAST_LOCK:
        _LAST.pop(rules, None)
        _LAST[rules] = state
        while len(_LAST) > 16:
            del _LAST[next(iter(_LAST))]
    return list(out)


class _State:
    """What `findings` worked out for one text, to redo only what an edit changes next time."""

    __slots__ = ("text", "values", "urls", "layout", "record", "found")

    def __init__(self, text: str) -> None:
        self.text = text
        self.values: tuple[int, ...] = ()
        """`_Rules.measure(text)`."""
        self.urls: int | None = None
        """How many links `_how` finds."""
        self.layout: _Layout | None = None
        self.record: tuple | None = None
        """The numbered plan (see `_split`)."""
        self.found: list[Finding] = []


_LAST: dict[_Rules, _State] = {}
"""The last text each set of rules (platform, limit, content warning, URL cost) was checked on."""
_LAST_LOCK = threading.Lock()


def forget() -> None:
    """Drop the kept results of `findings` (benchmarks of a first analysis)."""
    with _LAST_LOCK:
        _LAST.clear()


def _edit(old: str, new: str) -> tuple[int, int, int] | None:
    """(start, old end, new end) of the lines that differ between `old` and `new`: the zone starts
    after a line break (or at 0) and ends after one (or at the end), both outside the edit."""
    n0, n1 = len(old), len(new)
    prefix, old_end, _ = changed_window(old, new)
    zs = old.rfind("\n", 0, prefix) + 1
    k = old.find("\n", old_end)
    ze_old = k + 1 if k >= 0 else n0
    return zs, ze_old, ze_old + n1 - n0


def _findings(rules: _Rules, text: str, state: _State, last: _State | None, edit) -> list[Finding]:
    m = _measure_values(rules, state.values)
    if m.fits:
        return []
    p = rules.platform
    rule, name, n = f"length.{p}", _NAMES[p], len(text)

    def finding(severity: Severity, start: int, end: int, message: str) -> Finding:
        return Finding(rule, "length", severity, start, end, message)

    if p == "mastodon" and rules.limits[0] - rules.overhead[0] < MIN_ROOM:
        return [
            finding(
                "error",
                0,
                n,
                f"The content warning takes {rules.overhead[0]:,} of {name}'s {rules.limits[0]:,} "
                "characters and goes on every part of a thread, leaving too little room for the "
                "text. Shorten the content warning.",
            )
        ]
    resume = None
    if edit is not None and last is not None and last.layout is not None:
        zs, ze_old, ze_new = edit
        layout = _Layout(text, rules, reuse=(last.layout, zs, ze_old, ze_new))
        if last.record is not None:
            resume = _Resume(*last.record[:3], zs, ze_old, ze_new, last.record[3])
    else:
        layout = _Layout(text, rules)
    parts, planned, state.record = _split(layout, numbered=True, resume=resume)
    state.layout = layout
    out: list[Finding] = []
    for part in planned:
        piece = text[part.start : part.end]
        if part.oversize and piece.strip():
            is_link = bool(find_urls(piece, schemeless=rules.schemeless))
            what, fix = ("This link is", "Use a shorter link to the same page") if is_link else ("This is", "Shorten it")
            out.append(
                finding(
                    "error",
                    part.start,
                    part.end,
                    f"{what} {rules.piece(piece)[0]:,} characters on its own, more than one {name} post "
                    f"can hold, so not even a thread can carry it. {fix}, or leave it out.",
                )
            )
    tail = layout.reach(0, _budgets(rules, 0))
    if not 0 <= tail < n:
        tail = 0
    k = len(parts)
    binding = m.binding
    fix = "drop some links" if binding == "links" else "shorten it"
    then = f"it will go out as a thread of {k} parts, or {fix}." if k > 1 else (
        "it fits once the blank space around it is trimmed."
    )
    if binding == "bytes":
        message = (
            f"{m.bytes - BLUESKY_MAX_BYTES:,} bytes over {name}'s {BLUESKY_MAX_BYTES:,}-byte limit "
            f"({m.bytes:,} bytes: emoji and non-Latin letters take several each); {then}"
        )
    elif binding == "links":
        message = f"{m.links} links, {m.links - THREADS_MAX_LINKS} over {name}' {THREADS_MAX_LINKS} per post; {then}"
    else:
        how = "".join(f", {note}" for note in _how(rules, text, _url_count(rules, text, state, last, edit)))
        message = f"{m.over:,} over {name}'s {m.limit:,} ({m.count:,} characters{how}); {then}"
    out.append(finding("warning" if k > 1 else "info", tail, n, message))
    out.sort(key=lambda f: (f.start, f.end, f.rule))
    return out
