"""A draft's `Incremental` (paragraph by paragraph, re-using what an edit left as it was) gives
exactly the Report of a full analysis of the whole text: random edits to a multi-paragraph text,
each compared with a fresh analysis of the whole text at once."""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import composer.guidelines as guidelines
from composer.guidelines import Incremental, analyze
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
    "HELLO WORLD", "GOOD DAY TO YOU", "123", "!!!", "iPHONE", "link", "in bio", "read", "more",
    "Her passport number is", "X1234567", "my IP is 192.168.1.20", "she was born on", "3 May 1990",
    "Anna Smith", "picks her up from Hillside School every Tuesday at 3:15", "ana dot smith at example dot org",
    "ana [at] example [dot] com", "SSN 123-45-6789", "sort code 12-34-56", "account 12345678",
    "51.5074, -0.1278", "+44 20 7946 0958", "lives at 12 Elm Street", "I", "We",
]
SEPARATORS = ["\n\n", "\n\n\n", " ", "\n", ". ", "\n\n ", ""]


def _full(text, purpose, **kw):
    return analyze(text, purpose, **kw)  # the whole text at once


@pytest.fixture(autouse=True)
def strict(monkeypatch):
    monkeypatch.setattr(guidelines, "STRICT", True)


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
    draft = Incremental()
    assert draft.analyze(text, purpose, **kw) == _full(text, purpose, **kw)
    for where, cut, insert in edit_list:
        pos = int(where * len(text))
        text = text[:pos] + insert + text[pos + cut:]
        assert draft.analyze(text, purpose, **kw) == _full(text, purpose, **kw), repr(text)


def test_paragraph_results_are_reused(monkeypatch):
    from composer.guidelines import clickbait

    text = "\n\n".join(PIECES * 3)
    draft = Incremental()
    draft.analyze(text)
    checked = []
    real = clickbait.check_part
    monkeypatch.setattr(clickbait, "check_part", lambda t, ctx: checked.append(t) or real(t, ctx))
    pos = text.index("armour")
    edited = text[:pos] + "x" + text[pos:]
    assert draft.analyze(edited) == _full(edited, None)
    assert 0 < len(checked) <= 3  # only the edited paragraph (and the units it is joined to)
    assert all("xarmour" in t for t in checked)


def test_units_of_several_paragraphs_are_reused(monkeypatch):
    """A unit of paragraphs joined across a blank line (a phrase may run over it) is checked again
    only when an edit touches it: an edit elsewhere re-uses what the last text gave."""
    from composer.guidelines import language

    text = "\n\n".join([PIECES[0]] * 20 + ["rag", "head"] + [PIECES[0]] * 5)
    draft = Incremental()
    first = draft.analyze(text)
    assert any(f.category == "hate" for f in first.findings)  # the phrase over the blank line
    checked = []
    real = language.check
    monkeypatch.setattr(language, "check", lambda t, *a, **k: checked.append(t) or real(t, *a, **k))
    edited = text
    for mark in ("x", "y"):
        edited = mark + edited
        assert draft.analyze(edited) == _full(edited, None)
        assert checked and all(t.startswith(mark) for t in checked), checked  # the edited paragraph only
        checked.clear()


def test_one_draft_is_safe_across_threads():
    base = "\n\n".join(PIECES * 4)
    variants = [base.replace("garden", "garden" + "x" * i) for i in range(6)]
    expected = [_full(t, None) for t in variants]
    errors = []
    draft = Incremental()

    def work(k):
        for _ in range(5):
            for t, want in zip(variants, expected):
                if draft.analyze(t) != want:
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
    assert Incremental().analyze(text) == _full(text, None)


