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
