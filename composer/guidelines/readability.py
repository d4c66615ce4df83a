"""Words, read time and readability.

Also home of the few token patterns the other checks share (links, @mentions, #hashtags), so
that every check agrees on what a link or a mention is.

Read-time model (stated to the writer in `Report.read_time_basis`):
- 238 words a minute by default: Brysbaert 2019 (J. Memory & Language 109:104047), the mean of
  190 studies of silent reading of English non-fiction. The writer's setting may change it.
- A link, a #hashtag and an @mention count as one word each: readers glance at them.
- Emoji and other symbols count as nothing; a number counts as a word.
- Chinese and Japanese characters are read at about 500 characters a minute; each one counts as a
  word in `words` (as word processors count East Asian text).

Readability: textstat 0.7.8's Flesch reading ease and Flesch-Kincaid grade (English formulas), on
the text without links, mentions and hashtags, with line breaks read as sentence ends. Syllables
come from the CMU dictionary's counts and pyphen's patterns, as textstat counts them (syllables.py).
"""

from __future__ import annotations

import math
import re

from .model import Finding, Readability, Severity
from .settings import DEFAULT_WORDS_PER_MINUTE
from .syllables import total as syllable_count

URL_RE = re.compile(
    r"(?:(?<![\w@/.])(?:[a-z][a-z0-9+.-]{1,15}://|www\.))"
    r"[^\s<>\"'`\u00a0\u2000-\u200b\u3000]+",
    re.IGNORECASE,
)
"""A link with a scheme (`https://`, `gemini://`) or starting `www.`; trailing punctuation is
trimmed by `urls()` (which finds the same links faster, from each `://`)."""

MENTION_RE = re.compile(r"(?<![\w@/.+-])@[A-Za-z0-9_](?:[\w.-]*\w)?(?:@[\w-]+(?:\.[\w-]+)+)?")
"""`@user`, `@user@server.example` (Mastodon) and `@alice.bsky.social` (Bluesky)."""

HASHTAG_RE = re.compile(r"(?<![\w#&/])#\w+")

# The same patterns starting with their literal character (so `re` can skip ahead to it); the
# character before the match is tested in Python. Several times faster on long texts.
_MENTION_AT_RE = re.compile(r"@[A-Za-z0-9_](?:[\w.-]*\w)?(?:@[\w-]+(?:\.[\w-]+)+)?")
_HASHTAG_AT_RE = re.compile(r"#\w+")
_URL_TAIL_RE = re.compile(r"[^\s<>\"'`\u00a0\u2000-\u200b\u3000]+")
_WWW_RE = re.compile(r"www\.", re.IGNORECASE)

_TRAILING = ".,;:!?'\"”’»)]}>"

CJK_RE = re.compile(
    "[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0002fa1f]"
)
"""Han ideographs, hiragana and katakana: read by the character, not the word."""

_WORDCHAR_RE = re.compile(r"[^\W_]")
CJK_CHARS_PER_MINUTE = 500
MIN_READABILITY_WORDS = 12
"""Below this many words the Flesch formulas say more about chance than about the text."""
MIN_HARD_WORDS = 20


