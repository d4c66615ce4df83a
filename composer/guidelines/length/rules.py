"""A platform's counting rules (its `composer.registry.Counting`: why each platform's are what
they are is written there), the exact count of a text, and `Measure`.

How links count:
- `fixed`: every link costs `url_cost` whatever its length (the server's own where it announces
  one; `url_cost=None` counts links in full);
- `shown`: the client posts each link the way `shown_as` displays it (`entities.display_url`,
  "example.com/a-long-pa...", the full link behind it), and that text is what is counted;
- `full`: links count as written.
"""

from __future__ import annotations

from dataclasses import dataclass

from composer import registry
from composer.registry import Counting

from ..entities import display_url, find_hashtags, find_mentions, find_urls
from . import units
from .units import nfc, utf8, x_plain

DEFAULT_URL_COST = 23
"""The usual cost of a link where links cost a fixed amount (a t.co link's length)."""
MIN_ROOM = 20
"""Characters a counted content warning must leave for the text when a post becomes a thread."""
INF = 1 << 62
"""The limit of a platform without one."""


@dataclass(frozen=True, slots=True)
class Rules:
    """How one platform (with its limit, content warning and URL cost) counts a piece of text.

    Dimensions: the main count, then UTF-8 bytes where the platform limits them, then links
    where it limits those, then hashtags where it limits those."""

    platform: str
    label: str
    counting: Counting
    limits: tuple[int, ...]
    """Per dimension, the limit."""
    bases: tuple[int, ...]
    """Per dimension, what one plain ASCII character outside any entity costs."""
    overhead: tuple[int, ...]
    """Per dimension, what every part carries anyway (a counted content warning)."""
    content_warning: str = ""
    url_cost: int | None = DEFAULT_URL_COST
    """What a link costs where links cost a fixed amount; None: links count in full."""

    @property
    def schemeless(self) -> bool:
        """Bare domains ("example.com/page") are links too."""
        return self.counting.bare_domains

    @property
    def byte_dim(self) -> int | None:
        return 1 if self.counting.max_bytes is not None else None

    @property
    def link_dim(self) -> int | None:
        if self.counting.max_links is None:
            return None
        return 2 if self.counting.max_bytes is not None else 1

    @property
    def hashtag_dim(self) -> int | None:
        c = self.counting
        if c.max_hashtags is None:
            return None
        return 1 + (c.max_bytes is not None) + (c.max_links is not None)

    def _extra(self, shown: str, links: int, hashtags: int = 0) -> tuple[int, ...]:
        """The values of the dimensions after the main one."""
        c = self.counting
        out: tuple[int, ...] = ()
        if c.max_bytes is not None:
            out += (utf8(shown),)
        if c.max_links is not None:
            out += (links,)
        if c.max_hashtags is not None:
            out += (hashtags,)
        return out

    def _values(self, text: str, content_warning: str) -> tuple[int, ...]:
        c = self.counting
        links = len(find_urls(text, schemeless=self.schemeless)) if c.max_links is not None else 0
        tags = len(find_hashtags(text, find_urls(text))) if c.max_hashtags is not None else 0
        if c.links == "shown":
            shown = shown_text(text)
            return (units.count(c.unit, content_warning + shown),) + self._extra(shown, links, tags)
        if c.links == "fixed" and c.unit == "weighted":
            main = weighted_with_links(text, self.url_cost, self.schemeless)
        elif c.links == "fixed" or c.mention_domain_free:
            main = units.count(c.unit, content_warning + countable(text, self.url_cost, c.mention_domain_free))
        else:
            main = units.count(c.unit, content_warning + text)
        return (main,) + self._extra(text, links, tags)

    # The exact count of a whole text (a post, or a part with its number).
    def measure(self, text: str) -> tuple[int, ...]:
        return self._values(text, self.content_warning)

    # The cost of a piece cut out of a longer text (no per-part overhead).
    def piece(self, text: str) -> tuple[int, ...]:
        return self._values(text, "") if self.content_warning else self.measure(text)

    def cluster(self, c: str) -> tuple[int, ...]:
        """What one grapheme cluster costs, per dimension."""
        return (units.cluster(self.counting.unit, c),) + self._extra(c, 0)

    def entity(self, kind: str, value: str) -> tuple[int, ...]:
        """What one URL, mention or hashtag costs, per dimension."""
        c = self.counting
        if c.links == "fixed":
            if kind == "url" and self.url_cost is not None:
                return (self.url_cost,) + self._extra(value, 1)
            if kind == "mention" and c.mention_domain_free:
                return (units.count(c.unit, "@" + value[1:].split("@", 1)[0]),) + self._extra(value, 0)
            return (units.count(c.unit, value),) + self._extra(value, int(kind == "url"), int(kind == "hashtag"))
        if c.links == "shown":
            if kind == "url":
                shown = display_url(value)
                return (units.count(c.unit, shown),) + self._extra(shown, 1)
            return self.piece(value)
        return (units.count(c.unit, value),) + self._extra(value, int(kind == "url"), int(kind == "hashtag"))

    def costs(self, pieces: list[str], kinds: list[str]) -> list[list[int]]:
        """Per dimension, the cost of each atom (`pieces`, of `kinds`)."""
        c, m = self.counting, len(pieces)
        costs = [units.clusters_cost(c.unit, pieces)]
        if c.max_bytes is not None:
            costs.append([len(p.encode("utf-8", "surrogatepass")) for p in pieces])
        if c.max_links is not None:
            costs.append([0] * m)
        if c.max_hashtags is not None:
            costs.append([0] * m)
        for k, kind in enumerate(kinds):
            if kind != "cluster":
                cost = self.piece(pieces[k]) if kind == "mixed" else self.entity(kind, pieces[k])
                for d, v in enumerate(cost):
                    costs[d][k] = v
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