@pytest.mark.parametrize("text", SEAMS[:1] + ["HELLO WORLD\n\n123\n\nGOOD DAY", "Her passport number is\n\nX1234567 ok"])
def test_a_naive_cut_would_differ(monkeypatch, text):
    """The seam cases above are real: checking the paragraphs apart gives another Report."""

    naive = Incremental()
    monkeypatch.setattr(naive, "_multi", lambda apart: [])  # every paragraph a unit alone
    assert naive.analyze(text) != _full(text, None)


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

    platform, limit, cw, url_cost = rules

    tracker = length.Tracker()

    def check(t):
        return tracker.findings(t, platform, limit, cw, url_cost=url_cost)

    def fresh(t):  # with nothing kept
        return length.findings(t, platform, limit, cw, url_cost=url_cost)

    def budget(t):
        return tracker.budget(t, platform, limit, content_warning=cw, url_cost=url_cost)

    def fresh_budget(t):
        m = length.measure(t, platform, limit, content_warning=cw, url_cost=url_cost)
        return m, 1 if m.fits else len(length.split_thread(t, platform, limit, content_warning=cw, url_cost=url_cost))

    assert check(text) == fresh(text)
    assert budget(text) == fresh_budget(text)
    for where, cut, insert in edit_list:
        pos = int(where * len(text))
        text = text[:pos] + insert + text[pos + cut:]
        got = check(text)
        assert got == fresh(text), repr(text)
        assert budget(text) == fresh_budget(text), repr(text)


def test_length_keeps_its_plan_across_an_edit():
    """An edit in the middle of a long text is re-planned locally (and gives the same findings)."""
    from composer.guidelines import length
    from composer.guidelines.length.rules import rules as length_rules

    essay = "\n\n".join(f"Paragraph {i}: " + "We mend the fence and plant the trees together. " * 6 for i in range(60))
    tracker = length.Tracker()
    tracker.findings(essay, "bluesky")
    key = length_rules("bluesky", None, "", 23)
    kept = tracker._last[key]
    pos = len(essay) // 2
    edited = essay[:pos] + "x" + essay[pos:]
    got = tracker.findings(edited, "bluesky")
    now = tracker._last[key]
    same = sum(1 for a, b in zip(kept.record[1], now.record[1]) if a == b)
    assert same > len(kept.record[1]) // 3  # the parts before the edit were kept as they were
    assert got == length.findings(edited, "bluesky")


@pytest.mark.parametrize("text", [
    "@maria@social.example organised it.\n\n10 reasoans why\n\narmour\n\n10 reasons why\n\nthe end.\n\n",
    "We talked about a chink\n\nin\n\narmour of the plan today, and then went home.",
])
def test_a_match_over_two_blank_lines_keeps_them_together(text):
    assert Incremental().analyze(text) == _full(text, None)


def test_seams_are_judged_again_only_near_an_edit(monkeypatch):
    from composer.guidelines import personal_info

    text = "\n\n".join(PIECES * 20)
    draft = Incremental()
    draft.analyze(text)
    judged = []
    real = personal_info.quiet
    monkeypatch.setattr(personal_info, "quiet", lambda t, cut: judged.append(cut) or real(t, cut))
    pos = text.index("armour", len(text) // 2)
    edited = text[:pos] + "x" + text[pos:]
    assert draft.analyze(edited) == _full(edited, None)
    near = sum(1 for m in __import__("re").finditer(r"\n\n+", edited) if abs(m.end() - pos) <= 2 * 800)
    assert 0 < len(judged) <= near < text.count("\n\n") // 2


def _long_draft(paragraphs: int, seed: int) -> str:
    import random

    rng = random.Random(seed)
    return "".join(rng.choice(PIECES) + rng.choice([" ", ". "]) + rng.choice(PIECES) + rng.choice(SEPARATORS[:3])
                   for _ in range(paragraphs))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), edits)
def test_drafts_of_more_than_2000_paragraphs(seed, edit_list):
    """The same on long drafts (over 2,000 paragraphs), where each unit's findings are kept."""
    text = _long_draft(2100, seed)
    kw = {"platforms": ("mastodon", "bluesky")}
    draft = Incremental()
    assert draft.analyze(text, None, **kw) == _full(text, None, **kw)
    for where, cut, insert in edit_list:
        pos = int(where * len(text))
        text = text[:pos] + insert + text[pos + cut:]
        assert draft.analyze(text, None, **kw) == _full(text, None, **kw)
