"""How the clickbait check decides: patterns find the words, the model says how sure it is.

A `Checker` owns what it loads (the pattern index with its compiled patterns, the model); the
package keeps one for `check()`. Each paragraph (or each sentence of a long one) is one unit:
- a *sure* pattern (engagement bait, urgency, quizzes, classic curiosity gaps) warns by itself;
- every other finding depends on the model's calibrated probability that the unit is bait: a
  warning at `warn` or above, a quiet hint (severity info) from `info`, else nothing;
- where the writer speaks of themselves, thanks or greets someone, or asks readers for their view,
  the model must reach the stricter `personal` threshold before it warns (news posts, which it
  learnt from, never do that; honest posts do it all the time).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from ..model import Finding, Severity
from . import features as F
from .index import Described, PatternIndex, Scan, read_described, span
from .model import Model, Prepared, prepare
from .rules import BAIT_COPY_MESSAGE, RULES, TEASER_MESSAGE, Rule

CATEGORY = "clickbait"
MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "clickbait_model.json"
INDEX_PATH = MODEL_PATH.with_name("clickbait_index.json")
"""Where each pattern can start, read once from the patterns (`index.describe_all`) and shipped,
so that a cold check does not spend its time reading regular expressions."""

LINK = re.compile(
    r"https?://|www\.|\b[\w-]+\.(?:com|org|net|io|dev|app|co|social)\b/?|"
    r"\b(?:thread|link\s+in\s+(?:bio|comments?)|see\s+more|read\s+more|more\s+(?:below|in\s+the\s+comments))\b|[👇⬇🧵]",
    re.I,
)
"""A link, or a pointer to more behind a click ("thread 👇", "link in bio")."""
FORMULA = re.compile(
    r"\b(?:thank(?:s|\s*-?\s*you)|thx|congrat\w*|happy\s+(?:birthday|new\s+year|holidays|anniversary|"
    r"[a-z]+day)|(?:good|best\s+of)\s+luck|welcome|see\s+you|miss\s+you|love\s+you|proud\s+of|"
    r"rest\s+in\s+peace|condolences|get\s+well|merry\s+christmas|"
    r"if\s+you(?:['’]re|\s+are)?\s+(?:in|around|near|nearby|interested|free|curious|going|coming|attending|"
    r"local|able|willing|up\s+for|want|need|can|live|depend|have|use|know|work|missed))\b",
    re.IGNORECASE,
)
"""Conversational formulas: thanks, greetings, invitations; "you" here is a friend."""
INVITE = re.compile(
    r"\b(?:anyone|anybody|y['’]?all|you\s+all|folks|recommend\w*|suggest\w*|tips|advice|thoughts|"
    r"let\s+(?:me|us)\s+know|tell\s+(?:me|us)|reply|replies|comments?|favou?rite|prefer|experience)\b",
    re.IGNORECASE,
)
"""Words that ask readers for their answer, not for a click."""
ASKING = re.compile(r"\b(?:you|your|y['’]?all|anyone|anybody|everyone|somebody|someone|folks)\b", re.IGNORECASE)
"""A question with these words asks readers for their view (checked per question sentence)."""


class Context(NamedTuple):
    """What the check of one part of a post needs to know about the whole post."""

    has_link: bool
    """A link, or a pointer to more behind a click: without one the model warns only at its
    stricter threshold, and only where a pattern of bait copy matched."""
    personal: bool
    """The writer speaks of themselves somewhere (I, my, we, our)."""
    several: bool
    """The post has more than one paragraph: a very short one (a heading, a sign-off) is then
    not judged as if it were the whole post."""


def context(text: str) -> Context:
    paragraphs = sum(1 for p in F.PARAGRAPH_BREAK.split(text) if F.TOKEN.search(p))
    return Context(LINK.search(text) is not None, F.speaks_of_self(text), paragraphs > 1)


SHORT_UNIT = 4
"""In a post of several paragraphs, a paragraph of fewer words than this is not judged."""


class Assessment(NamedTuple):
    """How the check sees one unit (a paragraph, or a sentence of a long one)."""

    start: int
    end: int
    probability: float
    voiced: bool
    """The writer's own voice (first person, a formula, a question to readers): the stricter
    `personal` threshold applies."""
    named: bool
    """The model may warn here (the unit has words, and no sign that it gives what it announces)."""
    sure: bool
    """A sure pattern matched in it (a warning whatever the model says)."""


class Hit(NamedTuple):
    start: int
    end: int
    rule: Rule


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end] (looking at most 400 characters either way)."""
    lo = max(0, start - 400)
    left = max(text.rfind(c, lo, start) for c in ".!?\n")
    left = left + 1 if left >= 0 else lo
    hi = min(len(text), end + 400)
    right = min((i for i in (text.find(c, end, hi) for c in ".!?\n") if i >= 0), default=hi)
    return left, right


