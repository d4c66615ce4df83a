"""What the clickbait model sees of a text: copy words, their order, and the shape of the post.

Shared by the check and by `bench/train_clickbait.py`, so training and checking agree exactly.
Words outside the copy vocabulary (the model's `vocab`) are seen only by their ending, numbers as
one token and links not at all, so the model cannot learn topics, names, publishers or casing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
SENTENCE_END = re.compile(r"(?=[.!?…。！？\s])(?:[.!?…。！？]+(?=\s|$|[\"”'’)])|\n+|\s[—–]\s|\s-\s)")
"""Sentence ends, line breaks and spaced dashes (the lookahead only lets the scan skip letters fast)."""
LINK = re.compile(r"(?:https?://|www\.)\S+|\b(?>[\w-]+)\.(?:com|org|net|io|dev|app|co|social)\b(?:/\S*)?", re.I)
"""A link, as the model ignores it: the words around it are the copy."""
KICKER = re.compile(r"\W*(?:[^\W_][\w'’.-]*\s+){0,2}[^\W_][\w'’.-]*\s*:\s+(?=\S)")
"""A section label that opens a headline or post ("Watch:", "In pictures:", "Opinion:")."""
FIRST_PERSON = re.compile(
    r"\b(?:i|i['’](?:m|ve|d|ll)|im|ive|me|my|mine|myself|we|we['’](?:re|ve|ll|d)|our|ours|us|ourselves)\b",
    re.IGNORECASE,
)
"""The writer speaking of themselves (or of their team)."""
QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”|‘[^’\n]*’|(?<![\w'’])'[^'\n]*'(?![\w'’])")
"""Quoted words: someone else speaking ("'I felt lonely,' she said")."""


def speaks_of_self(text: str) -> bool:
    """Whether the writer speaks of themselves (first person outside quotation marks)."""
    if FIRST_PERSON.search(text) is None:
        return False
    return FIRST_PERSON.search(QUOTED.sub(" ", text)) is not None

OTHER = "_"
"""A word outside the copy vocabulary with no telling ending (its shape classes start with "_")."""
NUMBER = "<num>"
LABEL = "<label>"
"""Stands for a section label that opens a sentence ("Watch:", "Opinion:")."""
MAX_UNIT_TOKENS = 60
"""A paragraph longer than this is prose: only its opening sentence is judged as copy."""

NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty hundred".split()
)
APOSTROPHE_LESS = {
    "heres": "here's", "thats": "that's", "thatll": "that'll", "youll": "you'll", "youre": "you're",
    "youve": "you've", "youd": "you'd", "dont": "don't", "cant": "can't", "wont": "won't",
    "whats": "what's", "isnt": "isn't", "doesnt": "doesn't", "didnt": "didn't", "theyre": "they're",
    "whos": "who's", "hows": "how's", "wheres": "where's", "theres": "there's", "arent": "aren't",
    "wasnt": "wasn't", "werent": "weren't", "havent": "haven't", "wouldnt": "wouldn't",
    "shouldnt": "shouldn't", "couldnt": "couldn't",
}
"""Contractions written without the apostrophe ("Heres why"), read as the contraction."""
DEIXIS = frozenset(
    "year week weekend morning afternoon evening night time month summer winter spring autumn fall "
    "season monday tuesday wednesday thursday friday saturday sunday christmas holiday day hour "
    "minute".split()
)
"""After "this" or "every", these words make it a time ("this year", "every Sunday"), not a
forward reference or a sweeping claim."""
_DEICTIC = frozenset({"this", "every"})

CUES = frozenset(
    """
    you your you're you'll you've you'd yours yourself u ur y'all this these here here's that's
    what what's why how which who ever never everyone everybody anyone nobody everything nothing only
    just really actually literally totally absolutely seriously perfectly truly honestly basically
    definitely secretly amazing awesome incredible incredibly unbelievable insane insanely hilarious
    hilariously adorable adorably epic genius brilliant stunning shocking shocked terrifying perfect
    ultimate best worst greatest cutest weirdest funniest craziest strangest scariest biggest most
    crazy weird awkward ridiculous cute gorgeous sexy glorious wholesome iconic legendary magical mind
    blowing blown jaw dropping heartbreaking heartwarming relatable surprising surprise surprised
    secret secrets truth twist things reasons ways signs facts tips tricks trick hacks hack lessons
    habits mistakes moments quiz guess believe happened happens happen reveal reveals proof omg wow
    wtf lol
    """.split()
)
"""The words that make copy withhold, hook or hype (second person, forward reference, question
words, sweeping words, hype, listicle nouns, quiz and reveal words). Without a pattern, the model
warns only where one of these is among the words that weighed most: other words ("slides and notes
… are up") are how plain descriptions talk, too."""

_TERMINAL = re.compile(r"[.!?…:]+[\"”’')\]]*\s*$")
_QUOTE = re.compile(r"[\"“”]|(?:^|\s)['‘][^\W\d_]")
_SPECIFIC_NUMBER = re.compile(r"[$£€¥]\s?\d|\d\s?%|\b(?:1[89]|20)\d\d\b|\d[:.]\d\d\b")
_COLON_CONTENT = re.compile(r"[:—–]\s*[^\W_][^:]*?[\s,][^\W_]+")


_MAYBE_LINK = re.compile(r"://|www\.|\.(?:com|org|net|io|dev|app|co|social)\b", re.I)


def clean(segment: str) -> str:
    """`segment` with its links blanked out (same length, so offsets still hold)."""
    if "." in segment and _MAYBE_LINK.search(segment):
        segment = LINK.sub(lambda m: " " * len(m.group()), segment)
    return segment


def lowered(text: str) -> str:
    """Cleaned, lowercased, with straight apostrophes; the same length as `text` unless lower()
    lengthens a letter ("İ"), which callers check."""
    return clean(text).lower().replace("’", "'")


def shape(word: str) -> str:
    """The class of a word outside the vocabulary, by its ending only (never the word itself):
    "_ing", "_ed", "_ly", "_est", "_'s", "_s" or OTHER."""
    n = len(word)
    if n > 5 and word.endswith("ing"):
        return "_ing"
    if n > 4 and word.endswith("ed"):
        return "_ed"
    if n > 4 and word.endswith("ly"):
        return "_ly"
    if n > 5 and word.endswith("est"):
        return "_est"
    if word.endswith("'s"):
        return "_'s"
    if n > 3 and word.endswith("s") and not word.endswith("ss"):
        return "_s"
    return OTHER


class Normaliser:
    """Maps lowercased words to their normal forms for one vocabulary, remembering each word it
    has seen (prose repeats its words); bounded, and owned by whoever owns the model."""

    __slots__ = ("vocab", "_table")

    LIMIT = 20_000
    """Words remembered at most: a 100,000-word book has about 10,000 distinct ones. Each costs
    about 100 bytes (its entry and the word, kept alive), so 100,000 of them (pasted logs,
    code) would have held some 8 MB for as long as the model lives; past the limit a word's
    form is worked out again each time (half a microsecond)."""

    def __init__(self, vocab: Iterable[str]) -> None:
        self.vocab = frozenset(vocab)
        self._table = {w: w for w in self.vocab if not (w.isdigit() or w in NUMBER_WORDS)}

    def word(self, word: str) -> str:
        form = self._table.get(word)
        if form is None:
            fixed = APOSTROPHE_LESS.get(word, word)
            if fixed.isdigit() or fixed in NUMBER_WORDS:
                form = NUMBER
            elif fixed in self.vocab:
                form = fixed
            else:
                form = shape(fixed)
            if len(self._table) < self.LIMIT:
                self._table[word] = form
        return form

    def __call__(self, words: list[str]) -> list[str]:
        """Numbers become NUMBER, copy words stay, every other word becomes its shape class; "this"
        or "every" in a time phrase ("this week", "every month") becomes OTHER."""
        get = self._table.get
        out = [get(w) or self.word(w) for w in words]
        if "this" in words or "every" in words:
            for i in range(len(words) - 1):
                if words[i] in _DEICTIC and words[i + 1].removesuffix("'s") in DEIXIS:
                    out[i] = OTHER
        return out


def tokens(segment: str) -> list[tuple[str, int, int]]:
    """Lowercased word tokens of one segment with their offsets (apostrophes made straight)."""
    return [(m.group().lower().replace("’", "'"), m.start(), m.end()) for m in TOKEN.finditer(segment)]


def words_of(low: str, start: int, end: int) -> tuple[list[str], int]:
    """The words of low[start:end] (already `lowered`), and how many opening words a section
    label covers (they are folded into one LABEL token)."""
    if low.find(":", start, end) >= 0:
        label = KICKER.match(low, start, end)
        if label is not None:
            rest = TOKEN.findall(low, label.end(), end)
            head = TOKEN.findall(low, start, label.end())
            if rest and head:
                return [LABEL] + rest, len(head)
    return TOKEN.findall(low, start, end), 0


def ngram_names(norm: list[str]) -> list[str]:
    """The copy features of one normalised unit: first word, first two words, last word, each
    word that is not OTHER, and each pair of neighbours that are not both OTHER."""
    n = len(norm)
    if n == 0:
        return []
    first = norm[0]
    out = ["^" + first]
    if n > 1:
        out.append("^" + first + " " + norm[1])
    out.append("$" + norm[-1])
    prev = first
    if first != OTHER:
        out.append(first)
    for w in norm[1:]:
        if w != OTHER or prev != OTHER:
            out.append(prev + " " + w)
        if w != OTHER:
            out.append(w)
        prev = w
    return out


def ngram_positions(norm: list[str]) -> list[tuple[str, tuple[int, ...]]]:
    """`ngram_names(norm)` with the token positions each feature covers, in the same order."""
    n = len(norm)
    if n == 0:
        return []
    out: list[tuple[str, tuple[int, ...]]] = [("^" + norm[0], (0,))]
    if n > 1:
        out.append(("^" + norm[0] + " " + norm[1], (0, 1)))
    out.append(("$" + norm[-1], (n - 1,)))
    if norm[0] != OTHER:
        out.append((norm[0], (0,)))
    for i in range(1, n):
        w, prev = norm[i], norm[i - 1]
        if w != OTHER or prev != OTHER:
            out.append((prev + " " + w, (i - 1, i)))
        if w != OTHER:
            out.append((w, (i,)))
    return out


def shape_names(text: str, start: int, end: int, n_words: int) -> list[str]:
    """Features of the unit text[start:end] as a whole (links already blanked): its length, how
    it ends, quotes, specific numbers, names, and whether a colon or dash is followed by content.
    Casing counts only where the text is not in Title Case (a publisher's house style)."""
    out = [f"#len{min(n_words // 4, 8)}"]
    words = TOKEN.findall(text, start, end)
    lettered = [w for w in words if w[:1].isalpha()]
    if lettered:
        mean = sum(map(len, lettered)) / len(lettered)
        out.append(f"#wordlen{min(max(int(mean * 2) - 7, 0), 5)}")
    if lettered and not (len(lettered) > 2 and sum(w[:1].isupper() for w in lettered) > 0.6 * len(lettered)):
        names = sum(1 for w in lettered[1:] if w[:1].isupper() and w != "I")
        out.append(f"#names{min(names, 4)}")
    body = text[start:end].rstrip()
    tail = _TERMINAL.search(body)
    if tail is not None:
        mark = tail.group().strip().rstrip("\"”’')]")[-1:]
        out.append("#end" + mark)
        body_inner = body[: tail.start()]
    else:
        body_inner = body
    if "?" in body_inner:
        out.append("#q-inside")
    if "!" in body_inner:
        out.append("#excl-inside")
    if _QUOTE.search(text, start, end):
        out.append("#quote")
    if _SPECIFIC_NUMBER.search(text, start, end):
        out.append("#specific-number")
    if _COLON_CONTENT.search(body_inner):
        out.append("#answer-after-colon")
    if "|" in body:
        out.append("#pipe")
    return out


PARAGRAPH_BREAK = re.compile(r"\n\n+")


def units(text: str) -> Iterator[tuple[int, int]]:
    """The spans the model judges: each paragraph that has words (paragraphs are parted by blank
    lines), or, of a paragraph too long to be copy (MAX_UNIT_TOKENS words), its opening sentence:
    the rest is prose, not a hook."""
    start = 0
    for m in (*PARAGRAPH_BREAK.finditer(text), None):
        end = len(text) if m is None else m.start()
        if TOKEN.search(clean(text[start:end])):
            if text.count(" ", start, end) >= MAX_UNIT_TOKENS and len(TOKEN.findall(text, start, end)) > MAX_UNIT_TOKENS:
                for s, e in sentences(text, start, end):
                    if TOKEN.search(text, s, e):
                        yield s, e
                        break
            else:
                yield start, end
        if m is not None:
            start = m.end()


def sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Sentence-like spans of text[start:end]: split at sentence ends, line breaks and dashes."""
    end = len(text) if end is None else end
    pos = start
    for m in SENTENCE_END.finditer(text, start, end):
        stop = m.end()
        while stop > m.start() and text[stop - 1].isspace():
            stop -= 1  # a sentence keeps its own punctuation ("?" and ":" tell the model much)
        if stop > pos:
            yield pos, stop
        pos = m.end()
    if pos < end:
        yield pos, end
