"""Obscenity and hate: words from curated lists (package data under `data/`), in tiers.

Matching works on whole tokens through a set lookup, never by searching inside words, so
Scunthorpe, assassin, cocktail, Dickens, therapist and hello stay clean. A token is normalised
before the lookup, which makes the check robust to:
- case (FUCK), accents and look-alike letters (fück, Cyrillic с for c);
- stretched letters (fuuuuck, shiiit), when a letter repeats three times or more;
- common substitutions: @ 4 -> a, 0 -> o, 1 ! | -> i or l, 3 -> e, $ 5 -> s, 7 + -> t;
- masking with * (f*ck, sh*t), and separators between single letters (f.u.c.k, s-h-i-t, f u c k).
Obscenity and hate are separate categories. Messages name the category and never repeat the word
in full (only its first letter). Identity words are never on the lists.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .model import Finding, Severity
from .readability import entities, mask

CATEGORY_FILES = {"obscenity": "obscenity.txt", "hate": "hate.txt"}


@dataclass(frozen=True, slots=True)
class Entry:
    word: str
    """The listed form (lower case; phrases have single spaces)."""
    category: str
    tier: int
    name: bool = False
    """Skip when written Capitalised (a surname, a place)."""
    plain: bool = False
    """Match only as written: no look-alikes, no stretching, no masks."""


RULES: dict[tuple[str, int], tuple[str, Severity]] = {
    ("hate", 2): ("hate.slur", "error"),
    ("hate", 1): ("hate.possible-slur", "warning"),
    ("obscenity", 2): ("obscenity.strong", "warning"),
    ("obscenity", 1): ("obscenity.mild", "info"),
}


def _message(entry: Entry) -> str:
    masked = " ".join(w[0] + "*" * (len(w) - 1) for w in entry.word.split())
    if entry.category == "hate" and entry.tier >= 2:
        return (
            f"“{masked}” is a slur (hate): it attacks people for who they are. Leave it out; if you "
            "are quoting it to report or discuss it, make that clear."
        )
    if entry.category == "hate":
        return (
            f"“{masked}” is often used as a slur (hate) to demean a group of people. Make sure it "
            "reads as you intend, or choose another word."
        )
    if entry.tier >= 2:
        return (
            f"“{masked}” is strong language (obscenity): some readers and platforms filter it. "
            "Keep it only if it is deliberate."
        )
    return (
        f"“{masked}” is mild swearing (obscenity): fine for many audiences, but worth a second look."
    )


# -- the word lists -----------------------------------------------------------------------------

_BRACE_RE = re.compile(r"\{([^{}]*)\}")


def expand(pattern: str) -> list[str]:
    """`fuck{,s,ed}` -> ['fuck', 'fucks', 'fucked'] (every brace group expands)."""
    m = _BRACE_RE.search(pattern)
    if not m:
        return [pattern]
    out: list[str] = []
    for choice in m.group(1).split(","):
        out.extend(expand(pattern[: m.start()] + choice + pattern[m.end() :]))
    return out


def parse_list(text: str, category: str) -> list[Entry]:
    """Entries of one list file (format described at the top of each file)."""
    entries: list[Entry] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        # the tier is the first all-digit field; everything before it is the word or phrase
        idx = next(i for i, p in enumerate(parts) if p.isdigit())
        words = " ".join(parts[:idx])
        tier = int(parts[idx])
        flags = set(",".join(parts[idx + 1 :]).split(",")) - {""}
        for word in expand(words):
            entries.append(Entry(word.lower(), category, tier, "name" in flags, "plain" in flags))
    return entries


class Lexicon:
    """The lists, indexed for lookups by whole token."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.exact: dict[str, Entry] = {}
        self.plain: dict[str, Entry] = {}
        self.stretched: dict[str, Entry] = {}
        self.by_length: dict[int, list[Entry]] = {}
        self.phrases: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
        for entry in entries:
            if " " in entry.word:
                words = tuple(entry.word.split())
                self.phrases.setdefault(words[0], []).append((words, entry))
                self._add(self.exact, "".join(words), entry)  # written as one word
                continue
            if entry.plain:
                self._add(self.plain, entry.word, entry)
                continue
            self._add(self.exact, entry.word, entry)
            self._add(self.stretched, _collapse(entry.word), entry)
            self.by_length.setdefault(len(entry.word), []).append(entry)
        self.keys = frozenset((*self.exact, *self.plain, *self.phrases))
        """Every word a plain lower-case token must be to need a closer look."""

    @staticmethod
    def _add(index: dict[str, Entry], key: str, entry: Entry) -> None:
        old = index.get(key)
        # the more severe reading wins (hate over obscenity, higher tier over lower)
        if old is None or (entry.category == "hate", entry.tier) > (old.category == "hate", old.tier):
            index[key] = entry


