"""The word index of the clickbait patterns: each pattern is tried only where its first two words
can stand, and compiled the first time it is tried.

A cold check of one post compiles only the few patterns whose first two words it contains (a
dictionary look-up per word, no regex), instead of all of them; the `PatternIndex` object owns
the compiled patterns, so whoever holds it holds the cache.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Collection, Iterator, Mapping
from typing import Any, NamedTuple

from .anchors import Alt, anchor, branches, group_end, strip_opening
from .rules import Rule

WORD_KEY = re.compile(r"(?<![^\W_])(?:\d|[^\W\d_]+)")
_WORD_AND_NEXT = re.compile(r"(?<![^\W_])(\d|[^\W\d_]+)(?:(?=\s+(\d|[^\W\d_]+)))?")
"""A word key (group 1) and the word after it, if only white space stands between (group 2)."""
"""At each word start: a digit, or the word's letters (see `anchors.anchor` for the keys)."""
_GAP = re.compile(r"\s+")
_LETTERS = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
_PLAIN_WORD = re.compile(r"[a-z]+")
_OPENERS = "\"“‘'(["
_ENDERS = ".!?…:;"
_CLOSERS = "\"”’')]"


class Described(NamedTuple):
    """What the index needs to know of one alternative, read from its pattern (see `describe`) or
    from the shipped description (then lists, as JSON has them: the index keeps none of them)."""

    keys: Collection[str] | None
    """Anchor keys of the words a match can start with; None: scan the whole text."""
    seconds: Mapping[str, Collection[str] | None]
    """For each key, the keys of the word that must follow it (see `second_keys`)."""
    needs: Collection[Collection[str]]
    """Words a match must contain (see `needed_words`)."""


def describe(alt: Alt) -> Described:
    keys = anchor(alt.body)
    if keys is None:
        return Described(None, {}, needed_words(alt.source))
    return Described(keys, second_keys(alt.body), needed_words(alt.body))


def fingerprint(rules: tuple[Rule, ...]) -> str:
    """Names every pattern of `rules`: a shipped description of them is used only if it matches.
    A CRC-32 (zlib, which a cold check has loaded anyway) tells an edited pattern apart as well
    as a cryptographic hash would here, without loading OpenSSL (`hashlib`: 3 ms, and memory)."""
    crc, sep = 0, b""
    for rule in rules:
        for alt in rule.pattern:  # the CRC of the sources joined by newlines, without joining them
            crc = zlib.crc32(alt.source.encode(), zlib.crc32(sep, crc))
            sep = b"\n"
    return f"crc32:{crc:08x}"


def describe_all(rules: tuple[Rule, ...]) -> dict:
    """Every alternative described, in the order of `rules`, as plain JSON data (shipped as
    data/clickbait_index.json so that a cold check need not read the patterns again)."""

    def keys(found: Collection[str] | None) -> list[str] | None:
        return None if found is None else sorted(found)

    out = []
    for rule in rules:
        for alt in rule.pattern:
            d = describe(alt)
            out.append([keys(d.keys), {k: keys(v) for k, v in sorted(d.seconds.items())}, [sorted(n) for n in d.needs]])
    return {"fingerprint": fingerprint(rules), "alternatives": out}


def read_described(data: dict, rules: tuple[Rule, ...]) -> dict[str, Described] | None:
    """The descriptions in `data` (from describe_all), or None if they are not of these rules.
    Their parts stay the lists JSON decoded: an index reads them once and keeps none of them."""
    if data.get("fingerprint") != fingerprint(rules):
        return None
    sources = (alt.source for rule in rules for alt in rule.pattern)
    return {source: Described(*alt) for source, alt in zip(sources, data["alternatives"], strict=True)}


class Entry(NamedTuple):
    """One alternative in the index (one object, however many keys it is found under)."""

    rule: int
    """Index of its rule in RULES."""
    pattern: str
    """What is matched: the body at a word start, or the whole source when it is scanned."""
    needs: tuple[tuple[str, ...], ...]
    """Words a match must contain: one of each tuple (a text without them is not tried)."""


_QUANTIFIER = ("?", "*", "{0")
_WORD_BOUNDARY = ("\\s", "\\b")