def _wordish(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _trim(text: str, start: int, end: int) -> int:
    """End of a link without the punctuation that ends the sentence around it."""
    while end > start and text[end - 1] in _TRAILING:
        if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break  # wikipedia.org/wiki/Foo_(bar): the parenthesis belongs to the link
        end -= 1
    return end


def _urls(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = text.find("://")
    while pos >= 0:
        start = pos
        while start > 0 and pos - start < 16:
            ch = text[start - 1]
            if ch.isascii() and (ch.isalnum() or ch in "+.-"):
                start -= 1
            else:
                break
        while start < pos and not (text[start].isascii() and text[start].isalpha()):
            start += 1
        m = _URL_TAIL_RE.match(text, pos + 3)
        next_from = m.end() if m else pos + 3
        ok = pos - start >= 2 and m is not None
        if ok and start > 0:
            before = text[start - 1]
            ok = not (_wordish(before) or before in "@/.")
        if ok:
            end = _trim(text, start, m.end())  # type: ignore[union-attr]  # ok implies m
            if end > pos + 3:
                spans.append((start, end))
                next_from = end
        pos = text.find("://", max(next_from, pos + 3))
    if "www." in text or "WWW." in text or "Www." in text:
        for w in _WWW_RE.finditer(text):
            start = w.start()
            if start > 0 and (_wordish(text[start - 1]) or text[start - 1] in "@/."):
                continue
            if spans and any(s <= start < e for s, e in spans):
                continue
            m = _URL_TAIL_RE.match(text, start)
            end = _trim(text, start, m.end()) if m else start
            if end - start > 4:
                spans.append((start, end))
        spans.sort()
    return spans


def _prefixed(text: str, pattern: re.Pattern, char: str, not_before: str) -> list[tuple[int, int]]:
    if char not in text:
        return []
    out = []
    for m in pattern.finditer(text):
        start = m.start()
        if start > 0:
            before = text[start - 1]
            if _wordish(before) or before in not_before:
                continue
        out.append((start, m.end()))
    return out


_ENTITY_CACHE: tuple[str, tuple] | None = None


def entities(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int]]]:
    """(links, @mentions, #hashtags) of `text` as spans; mentions and hashtags inside a link are
    left out. The last result is kept, since every check of one `analyze` call asks for it."""
    global _ENTITY_CACHE
    cached = _ENTITY_CACHE
    if cached is not None and cached[0] is text:
        return cached[1]
    links = _urls(text)
    mentions = _prefixed(text, _MENTION_AT_RE, "@", "@/.+-")
    tags = _prefixed(text, _HASHTAG_AT_RE, "#", "#&/")
    if links and (mentions or tags):
        taken = _Spans(links)
        mentions = [s for s in mentions if not taken.overlaps(*s)]
        tags = [s for s in tags if not taken.overlaps(*s)]
    result = (links, mentions, tags)
    _ENTITY_CACHE = (text, result)
    return result


def forget() -> None:
    """Drop the kept entities (`analyze` starts afresh, so timings never ride on an old result)."""
    global _ENTITY_CACHE
    _ENTITY_CACHE = None


def urls(text: str) -> list[tuple[int, int]]:
    """Spans of links, without the punctuation that ends the sentence around them."""
    return list(entities(text)[0])


def mentions(text: str) -> list[tuple[int, int]]:
    return list(entities(text)[1])


def special_spans(text: str) -> list[tuple[int, int]]:
    """Links, @mentions and #hashtags, sorted and not overlapping: what checks on prose skip."""
    links, ats, tags = entities(text)
    return sorted([*links, *ats, *tags])


def mask(text: str, spans: list[tuple[int, int]], fill: str = " ") -> str:
    """`text` with the characters in `spans` replaced by `fill`; offsets stay the same."""
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for start, end in spans:
        if start < pos:
            start = pos
        if end <= start:
            continue
        parts.append(text[pos:start])
        parts.append(fill * (end - start))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