DATA = Path(__file__).with_name("data")
_LEXICON: Lexicon | None = None
_LOCK = threading.Lock()


def lexicon() -> Lexicon:
    global _LEXICON
    if _LEXICON is None:
        with _LOCK:
            if _LEXICON is None:
                entries: list[Entry] = []
                data = DATA  # beside the module, as the syllable table (importlib.resources costs ~5 ms to import)
                for category, name in CATEGORY_FILES.items():
                    entries.extend(parse_list((data / name).read_text(encoding="utf-8"), category))
                _LEXICON = Lexicon(entries)
    return _LEXICON


# -- normalising tokens ---------------------------------------------------------------------------

_SUBST = {"@": "a", "4": "a", "0": "o", "3": "e", "$": "s", "5": "s", "7": "t", "+": "t", "€": "e", "8": "b", "9": "g"}
_AMBIGUOUS = {"1": "il", "!": "il", "|": "il"}
_HOMOGLYPHS = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "с": "c", "р": "p", "у": "y", "х": "x", "і": "i", "к": "k",
        "ѕ": "s", "ј": "j", "һ": "h", "ԁ": "d", "ɡ": "g", "ո": "n", "ս": "u", "α": "a", "ο": "o",
        "ι": "i", "κ": "k", "ν": "v", "τ": "t", "υ": "u",
    }
)
_WILDCARDS = frozenset("*#%")
_RUN3_RE = re.compile(r"([^\W\d_])\1\1")
_RUN3_ASCII_RE = re.compile(r"([A-Za-z])\1\1")
_RUN_RE = re.compile(r"([^\W\d_])\1+")
_STRIP = "\"'“”‘’«»„()[]{}<>,;:.?!…*_~`^"
_SPLIT_RE = re.compile(r"[-_./·•]+")
_SPACED_RE = re.compile(r"(?<!\S)(?:[^\W\d_][ ]){2,}[^\W\d_](?!\S)")


def _collapse(word: str) -> str:
    return _RUN_RE.sub(r"\1", word)


def _fold(token: str) -> str:
    """Lower case, accents off, look-alike letters to Latin."""
    token = token.casefold()
    if not token.isascii():
        token = token.translate(_HOMOGLYPHS)
        if not token.isascii():
            token = "".join(
                ch for ch in unicodedata.normalize("NFKD", token) if not unicodedata.combining(ch)
            )
    return token


def _variants(token: str) -> list[str]:
    """Readings of a folded token with the substitutions undone (at most a few)."""
    base: list[str] = []
    ambiguous = []
    for ch in token:
        if ch in _AMBIGUOUS:
            ambiguous.append(len(base))
            base.append("i")
        else:
            base.append(_SUBST.get(ch, ch))
    if not ambiguous:
        return ["".join(base)]
    if len(ambiguous) > 3:
        spots = set(ambiguous)
        return ["".join(base), "".join("l" if i in spots else c for i, c in enumerate(base))]
    out = []
    for mask_bits in range(1 << len(ambiguous)):
        chars = list(base)
        for bit, pos in enumerate(ambiguous):
            if mask_bits >> bit & 1:
                chars[pos] = "l"
        out.append("".join(chars))
    return out