def needed_words(src: str) -> tuple[frozenset[str], ...]:
    """Whole words that any match of the pattern `src` contains, read from its top level: plain
    literal words and groups of plain words that are not optional (conservative: what it cannot
    read it leaves out). A pattern with alternatives at the top level needs nothing."""
    if len(branches(src)) > 1:
        return ()
    out: list[frozenset[str]] = []
    i, n = 0, len(src)
    bounded = True  # the previous item ends a word (start, \s, \b, a group of whole words)
    while i < n:
        c = src[i]
        if c == "\\":
            bounded = src[i + 1 : i + 2] in ("s", "b")
            i += 2
            if i < n and src[i] in "+*?":
                i += 1
            continue
        if c == "[":
            j = src.index("]", i + 1) if "]" in src[i + 1 :] else n
            i, bounded = j + 1, False
            if i < n and src[i] in "+*?{":
                i += 1
            continue
        if c == "(":
            end = group_end(src, i)
            body = src[i + 1 : end - 1]
            optional = src[end : end + 2].startswith(_QUANTIFIER)
            plain = None
            if body.startswith(("?:", "?P<")):
                inner = body[2:] if body.startswith("?:") else body[body.index(">") + 1 :]
                words = branches(inner)
                if all(_PLAIN_WORD.fullmatch(w) for w in words):
                    plain = frozenset(words)
            after = src[end : end + 3]
            whole = after.startswith(_WORD_BOUNDARY)
            if plain is not None and not optional and bounded and whole:
                out.append(plain)
            ends_in_space = all(b.endswith(("\\s+", "\\s")) for b in branches(body.split(":", 1)[-1] if body.startswith("?:") else body))
            # after the group a word starts: it was whole words, or it ends in white space
            # (and if it may be skipped, what came before it ended a word too)
            bounded = (plain is not None and whole) or (ends_in_space and (not optional or bounded))
            i = end
            while i < n and src[i] in "?*+":
                i += 1
            if i < n and src[i] == "{":
                i = src.index("}", i) + 1
            continue
        m = _PLAIN_WORD.match(src, i)
        if m is not None:
            j = m.end()
            after = src[j : j + 3]
            whole = after.startswith(_WORD_BOUNDARY)
            if bounded and whole:
                out.append(frozenset({m.group()}))
            bounded = False
            i = j
            continue
        bounded = c in " "
        i += 1
    return tuple(out)


def _after_gap(rest: str) -> frozenset[str] | None:
    """Keys of the word that `rest` (what follows a first word) starts with after `\\s+`."""
    if not rest.startswith(r"\s+") or rest[3:4] in ("?", "*", "{", "|", ")", ""):
        return None
    return anchor(rest[3:])


def second_keys(src: str) -> dict[str, frozenset[str] | None]:
    """For each key of a first word of `src`, the keys of the word that must follow it after
    white space, or None where this reader cannot tell (then any word may follow)."""
    if len(branches(src)) > 1:
        return {}  # alternatives at the top level: each may start differently
    src = strip_opening(src)
    if not src.startswith("(?:"):
        m = _PLAIN_WORD.match(src)
        return {} if m is None else {"=" + m.group(): _after_gap(src[m.end() :])}
    end = group_end(src, 0)
    rest = src[end:]
    if rest[:1] in ("?", "*", "{", "+"):
        return {}  # an optional group: the first word may come after it
    out: dict[str, frozenset[str] | None] = {}
    for branch in branches(src[3 : end - 1]):
        m = _PLAIN_WORD.match(branch)
        if m is None:
            continue
        tail = branch[m.end() :]
        if tail == "":
            second = _after_gap(rest)
        elif tail.startswith(r"\s+"):
            second = _after_gap(tail + rest)
        else:
            second = None
        key = "=" + m.group()
        if key in out:
            known = out[key]
            out[key] = None if known is None or second is None else known | second
        else:
            out[key] = second
    return out


def word_keys(word: str) -> tuple[str, ...]:
    """The keys a word (lowercase letters, or a digit) is found under."""
    if word.isdigit():
        return ("<d>",)
    return ("=" + word, word[:3]) if len(word) >= 3 else ("=" + word,)


def opens_sentence(text: str, pos: int) -> bool:
    """Whether the word at `pos` opens a sentence: at the start of the text or a line, or after
    sentence punctuation and a space (an opening quote may stand between)."""
    i = pos
    while i > 0 and text[i - 1] in _OPENERS:
        i -= 1
    if i == 0 or text[i - 1] == "\n":
        return True
    if not text[i - 1].isspace():
        return False
    while i > 0 and text[i - 1].isspace():
        if text[i - 1] == "\n":
            return True
        i -= 1
    if i == 0:
        return True
    while i > 0 and text[i - 1] in _CLOSERS:
        i -= 1
    return i > 0 and text[i - 1] in _ENDERS


