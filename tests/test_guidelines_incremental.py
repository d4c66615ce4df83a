"""analyze() by paragraph, with cached paragraph results, gives exactly the Report of a full
analysis: random edits to a multi-paragraph text, compared with a fresh uncached analysis."""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import composer.guidelines as guidelines
from composer.guidelines import analyze
from composer.guidelines.settings import GuidelineSettings

PIECES = [
    "We spent the weekend repairing the community garden fence with our neighbours.",
    "You won't believe what happened next",
    "This one weird trick will change everything",
    "Details at https://example.org/garden/minutes-2024 for anyone curious.",
    "@maria@social.example organised it. 🌱 #CommunityGarden",
    "THIS IS AMAZING!!! What the fuck.",
    "Call (415) 555-2671 or mail ana@example.org",
    "a chink in the", "armour", "jerk", "off", "son of a", "bitch",
    "The report argues that municipal infrastructure investment correlates with wellbeing:",
    "I am sharing this because people asked,", "10 reasons why", "今日は晴れです", "Привет мир",
    "PSA", ": the road is closed", "rag", "head", "towel", "Notwithstanding considerable methodological heterogeneity",
]
SEPARATORS = ["\n\n", "\n\n\n", " ", "\n", ". ", "\n\n ", ""]


def _full(text, purpose, **kw):
    saved = guidelines.INCREMENTAL_MIN_CHARS
    guidelines.INCREMENTAL_MIN_CHARS = 1 << 60
    try:
        return analyze(text, purpose, **kw)
    finally:
        guidelines.INCREMENTAL_MIN_CHARS = saved


@pytest.fixture(autouse=True)
def by_paragraph(monkeypatch):
    monkeypatch.setattr(guidelines, "STRICT", True)
    monkeypatch.setattr(guidelines, "INCREMENTAL_MIN_CHARS", 1)


texts = st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), min_size=2, max_size=14).map(
    lambda parts: "".join(p + s for p, s in parts)
)
edits = st.lists(
    st.tuples(st.floats(0, 1), st.integers(0, 3), st.sampled_from(["", "a", "\n\n", "!", "I ", "fuck", ".", "\n", "ARMOUR"])),
    min_size=1, max_size=6,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, edits, st.sampled_from([None, "to tell neighbours about the garden"]))
def test_edits_give_the_report_of_a_full_analysis(text, edit_list, purpose):
    kw = {"platforms": ("mastodon", "bluesky"), "settings": GuidelineSettings(allow=("damn",))}
    assert analyze(text, purpose, **kw) == _full(text, purpose, **kw)
    for where, cut, insert in edit_list:
        pos = int(where * len(text))
        text = text[:pos] + insert + text[pos + cut:]
        assert analyze(text, purpose, **kw) == _full(text, purpose, **kw), repr(text)


def test_paragraph_results_are_reused():
    text = "\n\n".join(PIECES * 3)
    guidelines.clear_cache()
    analyze(text)
    kept = len(guidelines._cache)
    assert kept > 10
    pos = text.index("armour")
    analyze(text[:pos] + "x" + text[pos:])
    assert len(guidelines._cache) - kept < 10  # only the edited paragraph (and its seams) were new


def test_threads_share_the_cache_safely():
    base = "\n\n".join(PIECES * 4)
    variants = [base.replace("garden", "garden" + "x" * i) for i in range(6)]
    expected = [_full(t, None) for t in variants]
    errors = []

    def work(k):
        for _ in range(5):
            for t, want in zip(variants, expected):
                if analyze(t) != want:
                    errors.append(k)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


SEAMS = [
    "a chink in the\n\narmour here",
    "they called him a rag\n\nhead today",
    "You won't believe\n\nwhat happened next",
    "The plan, in short:\n\nwe fix the fence and then we eat the soup together today.",
]


@pytest.mark.parametrize("text", SEAMS)
def test_checks_that_see_across_a_blank_line_are_not_cut_there(text):
    assert analyze(text) == _full(text, None)


def test_a_naive_cut_would_differ(monkeypatch):
    """The seam cases above are real: checking the paragraphs apart gives another Report."""
    monkeypatch.setattr(guidelines, "_join", lambda spans, apart: list(spans))
    assert analyze(SEAMS[0]) != _full(SEAMS[0], None)