class _Matcher:
    def __init__(self, lex: Lexicon, allow: frozenset[str]) -> None:
        self.lex = lex
        self.allow = allow

    def lookup(self, raw: str) -> Entry | None:
        """The list entry a single token (already stripped of outer punctuation) stands for."""
        if len(raw) > MAX_TOKEN:
            return None
        folded = _fold(raw)
        if folded in self.allow:
            return None
        if folded.isalpha():
            entry = self.lex.plain.get(raw.lower()) or self.lex.exact.get(folded)
            if entry is None and _RUN3_RE.search(folded):
                entry = self.lex.stretched.get(_collapse(folded))
            return self._allowed(entry)
        letters = sum(ch.isalpha() for ch in folded)
        if letters == 0:
            return None
        symbols = sum(1 for ch in folded if not ch.isalnum())
        if letters < 2 and symbols == 0 and len(folded) < 4:
            return None  # a55, b2: model numbers, not words
        if any(ch in _WILDCARDS for ch in folded):
            return self._allowed(self._wildcard(folded))
        for variant in _variants(folded):
            if not variant.isalpha():
                continue
            entry = self.lex.exact.get(variant)
            if entry is None and _RUN3_RE.search(variant):
                entry = self.lex.stretched.get(_collapse(variant))
            if entry is not None:
                return self._allowed(entry)
        return None

    def _wildcard(self, folded: str) -> Entry | None:
        stripped = folded.strip("*#%")
        if sum(ch.isalpha() for ch in folded) < 2 or not folded[0].isalpha():
            return None
        if len(stripped) < 2:
            return None
        best = None
        candidates = self.lex.by_length.get(len(folded), ())
        for entry in candidates:
            word = entry.word
            if all(c == w or c in _WILDCARDS or _SUBST.get(c) == w or (c in _AMBIGUOUS and w in "il")
                   for c, w in zip(folded, word)):
                if best is None or (entry.category == "hate", entry.tier) > (best.category == "hate", best.tier):
                    best = entry
        return best

    def _allowed(self, entry: Entry | None) -> Entry | None:
        if entry is None or entry.word in self.allow:
            return None
        return entry


_TOKEN_RE = re.compile(r"\S+")
MAX_TOKEN = 80
"""Longer tokens are not words (no listed word, even stretched or spelled f.u.c.k, is this long)."""


def _tokens(text: str) -> list[tuple[int, int]]:
    """Spans of whitespace-separated chunks, without the punctuation around them."""
    out = []
    for m in _TOKEN_RE.finditer(text):
        start, end = m.span()
        while start < end and text[start] in _STRIP:
            start += 1
        while end > start and text[end - 1] in _STRIP:
            end -= 1
        if start < end:
            out.append((start, end))
    return out


def check(text: str, allow: Iterable[str] = (), categories: Iterable[str] = ("obscenity", "hate")) -> list[Finding]:
    """Obscenity and hate findings for `text`. `allow`: words the writer allowed (lower case)."""
    wanted = set(categories)
    lex = lexicon()
    matcher = _Matcher(lex, frozenset(a.strip().casefold() for a in allow if a and a.strip()))
    links, ats, tags = entities(text)
    work = mask(text, sorted([*links, *ats])) if links or ats else text
    if tags:  # #hashtag: check the tag's word
        work = mask(work, [(s, s + 1) for s, _ in tags])

    hits: list[tuple[int, int, Entry]] = []
    words: list[tuple[int, int, str]] = []  # for phrases: (start, end, folded)
    keys = lex.keys
    stretched = [m.start() for m in _RUN3_ASCII_RE.finditer(work)]  # positions of fuuuck-like runs
    si = 0
    n_stretched = len(stretched)
    for m in _TOKEN_RE.finditer(work):
        token = m.group()
        start = m.start()
        if not token.isalpha():
            core = token.strip(_STRIP)
            if not core:
                continue
            start += token.index(core)
            token = core
        end = start + len(token)
        if token.isascii() and token.isalpha():
            # the common case, kept cheap: a plain word is looked at only when a listed word
            # could be it (as written, or stretched)
            low = token.lower()
            words.append((start, end, low))
            while si < n_stretched and stretched[si] < start:
                si += 1
            if low not in keys and not (si < n_stretched and stretched[si] < end):
                continue
            entry = matcher.lookup(token)
            if entry is not None and not _excused(work, start, end, entry):
                hits.append((start, end, entry))
            continue
        if len(token) > MAX_TOKEN:
            continue
        entry = matcher.lookup(token)
        if entry is None and _SPLIT_RE.search(token):
            # f.u.c.k, s-h-i-t: single letters with separators; bull-shit: parts of a word
            parts = [p for p in _SPLIT_RE.split(token) if p]
            if len(parts) >= 3 and all(len(p) == 1 for p in parts):
                entry = matcher.lookup("".join(parts))
            else:
                entry = matcher.lookup("".join(parts))
                pos = start
                for part in _SPLIT_RE.split(token) if entry is None else ():
                    if not part:
                        continue
                    pstart = work.index(part, pos, end)
                    pos = pstart + len(part)
                    part_entry = matcher.lookup(part)
                    if part_entry is not None and not _excused(work, pstart, pos, part_entry):
                        hits.append((pstart, pos, part_entry))
        if entry is not None and not _excused(work, start, end, entry):
            hits.append((start, end, entry))
        words.append((start, end, _fold(token)))

    # letters spaced out: f u c k
    if " " in work:
        for m in _SPACED_RE.finditer(work):
            entry = matcher.lookup(m.group().replace(" ", ""))
            if entry is not None:
                hits.append((m.start(), m.end(), entry))

    # phrases of two or more words
    if lex.phrases:
        for i, (start, _end, word) in enumerate(words):
            for phrase, entry in lex.phrases.get(word, ()):
                n = len(phrase)
                if i + n <= len(words) and all(words[i + k][2] == phrase[k] for k in range(n)):
                    if entry.word not in matcher.allow:
                        hits.append((start, words[i + n - 1][1], entry))

    findings = []
    seen: set[tuple[int, int]] = set()
    for start, end, entry in hits:
        if entry.category not in wanted or (start, end) in seen:
            continue
        seen.add((start, end))
        rule, severity = RULES[(entry.category, min(max(entry.tier, 1), 2))]
        findings.append(Finding(rule, entry.category, severity, start, end, _message(entry)))
    return findings