def span(m: re.Match[str]) -> tuple[int, int]:
    """The flagged span of a match: its first named group that matched, else the whole match."""
    for name, value in m.groupdict().items():
        if value is not None:
            return m.span(name)
    return m.span()


class Scan(NamedTuple):
    """A text made ready for matching once, however many parts of it are matched."""

    source: str
    """The text lowercased, or as it is where lower() changes its length ("İ")."""
    lowered: bool
    present: frozenset[str]
    """Its words, lowercased: a pattern that needs a word not among them is not tried."""
    keys: frozenset[str]
    """The keys of its words (see `word_keys`)."""
    judged: dict[int, bool]
    """What the indexes matching this text have found out about it, kept for its other parts:
    by the id of a key's entries (`Keyed`), whether any of them can match it; by the id of an
    entry, whether it holds the words the entry needs (see `PatternIndex.matches`)."""

    @classmethod
    def of(cls, text: str) -> Scan:
        low = text.lower()
        lowered = len(low) == len(text)
        present = frozenset(_LETTERS.findall(low))
        keys = {"=" + w for w in present}
        keys.update(w[:3] for w in present if len(w) >= 3)
        if _DIGIT.search(low):
            keys.add("<d>")
        return cls(low if lowered else text, lowered, present, frozenset(keys), {})


class Hope(NamedTuple):
    """What a text must hold for one of a key's entries to match it."""

    always: bool
    """Some entry needs nothing this reader can tell: always try."""
    free_needs: tuple[tuple[tuple[str, ...], ...], ...]
    """The needed words of each entry that any second word may follow."""
    seconds: tuple[str, ...]
    """The second-word keys of the other entries."""


class Group(NamedTuple):
    """A key's entries from one table (matched anywhere, or only where a sentence opens)."""

    free: tuple[Entry, ...]
    """The entries any second word may follow."""
    by_second: dict[str, tuple[Entry, ...]] | None
    """The others, by the key of the word that must follow the first one."""
    opening: bool
    """They match only where a sentence opens."""


class Keyed(NamedTuple):
    """Everything the index holds under one key."""

    hope: Hope
    groups: tuple[Group, ...]


def _alive(hope: Hope, scan: Scan) -> bool:
    """Whether any entry of a key can match a text, judged by the words the text holds."""
    if hope.always or not scan.keys.isdisjoint(hope.seconds):
        return True
    present = scan.present
    return any(not any(present.isdisjoint(n) for n in needs) for needs in hope.free_needs)


class Shared:
    """One object for each distinct part the indexes of one set of rules hold (a word, the
    words an entry needs, an entry, a hope), while they are built. Parts made of shared parts
    are told apart by the identity of those parts, so nothing deep is hashed."""

    __slots__ = ("seen",)

    def __init__(self) -> None:
        self.seen: dict[Any, Any] = {}

    def needs(self, needs: Collection[Collection[str]]) -> tuple[tuple[str, ...], ...]:
        one = self.seen.setdefault
        value = tuple(tuple(sorted([one(w, w) for w in n])) for n in needs)
        return one(("needs", value), value)

    def keys(self, keys: Collection[str] | None) -> tuple[str, ...] | None:
        """`keys` sorted, as one shared tuple of shared strings (None stays None)."""
        if keys is None:
            return None
        value = tuple(sorted(keys))
        found = self.seen.get(("keys", value))
        if found is None:
            one = self.seen.setdefault
            found = self.seen[("keys", value)] = tuple([one(k, k) for k in value])
        return found

    def entry(self, rule: int, pattern: str, needs: tuple[tuple[str, ...], ...]) -> Entry:
        key = ("entry", rule, pattern, id(needs))
        found = self.seen.get(key)
        if found is None:
            found = self.seen[key] = Entry(rule, pattern, needs)
        return found


