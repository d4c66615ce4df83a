"""Length findings: how far a post is over each platform's limit, and how many parts its thread
would take. `findings` keeps what it worked out for the last text (per set of rules) and redoes
only what an edit changed."""

from __future__ import annotations

import threading

from composer.textdiff import changed_window

from ..entities import find_urls
from ..model import Finding, Severity
from .layout import Layout
from .rules import DEFAULT_URL_COST, INF, MIN_ROOM, Measure, Rules, measure_values, text_of
from .rules import rules as rules_for
from .split import Resume, part_budgets, split_parts
from .units import EMOJI


def _url_count(rules: Rules, text: str, state: _State, last: _State | None, edit) -> int:
    """How many links `_how` sees in `text` (counted again only in the edited lines)."""
    if rules.counting.links not in ("fixed", "shown"):
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


def _how(rules: Rules, text: str, urls: int) -> list[str]:
    """What makes this platform's count differ from a plain character count, for this text
    (`urls`: how many links it has, as `find_urls` finds them for the platform)."""
    c, notes = rules.counting, []
    if urls and c.links == "fixed" and rules.url_cost is not None:
        notes.append(f"each link counted as {rules.url_cost}")
    if urls and c.links == "shown":
        notes.append(f"links shortened as {c.shown_as} shows them")
    if rules.content_warning:
        notes.append("the content warning included")
    if c.unit == "weighted" and not text.isascii():
        notes.append("CJK characters and emoji counted as 2")
    if c.unit == "emoji-bytes" and EMOJI.search(text):
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
    an error for what no thread can carry (a content warning or a link longer than a post).
    Keeps nothing: a draft being edited keeps its plans in a `Tracker`."""
    return Tracker(keep=0).findings(text, platform, limit, content_warning, url_cost=url_cost)


class Tracker:
    """The length plans of one draft: for each set of rules (platform, limit, content warning,
    URL cost), what `findings` worked out for the last text, so that an edit re-counts only the
    lines it changed and re-plans the thread from the edit on. Held by whoever holds the draft
    (`guidelines.Incremental`); `keep` sets how many sets of rules are kept."""

    def __init__(self, keep: int = 16) -> None:
        self.keep = keep
        self._last: dict[Rules, _State] = {}
        self._lock = threading.Lock()

    def forget(self) -> None:
        with self._lock:
            self._last.clear()

    def findings(
        self,
        text: str,
        platform: str,
        limit: int | None = None,
        content_warning: str = "",
        *,
        url_cost: int | None = DEFAULT_URL_COST,
    ) -> list[Finding]:
        """`findings(...)`, re-using the plan kept for the last text of these rules."""
        rules = rules_for(platform, limit, content_warning, url_cost)
        return list(self._state(rules, text_of(text)).found)

    def budget(
        self,
        text: str,
        platform: str,
        limit: int | None = None,
        *,
        content_warning: str = "",
        url_cost: int | None = DEFAULT_URL_COST,
    ) -> tuple[Measure, int]:
        """(`measure(...)`, how many parts `split_thread(...)` gives), from the kept plan."""
        rules = rules_for(platform, limit, content_warning, url_cost)
        text = text_of(text)
        state = self._state(rules, text)
        m = measure_values(rules, state.values)
        if m.fits or rules.limits[0] >= INF:
            return m, 1
        if state.parts is None:
            state.parts = len(split_parts(Layout(text, rules), numbered=True, texts=False)[1])
        return m, state.parts

    def _state(self, rules: Rules, text: str) -> _State:
        with self._lock:
            last = self._last.get(rules)
        if last is not None and last.text == text:
            return last
        edit = _edit(last.text, text) if last is not None else None
        state = _State(text)
        if edit is not None and last is not None and not (rules.content_warning and edit[0] == 0):
            zs, ze_old, ze_new = edit
            before, after = rules.piece(last.text[zs:ze_old]), rules.piece(text[zs:ze_new])
            state.values = tuple(v - b + a for v, b, a in zip(last.values, before, after))
        else:
            state.values = rules.measure(text)
        if rules.limits[0] < INF:
            state.found = _findings(rules, text, state, last, edit)
        if self.keep:
            with self._lock:
                self._last.pop(rules, None)
                self._last[rules] = state
                while len(self._last) > self.keep:
                    del self._last[next(iter(self._last))]
        return state


class _State:
    """What `findings` worked out for one text, to redo only what an edit changes next time."""

    __slots__ = ("text", "values", "urls", "layout", "record", "found", "parts")

    def __init__(self, text: str) -> None:
        self.text = text
        self.values: tuple[int, ...] = ()
        """`Rules.measure(text)`."""
        self.urls: int | None = None
        """How many links `_how` finds."""
        self.layout: Layout | None = None
        self.record: tuple | None = None
        """The numbered plan (see `_split`)."""
        self.found: list[Finding] = []
        self.parts: int | None = None
        """How many parts the thread takes (when the plan was made)."""


def forget() -> None:
    """Nothing is kept at module level any more (each draft's `Tracker` keeps its own plans);
    kept so that older callers (benchmarks of a first analysis) still work."""


def _edit(old: str, new: str) -> tuple[int, int, int] | None:
    """(start, old end, new end) of the lines that differ between `old` and `new`: the zone starts
    after a line break (or at 0) and ends after one (or at the end), both outside the edit."""
    n0, n1 = len(old), len(new)
    prefix, old_end, _ = changed_window(old, new)
    zs = old.rfind("\n", 0, prefix) + 1
    k = old.find("\n", old_end)
    ze_old = k + 1 if k >= 0 else n0
    return zs, ze_old, ze_old + n1 - n0


def _findings(rules: Rules, text: str, state: _State, last: _State | None, edit) -> list[Finding]:
    m = measure_values(rules, state.values)
    if m.fits:
        return []
    p = rules.platform
    rule, name, n = f"length.{p}", rules.label, len(text)

    def finding(severity: Severity, start: int, end: int, message: str) -> Finding:
        return Finding(rule, "length", severity, start, end, message)

    if rules.counting.content_warning_counts and rules.limits[0] - rules.overhead[0] < MIN_ROOM:
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
        layout = Layout(text, rules, reuse=(last.layout, zs, ze_old, ze_new))
        if last.record is not None:
            digits, parts, horizons, content_end = last.record
            resume = Resume(digits, parts, horizons, zs, ze_old, ze_new, content_end)
    else:
        layout = Layout(text, rules)
    _texts, planned, state.record = split_parts(layout, numbered=True, resume=resume, texts=False)
    state.layout = layout
    state.parts = len(planned)
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
    tail = layout.reach(0, part_budgets(rules, 0))
    if not 0 <= tail < n:
        tail = 0
    k = len(planned)
    binding = m.binding
    fix = {"links": "drop some links", "hashtags": "drop some hashtags"}.get(binding or "", "shorten it")
    then = f"it will go out as a thread of {k} parts, or {fix}." if k > 1 else (
        "it fits once the blank space around it is trimmed."
    )
    if binding == "bytes" and m.byte_limit is not None:
        message = (
            f"{m.bytes - m.byte_limit:,} bytes over {name}'s {m.byte_limit:,}-byte limit "
            f"({m.bytes:,} bytes: emoji and non-Latin letters take several each); {then}"
        )
    elif binding == "links" and m.link_limit is not None:
        message = f"{m.links} links, {m.links - m.link_limit} over {name}' {m.link_limit} per post; {then}"
    elif binding == "hashtags" and m.hashtag_limit is not None:
        message = f"{m.hashtags} hashtags, {m.hashtags - m.hashtag_limit} over {name}'s {m.hashtag_limit} per post; {then}"
    else:
        how = "".join(f", {note}" for note in _how(rules, text, _url_count(rules, text, state, last, edit)))
        message = f"{m.over:,} over {name}'s {m.limit:,} ({m.count:,} characters{how}); {then}"
    out.append(finding("warning" if k > 1 else "info", tail, n, message))
    out.sort(key=lambda f: (f.start, f.end, f.rule))
    return out