class _Spans:
    """A tiny overlap test for a few sorted spans."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self._spans = sorted(spans)

    def overlaps(self, start: int, end: int) -> bool:
        from bisect import bisect_right

        i = bisect_right(self._spans, (start, math.inf))
        if i and self._spans[i - 1][1] > start:
            return True
        return i < len(self._spans) and self._spans[i][0] < end


# -- words and read time ----------------------------------------------------------------------


def counts(text: str) -> tuple[int, int]:
    """(words outside CJK, CJK characters)."""
    cjk = 0 if text.isascii() else len(CJK_RE.findall(text))
    if cjk:
        text = CJK_RE.sub(" ", text)
    has_word = _WORDCHAR_RE.search
    return sum(1 for token in text.split() if has_word(token)), cjk


def count_words(text: str) -> int:
    """Words as the writer would count them (a link, hashtag or mention is one word; each Chinese or
    Japanese character is one word; emoji are none)."""
    words, cjk = counts(text)
    return words + cjk


def read_time_seconds(text: str, words_per_minute: int = DEFAULT_WORDS_PER_MINUTE) -> int:
    """Estimated silent-reading time in whole seconds (at least 1 for any text with a word)."""
    words, cjk = counts(text)
    return seconds(words, cjk, words_per_minute)


def seconds(words: int, cjk: int, words_per_minute: int) -> int:
    """Read time in whole seconds of `words` words and `cjk` Chinese or Japanese characters."""
    if not words and not cjk:
        return 0
    wpm = words_per_minute if words_per_minute and words_per_minute > 0 else DEFAULT_WORDS_PER_MINUTE
    seconds = words * 60 / wpm + cjk * 60 / CJK_CHARS_PER_MINUTE
    return max(1, math.floor(seconds + 0.5))


def read_time_basis(words_per_minute: int = DEFAULT_WORDS_PER_MINUTE) -> str:
    """One sentence stating the read-time model."""
    if words_per_minute and words_per_minute > 0 and words_per_minute != DEFAULT_WORDS_PER_MINUTE:
        rate = (
            f"{words_per_minute} words a minute (your setting; the average for silent reading "
            f"of non-fiction is {DEFAULT_WORDS_PER_MINUTE}, Brysbaert 2019)"
        )
    else:
        rate = f"{DEFAULT_WORDS_PER_MINUTE} words a minute (Brysbaert 2019, silent reading of non-fiction)"
    return (
        f"Read time at {rate}; a link, hashtag or @mention counts as one word, emoji count as "
        f"none, and Chinese or Japanese text is read at about {CJK_CHARS_PER_MINUTE} characters a minute."
    )


def measure(text: str) -> tuple[int, int, Readability | None]:
    """(words outside CJK, CJK characters, the readability score) of `text`."""
    words, cjk = counts(text)
    return words, cjk, readability(text, words + cjk)


def format_read_time(seconds: int) -> str:
    """"about 12 s" for posts, "about 4 min" for long texts."""
    if seconds < 60:
        return f"about {seconds} s"
    minutes = math.floor(seconds / 60 + 0.5)
    return f"about {minutes} min"


# -- readability (textstat) -------------------------------------------------------------------
#
# The Flesch formulas of textstat 0.7.8, computed here with textstat's own dictionaries (the CMU
# pronouncing dictionary's syllable counts, pyphen's en_US patterns as the fallback) and its own tokenising rules,
# so the figures equal textstat.flesch_reading_ease / flesch_kincaid_grade (tests compare them).
# Why not call those two functions: they take 14 ms on a 5,000-word essay (syllables looked up
# afresh for every text), and they cache 128 results keyed by the whole text, word lists
# included: tens of MB for a writer typing an essay. Here syllables are memoised per word.

_NONCONTRACTION_APOSTROPHE_RE = re.compile(r"\'(?![tsd]|ve|ll|re)")
_PUNCT_RE = re.compile(r"[^\w\s\']")
_SENTENCE_RE = re.compile(r"\b[^.!?]+[.!?]*")

FRE_BASE, FRE_SENTENCE, FRE_SYLLABLE = 206.835, 1.015, 84.6
"""textstat 0.7.8's English constants for Flesch reading ease."""


def _ts_words(text: str) -> list[str]:
    """textstat's word list: punctuation removed except apostrophes of contractions, then split."""
    return _PUNCT_RE.sub("", _NONCONTRACTION_APOSTROPHE_RE.sub("", text)).split()


def _ease_and_grade(words_per_sentence: float, syllables_per_word: float) -> tuple[float, float]:
    """textstat 0.7.8's Flesch reading ease and Flesch-Kincaid grade."""
    if syllables_per_word == 0:
        return 0.0, 0.0
    ease = FRE_BASE - FRE_SENTENCE * words_per_sentence - FRE_SYLLABLE * syllables_per_word
    grade = 0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59
    return ease, grade


def _rounded(ease: float, grade: float) -> Readability | None:
    """The score as the writer sees it (one decimal), or None when the figures are not numbers."""
    if not (math.isfinite(ease) and math.isfinite(grade)):
        return None
    return Readability(reading_ease=round(ease, 1), grade=round(grade, 1))


def flesch(text: str) -> tuple[float, float] | None:
    """(reading ease, Flesch-Kincaid grade) exactly as textstat 0.7.8 computes them, or None for
    a text without words."""
    words = _ts_words(text)
    if not words:
        return None
    sentences = _SENTENCE_RE.findall(text)
    ignored = sum(1 for s in sentences if len(_ts_words(s)) <= 2)
    n_sentences = max(1, len(sentences) - ignored)
    syllables = syllable_count(words)
    return _ease_and_grade(len(words) / n_sentences, syllables / len(words))


_SENTENCE_END = tuple(".!?:;,")


def prose_for_readability(text: str) -> str:
    """The text as the Flesch formulas should see it: no links, mentions or hashtags, and each
    line break ends a sentence (posts often use lines instead of full stops)."""
    spans = special_spans(text)
    if spans:
        text = mask(text, spans)
    lines = []
    for line in text.splitlines():
        line = line.rstrip()
        if line:
            lines.append(line if line.endswith(_SENTENCE_END) else line + ".")
    return " ".join(lines)