def countable(text: str, url_cost: int | None, mention_domain_free: bool = True) -> str:
    """The text as counted where links cost a fixed amount: URLs replaced by `url_cost`
    characters, and mention domains dropped where they are free."""
    if "://" not in text and "@" not in text:
        return text
    urls = find_urls(text)
    swaps: list[tuple[int, int, str]] = []
    if url_cost is not None:
        swaps += [(u.start, u.end, "x" * url_cost) for u in urls]
    if mention_domain_free:
        for m in find_mentions(text, urls):
            user, _, domain = m.value[1:].partition("@")
            if domain:
                swaps.append((m.start, m.end, "@" + user))
    if not swaps:
        return text
    swaps.sort()
    out: list[str] = []
    pos = 0
    for start, end, replacement in swaps:
        out += (text[pos:start], replacement)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def shown_text(text: str) -> str:
    """The text as posted where links are shown shortened: every link as `display_url` writes it."""
    if "." not in text:
        return text
    out: list[str] = []
    pos = 0
    for u in find_urls(text, schemeless=True):
        out += (text[pos : u.start], display_url(u.value))
        pos = u.end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def weighted_with_links(text: str, url_cost: int | None, schemeless: bool = True) -> int:
    """twitter-text's weighted length: NFC text, every link weighing `url_cost`."""
    text = nfc(text)
    total, pos = 0, 0
    for u in find_urls(text, schemeless=schemeless):
        total += x_plain(text[pos : u.start]) + (url_cost if url_cost is not None else x_plain(u.value))
        pos = u.end
    return total + x_plain(text[pos:])


def platform_entry(name: str) -> registry.Platform:
    """The registry's entry for a platform name; ValueError (a programming error) if unknown."""
    entry = registry.find(name)
    if entry is None:
        raise ValueError(f"unknown platform {name!r}; known: {', '.join(registry.names())}")
    return entry