LENGTH_PIECES = PIECES + [
    "https://example.org/a/very/long/path/that/goes/on/and/on/for/quite/a/while/indeed",
    "example.com/page", "Supercalifragilisticexpialidocious" * 4, "👨‍👩‍👧‍👦🇫🇷", "e\u0301", "\r\n",
    "He said “stop.” Then", "今日は晴れです。明日も晴れ。",
]
LENGTH_SEPARATORS = SEPARATORS + ["\n\n\n\n", "  \n", "\t"]
LENGTH_RULES = [
    ("mastodon", None, "", 23),
    ("mastodon", 120, "spoilers ahead", None),
    ("bluesky", None, "", 23),
    ("bluesky", 90, "", 23),
    ("x", None, "", 23),
    ("threads", 150, "", 23),
    ("linkedin", 200, "", 23),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.sampled_from(LENGTH_PIECES), st.sampled_from(LENGTH_SEPARATORS)), min_size=1, max_size=30)
    .map(lambda parts: "".join(p + s for p, s in parts)),
    st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 12),
                  st.sampled_from(["", "a", "\n", "\n\n", " ", ". ", "!", "🌱", "https://x.org/p", "@a@b.social", "word " * 9])),
        min_size=1, max_size=8,
    ),
    st.sampled_from(LENGTH_RULES),
)
def test_length_after_edits_is_that_of_a_fresh_check(text, edit_list, rules):
    """`length.findings` keeps what it worked out for the last text and redoes only what an edit
    changes: each edit gives exactly the findings of a check with nothing kept."""
    from composer.guidelines import length
    from composer.guidelines.length import report

    platform, limit, cw, url_cost = rules

    def check(t):
        return length.findings(t, platform, limit, cw, url_cost=url_cost)

    def fresh(t):  # with nothing kept, and leaving what is kept as it was
        kept = dict(report._LAST)
        length.forget()
        try:
            return length.findings(t, platform, limit, cw, url_cost=url_cost)
        finally:
            report._LAST.clear()
            report._LAST.update(kept)

    length.forget()
    assert check(text) == fresh(text)
    for where, cut, insert in edit_list:
        pos = int(where * len(text))
        text = text[:pos] + insert + text[pos + cut:]
        got = check(text)
        assert got == fresh(text), repr(text)


def test_length_keeps_its_plan_across_an_edit():
    """An edit in the middle of a long text is re-planned locally (and gives the same findings)."""
    from composer.guidelines import length
    from composer.guidelines.length import report
    from composer.guidelines.length.rules import rules as length_rules

    essay = "\n\n".join(f"Paragraph {i}: " + "We mend the fence and plant the trees together. " * 6 for i in range(60))
    length.forget()
    length.findings(essay, "bluesky")
    kept = report._LAST[length_rules("bluesky", None, "", 23)]
    pos = len(essay) // 2
    edited = essay[:pos] + "x" + essay[pos:]
    got = length.findings(edited, "bluesky")
    now = report._LAST[length_rules("bluesky", None, "", 23)]
    same = sum(1 for a, b in zip(kept.record[1], now.record[1]) if a == b)
    assert same > len(kept.record[1]) // 3  # the parts before the edit were kept as they were
    length.forget()
    assert got == length.findings(edited, "bluesky")


@pytest.mark.parametrize("text", [
    "@maria@social.example organised it.\n\n10 reasoans why\n\narmour\n\n10 reasons why\n\nthe end.\n\n",
    "We talked about a chink\n\nin\n\narmour of the plan today, and then went home.",
])
def test_a_match_over_two_blank_lines_keeps_them_together(text):
    assert analyze(text) == _full(text, None)


def test_seam_decisions_are_reused():
    text = "\n\n".join(PIECES * 3)
    guidelines.clear_cache()
    analyze(text)
    seams = len(guidelines._seams)
    assert seams > 10
    pos = text.index("armour")
    analyze(text[:pos] + "x" + text[pos:])
    # only the seams within reach (160 characters either way) of the edit were decided again
    near = sum(1 for m in __import__("re").finditer(r"\n\n+", text) if abs(m.end() - pos) <= 160)
    assert 0 < len(guidelines._seams) - seams <= near