def _keyed(rows: tuple[list, list], share: Shared) -> Keyed:
    """The entries of one key: `rows` is ([(entry, second keys or None)] matched anywhere, the
    same for those that must open a sentence). Its hope (what a text must hold) is shared with
    the keys that have the same; its tuples of entries are its own (sharing them too would save
    another 0.1 MB for 1 ms more of a cold check)."""
    groups = []
    needs: list[tuple[tuple[str, ...], ...]] = []
    always = False
    seconds_all: set[str] = set()
    for opening, table in enumerate(rows):
        if not table:
            continue
        free: list[Entry] = []
        by_second: dict[str, list[Entry]] | None = None
        for entry, second in table:
            if second is None:
                free.append(entry)
                if entry.needs:
                    needs.append(entry.needs)
                else:
                    always = True
            else:
                if by_second is None:
                    by_second = {}
                for k in second:  # sorted and shared by `_rows`
                    by_second.setdefault(k, []).append(entry)
        table_of = None
        if by_second is not None:
            seconds_all.update(by_second)
            table_of = {k: tuple(v) for k, v in by_second.items()}
        groups.append(Group(tuple(free), table_of, bool(opening)))
    one = share.seen.setdefault
    needs_t = tuple(needs)
    needs_t = one(("entries", *map(id, needs_t)), needs_t)
    seconds = tuple(sorted(seconds_all))
    seconds = one(seconds, seconds)
    key = ("hope", always, id(needs_t), id(seconds))
    hope = share.seen.get(key)
    if hope is None:
        hope = share.seen[key] = Hope(always, needs_t, seconds)
    return Keyed(hope, tuple(groups))