_NON_LATIN_LETTER_RE = re.compile(r"[^\W\d_A-Za-z\u00aa\u00b5\u00ba\u00c0-\u024f]")
_LETTER_RE = re.compile(r"[^\W\d_]")


def _mostly_latin(text: str) -> bool:
    """At least 80% of the letters are Latin (the Flesch formulas are English ones)."""
    if text.isascii():
        return True
    other = len(_NON_LATIN_LETTER_RE.findall(text))
    if not other:
        return True
    letters = len(_LETTER_RE.findall(text))
    return other <= 0.2 * letters


def readability(text: str, words: int | None = None) -> Readability | None:
    """Flesch reading ease and Flesch-Kincaid grade, or None for very short or non-Latin-script
    texts (the formulas are English ones). `words`: `count_words(text)` if already known."""
    if (count_words(text) if words is None else words) < MIN_READABILITY_WORDS:
        return None
    prose = prose_for_readability(text)
    if not _mostly_latin(prose):
        return None
    try:
        scores = flesch(prose)
    except Exception:
        return None
    if scores is None:
        return None
    ease, grade = scores
    return _rounded(ease, grade)


class ProseStats(tuple):
    """What the Flesch formulas need from one paragraph (or run of paragraphs) of a text, so that
    a long text's score can be summed from cached paragraphs (see `readability_from`):
    (textstat words, syllables, sentences, ignored sentences, non-Latin letters, letters,
    closes: whether its prose ends a sentence, so that no sentence runs on into the next)."""

    __slots__ = ()


def prose_stats(text: str) -> ProseStats:
    """`ProseStats` of `text` (a paragraph cut from a longer text at a blank line)."""
    prose = prose_for_readability(text)
    words = _ts_words(prose)
    syllables = sentences = ignored = 0
    if words:
        syllables = syllable_count(words)
        found = _SENTENCE_RE.findall(prose)
        sentences = len(found)
        ignored = sum(1 for s in found if len(_ts_words(s)) <= 2)
    other = 0 if prose.isascii() else len(_NON_LATIN_LETTER_RE.findall(prose))
    letters = len(_LETTER_RE.findall(prose))  # needed when another paragraph has non-Latin letters
    closes = not prose or prose[-1] in ".!?"
    return ProseStats((len(words), syllables, sentences, ignored, other, letters, closes))


def readability_from(words: int, stats: list[ProseStats]) -> Readability | None:
    """`readability(text, words)` from the `prose_stats` of the paragraphs of `text`, cut at
    blank lines after paragraphs whose prose closes a sentence: the same figures, summed."""
    if words < MIN_READABILITY_WORDS:
        return None
    try:
        n_words = sum(s[0] for s in stats)
        other = sum(s[4] for s in stats)
        if other and other > 0.2 * sum(s[5] for s in stats):
            return None
        if not n_words:
            return None
        n_sentences = max(1, sum(s[2] for s in stats) - sum(s[3] for s in stats))
        ease, grade = _ease_and_grade(n_words / n_sentences, sum(s[1] for s in stats) / n_words)
    except Exception:
        return None
    return _rounded(ease, grade)


HARD_WARNING_EASE = 30.0
"""Flesch "very difficult" (below 30): university graduates; far above what a feed reader brings."""
HARD_INFO_EASE = 50.0
"""Flesch "difficult" (30-50): college level. Plain English is 60-70 (about grade 8)."""


def check(text: str, score: Readability | None, words: int | None = None) -> list[Finding]:
    """`readability.hard` when the text is much harder than a general audience reads."""
    if score is None or (count_words(text) if words is None else words) < MIN_HARD_WORDS:
        return []
    severity: Severity
    if score.reading_ease < HARD_WARNING_EASE:
        severity = "warning"
        how = "much harder than most people read"
    elif score.reading_ease < HARD_INFO_EASE:
        severity = "info"
        how = "harder than most people read"
    else:
        return []
    return [
        Finding(
            rule="readability.hard",
            category="readability",
            severity=severity,
            start=0,
            end=len(text),
            message=(
                f"Reading ease {score.reading_ease:.0f} (about grade {max(score.grade, 0):.0f}) is "
                f"{how} in a feed, where plain English scores 60 or more; "
                "try shorter sentences and plainer words."
            ),
        )
    ]