def _asks_readers(text: str, start: int, end: int) -> bool:
    """Whether a question in text[start:end] asks readers for their view."""
    for s, e in F.sentences(text, start, end):
        if text[s:e].rstrip().endswith("?") and ASKING.search(text, s, e):
            return True
    return False


def voiced(text: str, start: int, end: int, ctx: Context) -> bool:
    """Whether the unit text[start:end] needs the stricter threshold: the writer speaks of
    themselves (anywhere in the post), asks readers something, or the post has nothing to click."""
    return ctx.personal or not ctx.has_link or _asks_readers(text, start, end)


def plain(text: str, start: int, end: int, ctx: Context, patterned: bool) -> bool:
    """Whether the model may only hint (severity info) at the unit text[start:end], because it
    has no gap: the post has nothing to click (no link, no "thread 👇") and no pattern of bait
    copy matched in the unit (`patterned`), or the unit is a greeting
    or thanks, a question that invites replies, names what it presents ("Here are the slides
    from…"), or gives what it announces after a colon or dash ("Three changes in 2.1: faster
    builds, ...")."""
    if not ctx.has_link and not patterned:
        return True  # nothing to click, and no pattern of bait copy: the post is what it shows
    if FORMULA.search(text, start, end) is not None:
        return True
    if not patterned and PRESENTS.match(text, start, end):
        return True
    if _answered(text, start, end):
        return True
    for s, e in F.sentences(text, start, end):
        if text[s:e].rstrip().endswith("?") and ASKING.search(text, s, e):
            if ctx.personal or INVITE.search(text, s, e):
                return True
    return False


PRESENTS = re.compile(
    r"\W*here(?:['’]?s|\s+is|\s+are)\s+(?:the|our|my|a|an|today['’]s|yesterday['’]s|this\s+week['’]s|"
    r"last\s+night['’]s)\s+(?!(?:reason|reasons|truth|thing|things|catch|secret|secrets|real|surprising|answer|"
    r"best|worst|one|only|most|way|ways)\b)[^\W\d_]",
    re.IGNORECASE,
)
"""A unit that opens by naming what it presents ("Here are the slides from…"), not by pointing
at something it withholds ("Here's why…", "Here's the reason…")."""
_ANSWER = re.compile(r"(?:[:—–]|\s-)\s+(?=\S)")


def _answered(text: str, start: int, end: int) -> bool:
    """A colon or dash after at least four words, followed by at least three words that are
    not a link: the post gives what it announces."""
    for m in _ANSWER.finditer(text, start, end):
        if len(F.TOKEN.findall(text, start, m.start())) >= 4:
            after = F.clean(text[m.end() : end])
            if len(F.TOKEN.findall(after)) >= 3:
                return True
    return False


def _quote(text: str, start: int, end: int) -> str:
    words = " ".join(text[start:end].split())
    return words if len(words) <= 60 else words[:57] + "…"