IDIOMS = {
    "chink": re.compile(r"\s+in\s+(?:\w+\s+){0,2}armou?r", re.IGNORECASE),
    "chinks": re.compile(r"\s+in\s+(?:\w+\s+){0,2}armou?r", re.IGNORECASE),
    "spic": re.compile(r"\s+(?:and|&|n['’]?)\s+span", re.IGNORECASE),
    "homo": re.compile(
        r"\s+(?:sapiens|erectus|habilis|neanderthalensis|floresiensis|naledi|economicus|ludens|faber)",
        re.IGNORECASE,
    ),
    "coon": re.compile(r"[\s-]*(?:hound|dog|cat|skin)", re.IGNORECASE),
}
"""Listed words that are innocent in a fixed phrase: what follows them excuses them."""


def _excused(text: str, start: int, end: int, entry: Entry) -> bool:
    """A listed word that is innocent here: written Capitalised when it also names people or
    places (Dick, Hell, Pussy Riot), or part of an idiom (a chink in the armour, Homo sapiens)."""
    word = text[start:end]
    if entry.name and word[:1].isupper() and word[1:].islower():
        return True
    idiom = IDIOMS.get(entry.word)
    return idiom is not None and idiom.match(text, end, min(len(text), end + 60)) is not None


_SEAM_WORDS: frozenset[str] | None = None
_RISKY: dict[str, bool] = {}
"""Tokens already judged by `seam_risky` (prose repeats its words); cleared when large."""


def _seam_words() -> frozenset[str]:
    """Every word of a listed phrase, and the listed words an idiom excuses."""
    global _SEAM_WORDS
    if _SEAM_WORDS is None:
        lex = lexicon()
        words = set(IDIOMS)
        for first, entries in lex.phrases.items():
            words.add(first)
            for phrase, _entry in entries:
                words.update(phrase)
        _SEAM_WORDS = frozenset(words)
    return _SEAM_WORDS


def seam_risky(token: str) -> bool:
    """Whether a token at a paragraph's edge could be part of a phrase or idiom across the
    blank line (so the paragraphs either side must be checked together)."""
    known = _RISKY.get(token)
    if known is not None:
        return known
    seam = _seam_words()
    risky = False
    core = token.strip(_STRIP).lstrip("#@")
    for part in [core, *_SPLIT_RE.split(core)] if core else ():
        if not part:
            continue
        folded = _fold(part)
        if folded in seam or _collapse(folded) in seam:
            risky = True
        elif not folded.isalpha() and any(v in seam or _collapse(v) in seam for v in _variants(folded)):
            risky = True
        elif not folded.isascii():
            risky = True
        if risky:
            break
    if len(_RISKY) > 20000:
        _RISKY.clear()
    _RISKY[token] = risky
    return risky


def apart(text: str, cut: int) -> bool:
    """Whether the paragraphs either side of the blank line ending at `cut` may be checked apart:
    no listed phrase or idiom could run over it. The last 8 tokens before it and the first after
    it are looked at (of the 400 characters either side, whatever paragraphs they are in: an idiom
    may run over two blank lines); str.split() cuts at the same white space as _TOKEN_RE (\\S+)."""
    if any(map(seam_risky, text[max(0, cut - 400) : cut].rsplit(None, 8)[-8:])):
        return False
    return not any(map(seam_risky, text[cut : cut + 400].split(None, 1)[:1]))