def rules(platform: str, limit_: int | None, content_warning: str, url_cost: int | None) -> Rules:
    """The rules of `platform` with this limit (None: its default), content warning and URL cost."""
    entry = platform_entry(platform)
    c = entry.counting
    if limit_ is None:
        limit_ = c.limit
    elif isinstance(limit_, bool) or not isinstance(limit_, int) or limit_ < 1:
        raise ValueError(f"limit must be a positive whole number, not {limit_!r}")
    if url_cost is not None and (isinstance(url_cost, bool) or not isinstance(url_cost, int) or url_cost < 0):
        raise ValueError(f"url_cost must be a whole number >= 0 or None, not {url_cost!r}")
    if not c.url_cost_from_server:
        url_cost = c.url_cost
    cw = text_of(content_warning) if c.content_warning_counts else ""
    limits: tuple[int, ...] = (INF if limit_ is None else limit_,)
    bases: tuple[int, ...] = (1,)
    if c.max_bytes is not None:
        limits, bases = limits + (c.max_bytes,), bases + (1,)
    if c.max_links is not None:
        limits, bases = limits + (c.max_links,), bases + (0,)
    if c.max_hashtags is not None:
        limits, bases = limits + (c.max_hashtags,), bases + (0,)
    overhead = (units.count(c.unit, cw),) + (0,) * (len(limits) - 1)
    return Rules(entry.name, entry.label, c, limits, bases, overhead, cw, url_cost)


def text_of(text: object) -> str:
    return text if isinstance(text, str) else ("" if text is None else str(text))


# --------------------------------------------------------------------------- public: counting


@dataclass(frozen=True, slots=True)
class Measure:
    """A post's length as one platform counts it, against that platform's limits."""

    platform: str
    count: int
    """In the platform's own unit (see the module doc): what `count()` returns."""
    limit: int | None
    bytes: int = 0
    """UTF-8 bytes (where the platform limits them too)."""
    byte_limit: int | None = None
    links: int = 0
    link_limit: int | None = None
    hashtags: int = 0
    hashtag_limit: int | None = None

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
            and (self.hashtag_limit is None or self.hashtags <= self.hashtag_limit)
        )

    @property
    def binding(self) -> str | None:
        """Which limit is overrun the most ("count", "bytes", "links" or "hashtags"), None when it fits."""
        ratios = []
        if self.limit is not None and self.count > self.limit:
            ratios.append((self.count / self.limit, 2, "count"))
        if self.byte_limit is not None and self.bytes > self.byte_limit:
            ratios.append((self.bytes / self.byte_limit, 1, "bytes"))
        if self.link_limit is not None and self.links > self.link_limit:
            ratios.append((self.links / self.link_limit, 0, "links"))
        if self.hashtag_limit is not None and self.hashtags > self.hashtag_limit:
            ratios.append((self.hashtags / self.hashtag_limit, -1, "hashtags"))
        return max(ratios)[2] if ratios else None


def limit(platform: str) -> int | None:
    """The platform's default limit in its own unit; None where it has none."""
    return platform_entry(platform).counting.limit


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
    r = rules(platform, limit, content_warning, url_cost)
    return measure_with(r, text_of(text))


def measure_with(r: Rules, text: str) -> Measure:
    return measure_values(r, r.measure(text))


def measure_values(r: Rules, values: tuple[int, ...]) -> Measure:
    main = None if r.limits[0] >= INF else r.limits[0]
    c = r.counting
    b, k, h = r.byte_dim, r.link_dim, r.hashtag_dim
    return Measure(
        r.platform,
        values[0],
        main,
        bytes=values[b] if b is not None else 0,
        byte_limit=c.max_bytes,
        links=values[k] if k is not None else 0,
        link_limit=c.max_links,
        hashtags=values[h] if h is not None else 0,
        hashtag_limit=c.max_hashtags,
    )


def count(
    text: str,
    platform: str,
    *,
    content_warning: str = "",
    url_cost: int | None = DEFAULT_URL_COST,
) -> int:
    """The length of `text` as `platform` counts it (with the content warning, where it counts)."""
    return rules(platform, None, content_warning, url_cost).measure(text_of(text))[0]


def fits(
    text: str,
    platform: str,
    limit: int | None = None,
    *,
    content_warning: str = "",
    url_cost: int | None = DEFAULT_URL_COST,
) -> bool:
    """Whether `text` is within every limit of `platform` (bytes and links included)."""
    return measure(text, platform, limit, content_warning=content_warning, url_cost=url_cost).fits