class Checker:
    """The clickbait check with its own pattern index and model, loaded on first use."""

    def __init__(self, model_path: Path = MODEL_PATH, rules: tuple[Rule, ...] = RULES) -> None:
        self.model_path = model_path
        self.rules = rules
        self._index: PatternIndex | None = None
        self._sure_index: PatternIndex | None = None
        self._model: Model | None = None
        self._model_failed = False
        self._loading = threading.Lock()

    # -- what it loads ------------------------------------------------------------------------

    def described(self) -> dict[str, Described] | None:
        """The shipped description of the patterns, if it is of these rules (else None: the
        index then reads the patterns itself). Read anew on each call: the indexes are built
        from it once and keep none of it."""
        try:
            data = json.loads(INDEX_PATH.read_text(encoding="utf-8"))
            return read_described(data, self.rules)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def _load_indexes(self) -> tuple[PatternIndex, PatternIndex]:
        """Both indexes, built together from one reading of the description: they share their
        entries, key tables and compiled patterns."""
        with self._loading:  # once: a text being matched holds on to what they are made of
            if self._index is None or self._sure_index is None:
                sure = frozenset(i for i, r in enumerate(self.rules) if r.sure)
                self._index, self._sure_index = PatternIndex.pair(self.rules, sure, self.described())
            return self._index, self._sure_index

    @property
    def index(self) -> PatternIndex:
        return self._index or self._load_indexes()[0]

    @property
    def sure_index(self) -> PatternIndex:
        """The sure rules alone: what is tried outside the units the model judges."""
        return self._sure_index or self._load_indexes()[1]

    @property
    def model(self) -> Model | None:
        """The model, or None if its file cannot be read (the sure patterns still work)."""
        if self._model is None and not self._model_failed:
            try:
                self._model = Model(json.loads(self.model_path.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError):
                self._model_failed = True
        return self._model

    def set_model(self, data: dict | None) -> None:
        """Use this model (a dict as in the shipped JSON); None: the shipped one again."""
        self._model = Model(data) if data is not None else None
        self._model_failed = False

    def warm_up(self) -> None:
        """Load the model and both pattern indexes now, so no keystroke pays for reading them.

        The patterns are not compiled here: each compiles the first time a text holds the words
        it can start with (at most 2.5 ms, the median 0.1 ms; a post's first check compiles a
        median of 2 of the 168, at most 11). Compiling all of them would cost the warm-up thread
        about 30 ms holding the GIL at the writer's first keystroke and keep 0.3 MB of compiled
        patterns that most writers never need (measured for issue 17; `PatternIndex.compile_all`
        is still there for whoever wants them all).

        The model's weights are packed here (see `model.Weights`): whoever warms the check up
        keeps it, and a one-off check never pays for packing."""
        model = self.model
        if model is not None:
            model.pack()
        self._load_indexes()

    # -- patterns -----------------------------------------------------------------------------

    def hits(self, text: str, ctx: Context, units: list[tuple[int, int]] | None = None) -> list[Hit]:
        """Pattern matches in `text`, trimmed to their words, one per rule id and place. With
        `units`, every rule is tried in them and only the sure rules elsewhere (the others count
        only where the model judges)."""
        found: list[tuple[int, int, int]] = []
        if units is None:
            matches: Iterable[tuple[int, re.Match[str]]] = self.index.matches(text)
        else:
            matches = self._matches_by_unit(text, units)
        for i, m in matches:
            rule = self.rules[i]
            start, end = span(m)
            while start < end and text[start].isspace():
                start += 1
            while end > start and (text[end - 1].isspace() or text[end - 1] in "!?.…"):
                end -= 1
            if end <= start:
                continue
            if not rule.personal_ok and F.FIRST_PERSON.search(text, *_sentence_bounds(text, start, end)):
                continue
            if not rule.link_ok and ctx.has_link:
                continue
            found.append((start, end, i))
        found.sort(key=lambda s: (self.rules[s[2]].rule, s[0], -s[1]))
        out: list[Hit] = []
        last: dict[str, int] = {}
        for start, end, i in found:
            rule = self.rules[i]
            if start < last.get(rule.rule, -1):
                continue  # overlapping matches of one rule make one finding
            last[rule.rule] = end
            out.append(Hit(start, end, rule))
        return out

    def _matches_by_unit(self, text: str, units: list[tuple[int, int]]) -> Iterator[tuple[int, re.Match[str]]]:
        scan = Scan.of(text)
        pos = 0
        for start, end in units:
            if start > pos:
                yield from self.sure_index.matches(text, pos, start, scan)
            yield from self.index.matches(text, start, end, scan)
            pos = end
        if pos < len(text):
            yield from self.sure_index.matches(text, pos, None, scan)

    def crosses(self, before: str, after: str) -> bool:
        """Whether a pattern could match across the blank line between `before` and `after`."""
        return self.index.crosses(before, after)

    # -- the decision -------------------------------------------------------------------------

    def check(self, text: str) -> list[Finding]:
        """Clickbait findings for `text`, sorted by (start, end, rule). Never raises."""
        if not isinstance(text, str) or not text:
            return []
        return self.check_part(text, context(text))

    def check_part(self, text: str, ctx: Context) -> list[Finding]:
        """Findings for `text`, one or more whole paragraphs of a post whose context is `ctx`
        (so a long draft can be checked paragraph by paragraph with the same result)."""
        if not isinstance(text, str) or not text:
            return []
        try:
            found = self._findings(text, ctx)
        except Exception:  # noqa: BLE001 - a checker must never break typing
            return []
        found.sort(key=lambda f: (f.start, f.end, f.rule))
        return found

    def threshold(self, text: str, start: int, end: int, ctx: Context) -> float | None:
        """The probability the unit text[start:end] must reach for a warning (None: no model)."""
        model = self.model
        if model is None:
            return None
        return model.personal if voiced(text, start, end, ctx) else model.warn

    def assess(self, text: str, ctx: Context | None = None) -> list[Assessment]:
        """Each unit of `text` as the decision sees it (benchmarks choose thresholds with this)."""
        ctx = ctx or context(text)
        units = list(F.units(text))
        hits = self.hits(text, ctx, units)
        model = self.model
        assert model is not None
        out = []
        for start, end in units:
            if ctx.several and len(F.TOKEN.findall(text, start, end)) < SHORT_UNIT:
                continue
            inside = [h for h in hits if start <= h.start < end]
            prepared = prepare(text[start:end])
            probability = model.judge(prepared, 0, end - start, sorted({h.rule.rule.split(".", 1)[1] for h in inside}))
            sure = any(h.rule.sure for h in inside)
            weighed = any(not h.rule.sure for h in inside)
            named = bool(text[start:end].strip()) and not plain(text, start, end, ctx, weighed)
            if named and not weighed and probability >= model.info and _statement(prepared.cleaned):
                top, cued = self._copy_words(prepared)
                named = cued or not top
            out.append(Assessment(start, end, probability, voiced(text, start, end, ctx), named, sure))
        return out

    def _findings(self, text: str, ctx: Context) -> list[Finding]:
        units = list(F.units(text))
        hits = self.hits(text, ctx, units)
        out = [self._pattern(text, h, "warning") for h in hits if h.rule.sure]
        model = self.model
        if model is None:
            return out
        for start, end in units:
            if ctx.several and len(F.TOKEN.findall(text, start, end)) < SHORT_UNIT:
                continue
            inside = [h for h in hits if start <= h.start < end]
            prepared = prepare(text[start:end])  # a unit is made ready alone: most text is not in one
            probability = model.judge(prepared, 0, end - start, sorted({h.rule.rule.split(".", 1)[1] for h in inside}))
            if probability < model.info:
                continue
            warn = self.threshold(text, start, end, ctx)
            severity: Severity = "info"
            weighed = [h for h in inside if not h.rule.sure]
            if plain(text, start, end, ctx, bool(weighed)):
                if not weighed:
                    continue  # nothing withheld and no pattern: not even a hint
            elif warn is not None and probability >= warn:
                severity = "warning"
            if weighed:
                out.extend(self._pattern(text, h, severity, probability) for h in weighed)
            elif not any(h.rule.sure for h in inside):
                out.append(self._bait_copy(prepared, start, severity, probability))
        return out

    def _pattern(self, text: str, hit: Hit, severity: Severity, probability: float | None = None) -> Finding:
        message = hit.rule.message.format(span=_quote(text, hit.start, hit.end))
        if probability is not None:
            message += _sureness(probability, severity)
        return Finding(hit.rule.rule, CATEGORY, severity, hit.start, hit.end, message)

    def _copy_words(self, prepared: Prepared) -> tuple[list[tuple[int, int, float]], bool]:
        """The (up to) three copy words of a unit that weighed most, in text order, and whether
        one of them is a cue of bait (see `features.CUES`; a count that opens the unit counts)."""
        model = self.model
        assert model is not None
        unit = prepared.text
        words = model.explain(prepared, 0, len(unit))
        top = sorted(sorted(words, key=lambda w: (-w[2], w[0]))[:3])
        first = F.TOKEN.search(prepared.cleaned)
        cued = any(
            unit[a:b].lower().replace("’", "'") in F.CUES
            or (first is not None and a == first.start() and F.NUMBER == model.normalise.word(unit[a:b].lower()))
            for a, b, _ in top
        )
        return top, cued

    def _bait_copy(self, prepared: Prepared, offset: int, severity: Severity, probability: float) -> Finding:
        """The finding for a unit (made ready alone; `offset`: where it starts in the text) that
        no pattern explains: the copy words that weighed most, or the whole unit as a teaser. A
        warning needs a cue of bait among those words; otherwise it is a hint."""
        unit = prepared.text
        top, cued = self._copy_words(prepared)
        if not top:  # the whole unit says too little: name it all
            a, b = 0, len(unit)
            cleaned = prepared.cleaned  # links blanked: a link is not what the teaser says
            while a < b and cleaned[a].isspace():
                a += 1
            while b > a and (cleaned[b - 1].isspace() or cleaned[b - 1] in "!?.…"):
                b -= 1
            message = TEASER_MESSAGE.format(span=_quote(unit, a, b)) + _sureness(probability, severity)
            return Finding("clickbait.teaser", CATEGORY, severity, offset + a, offset + b, message)
        if not cued and _statement(prepared.cleaned):
            severity = "info"
        quoted = ", ".join(f"“{unit[a:b]}”" for a, b, _ in top)
        message = BAIT_COPY_MESSAGE.format(words=quoted) + _sureness(probability, severity)
        return Finding("clickbait.bait-copy", CATEGORY, severity, offset + top[0][0], offset + top[-1][1], message)


def _statement(unit: str) -> bool:
    """Whether a unit reads as a description (STATEMENT_WORDS words or more, and it ends with a
    full stop or holds several sentences) rather than as a headline: a description without a cue
    of bait is plain."""
    body = unit.rstrip()
    if len(F.TOKEN.findall(body)) < STATEMENT_WORDS:
        return False
    return body.endswith(".") or sum(1 for _ in F.sentences(body)) > 1


STATEMENT_WORDS = 8
"""Fewer words than this are a teaser, not a description, whatever their punctuation."""


def _sureness(probability: float, severity: Severity) -> str:
    tenths = max(1, min(9, round(probability * 10)))
    if severity == "warning":
        return f" (Fairly sure: about {tenths} in 10 posts written like this are bait.)"
    return f" (Not sure, just a hint: about {tenths} in 10 posts written like this are bait.)"