class PatternIndex:
    """Every alternative of `rules`, by the keys of the words it can start with."""

    def __init__(
        self, rules: tuple[Rule, ...], only: frozenset[int] | None = None, described: dict[str, Described] | None = None
    ) -> None:
        """`only`: index just these rules (by their place in `rules`); `described`: the
        alternatives already described (by source), else they are read from the patterns."""
        share = Shared()
        rows, scanned = self._rows(rules, only, described, share)
        self._fill(rules, rows, scanned, share)

    @classmethod
    def pair(
        cls, rules: tuple[Rule, ...], only: frozenset[int], described: dict[str, Described] | None = None
    ) -> tuple[PatternIndex, PatternIndex]:
        """(the index of every rule, the index of the rules `only`), built together: they share
        their entries, tables and compiled patterns. `described` is used up (emptied) on the way."""
        share = Shared()
        rows, scanned = cls._rows(rules, None, described, share, consume=True)
        whole = cls.__new__(cls)
        keyed = whole._fill(rules, rows, scanned, share)
        part = cls.__new__(cls)
        part_rows = {}
        same: dict[str, Keyed] = {}  # keys all of whose entries are of the rules `only`
        for key, (anywhere, at_start) in rows.items():
            kept = ([r for r in anywhere if r[0].rule in only], [r for r in at_start if r[0].rule in only])
            if kept[0] or kept[1]:
                part_rows[key] = kept
                if len(kept[0]) == len(anywhere) and len(kept[1]) == len(at_start):
                    same[key] = keyed[key]
        part._fill(rules, part_rows, [e for e in scanned if e.rule in only], share, same)
        part._compiled = whole._compiled
        return whole, part

    @staticmethod
    def _rows(
        rules: tuple[Rule, ...],
        only: frozenset[int] | None,
        described: dict[str, Described] | None,
        share: Shared,
        consume: bool = False,
    ) -> tuple[dict[str, tuple[list, list]], list[Entry]]:
        """Key -> ([(entry, keys of its second word or None)] matched anywhere, the same for those
        that must open a sentence), and the entries without keys. `consume`: take each
        description out of `described` once read, so that the memory of what is read is free
        for what is built (where no two alternatives have the same source)."""
        rows: dict[str, tuple[list, list]] = {}
        scanned: list[Entry] = []
        take = None
        if described is not None:
            alternatives = sum(len(rule.pattern) for rule in rules)
            take = described.pop if consume and len(described) == alternatives else described.__getitem__
        for i, rule in enumerate(rules):
            if only is not None and i not in only:
                continue
            for alt in rule.pattern:
                d = take(alt.source) if take is not None else describe(alt)
                needs = share.needs(d.needs)
                if d.keys is None:
                    scanned.append(share.entry(i, alt.source, needs))
                    continue
                entry = share.entry(i, alt.body, needs)
                seconds = d.seconds
                for key in sorted(d.keys):
                    row = rows.get(key)
                    if row is None:
                        row = rows[key] = ([], [])
                    row[alt.at_start].append((entry, share.keys(seconds.get(key))))
        return rows, scanned

    def _fill(
        self,
        rules: tuple[Rule, ...],
        rows: dict[str, tuple[list, list]],
        scanned: list[Entry],
        share: Shared,
        known: dict[str, Keyed] | None = None,
    ) -> dict[str, Keyed]:
        """Fill the index with `rows` (see `_rows`); `known`: keys already made (by another index
        of the same rows). Returns what it holds under each key."""
        self.rules = rules
        self.scanned = scanned
        """Alternatives without anchor keys: scanned over the whole text (none are)."""
        self._compiled: dict[str, re.Pattern[str]] = {}
        self._by_word: dict[str, Keyed] = {}
        """Whole word -> its entries (keys "=word")."""
        self._by_prefix: dict[str, Keyed] = {}
        """First three letters -> the entries of longer literals that start with them."""
        self._digit: Keyed | None = None
        """The entries that start with a number (key "<d>")."""
        one = share.seen.setdefault
        made: dict[str, Keyed] = {}
        for key in sorted(rows):
            keyed = made[key] = known[key] if known and key in known else _keyed(rows[key], share)
            if key == "<d>":
                self._digit = keyed
            elif key.startswith("="):
                word = key[1:]
                self._by_word[one(word, word)] = keyed
            else:
                self._by_prefix[one(key, key)] = keyed
        return made

    def regex(self, pattern: str) -> re.Pattern[str]:
        """`pattern` compiled (case-insensitive), once."""
        compiled = self._compiled.get(pattern)
        if compiled is None:
            compiled = self._compiled[pattern] = re.compile(pattern, re.IGNORECASE)
        return compiled

    def entries(self) -> list[Entry]:
        """Every alternative in the index, once."""
        keyed = [*self._by_word.values(), *self._by_prefix.values(), *([self._digit] if self._digit else [])]
        found: dict[Entry, None] = {}
        for k in keyed:
            for group in k.groups:
                found.update(dict.fromkeys(group.free))
                for tried in (group.by_second or {}).values():
                    found.update(dict.fromkeys(tried))
        found.update(dict.fromkeys(self.scanned))
        return list(found)

    def compile_all(self) -> None:
        """Compile every pattern now (warm-up)."""
        for entry in self.entries():
            self.regex(entry.pattern)

    def matches(
        self, text: str, start: int = 0, stop: int | None = None, scan: Scan | None = None
    ) -> Iterator[tuple[int, re.Match[str]]]:
        """(rule index, match) for every alternative that matches `text` at a word starting in
        text[start:stop] (all words when stop is None). `scan`: `Scan.of(text)`, when the caller
        matches several parts of one text."""
        scan = scan or Scan.of(text)
        source, lowered, present = scan.source, scan.lowered, scan.present
        by_word, by_prefix, digit = self._by_word, self._by_prefix, self._digit
        # id of an entry -> whether the words it needs are in the text; id of a key's entries ->
        # whether any of them can match the text (both kept with the scan for the text's other
        # parts: the objects belong to indexes that outlive it, so their ids stay theirs)
        viable = alive = scan.judged
        for m in _WORD_AND_NEXT.finditer(source, start, len(text) if stop is None else stop):
            word = m.group(1) if lowered else m.group(1).lower()
            whole = by_word.get(word)
            part = by_prefix.get(word[:3])
            if whole is None and part is None:
                if digit is None or not word.isdigit():
                    continue
                whole = digit
            pos = m.start()
            follow: tuple[str, ...] | None = None
            for keyed in (whole, part):
                if keyed is None:
                    continue
                ok = alive.get(id(keyed))
                if ok is None:
                    ok = alive[id(keyed)] = _alive(keyed.hope, scan)
                if not ok:
                    continue
                for free, by_second, opening in keyed.groups:
                    if opening and not opens_sentence(text, pos):
                        continue
                    tried: Collection[Entry] = free
                    if by_second:
                        if follow is None:
                            after = m.group(2)
                            follow = word_keys(after if lowered else after.lower()) if after else ()
                        picked = [e for k in follow for e in by_second.get(k, ())]
                        if picked:
                            tried = list(dict.fromkeys([*free, *picked])) if free else picked
                    for entry in tried:
                        if entry.needs:
                            ok = viable.get(id(entry))
                            if ok is None:
                                ok = viable[id(entry)] = not any(present.isdisjoint(n) for n in entry.needs)
                            if not ok:
                                continue
                        hit = self.regex(entry.pattern).match(text, pos)
                        if hit is not None:
                            yield entry.rule, hit
        for entry in self.scanned:
            for hit in self.regex(entry.pattern).finditer(text, start):
                if stop is not None and hit.start() >= stop:
                    break
                yield entry.rule, hit

    def crosses(self, before: str, after: str) -> bool:
        """Whether a pattern tried on `before + after` (the text either side of a blank line,
        `before` ending with it) matches from `before` into the blank line or past it."""
        window = before + after
        content_end = len(before.rstrip("\n"))
        return any(m.end() > content_end for _, m in self.matches(window, 0, len(before)))
