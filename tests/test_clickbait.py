"""The clickbait check: each pattern with its exact span, honest posts quiet, bait posts flagged,
never raising, deterministic, and the shipped model reproducible."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composer.guidelines import clickbait as cb
from composer.guidelines.model import Finding

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def load_posts(name: str) -> list[str]:
    raw = (DATA / f"posts_{name}.txt").read_text(encoding="utf-8")
    return [p.strip("\n") for p in raw.split("\n---\n")[1:] if p.strip()]


HONEST = load_posts("honest")
BAIT = load_posts("bait")


def flagged(text: str) -> list[tuple[str, str]]:
    return [(f.rule, text[f.start : f.end]) for f in cb.check(text)]


# (text, rule, the exact words it must flag). Written for these tests, not taken from fixtures.
EXAMPLES = [
    ("You won't believe what my cat did this morning", "clickbait.curiosity-gap", "You won't believe"),
    ("She opened the box. What happened next is wild", "clickbait.curiosity-gap", "What happened next"),
    ("Nobody is talking about this new tax rule", "clickbait.curiosity-gap", "Nobody is talking"),
    ("The reaction of the crowd will surprise you", "clickbait.curiosity-gap", "will surprise you"),
    ("Here's why your sourdough never rises", "clickbait.forward-reference", "Here's why"),
    ("This is what happens when you skip leg day", "clickbait.forward-reference", "This is what"),
    ("Look at the view from this tower, it is mind-blowing", "clickbait.hyperbole", "mind-blowing"),
    ("The greatest pancake recipe of all time", "clickbait.hyperbole", "The greatest pancake recipe of all time"),
    ("17 reasons to move to Leeds", "clickbait.listicle", "17 reasons"),
    ("Are you making these mistakes with your tomatoes?", "clickbait.bait-question", "Are you making these"),
    ("Can you spot the cat in this picture?", "clickbait.bait-question", "Can you spot"),
    ("Which Muppet are you?", "clickbait.quiz", "Which Muppet are you"),
    ("How well do you know the Beatles", "clickbait.quiz", "How well do you know"),
    ("You're doing laundry wrong", "clickbait.second-person-hook", "You're doing laundry wrong"),
    ("Signs you're a morning person", "clickbait.second-person-hook", "Signs you're"),
    ("Grab one before it's too late", "clickbait.urgency", "before it's too late"),
    ("Don't miss out on the spring sale", "clickbait.urgency", "Don't miss out"),
    ("A must-see video of two otters", "clickbait.must-see", "must-see"),
    ("This puppy will melt your heart", "clickbait.must-see", "will melt your heart"),
    ("Share if you agree with me", "clickbait.engagement-bait", "Share if you"),
    ("Comment YES and I'll send the link", "clickbait.engagement-bait", "Comment YES"),
    ("Tag a friend who needs a holiday", "clickbait.engagement-bait", "Tag a friend who"),
]


@pytest.mark.parametrize("text,rule,words", EXAMPLES, ids=[e[1] + ":" + e[2] for e in EXAMPLES])
def test_each_pattern_flags_the_exact_words(text: str, rule: str, words: str) -> None:
    assert (rule, words) in flagged(text)


def test_every_rule_has_an_example() -> None:
    rules = {r.rule for r in cb._RULES}
    assert rules <= {rule for _, rule, _ in EXAMPLES}


def test_findings_are_well_formed_warnings_with_plain_messages() -> None:
    for text, rule, words in EXAMPLES:
        for f in cb.check(text):
            assert isinstance(f, Finding)
            assert f.category == "clickbait"
            assert f.severity == "warning"
            assert f.rule.startswith("clickbait.")
            assert 0 <= f.start < f.end <= len(text)
            assert text[f.start : f.end].strip() == text[f.start : f.end]
            # names the words, says why, says what to do instead
            assert "“" in f.message and len(f.message) > 80
    msg = next(f.message for f in cb.check("Here's why your sourdough never rises") if f.rule.endswith("reference"))
    assert "“Here's why”" in msg


def test_model_flag_names_the_words_that_weighed_most() -> None:
    # no pattern covers this one; the model does, pointing at its copy words
    text = "These baby sloths are adorable and hilarious"
    found = cb.check(text)
    assert [f.rule for f in found] == ["clickbait.bait-copy"]
    f = found[0]
    quoted = re.findall(r"“([^”]+)”", f.message)
    assert 2 <= len(quoted) <= 3
    for word in quoted:
        assert word in text[f.start : f.end]
    assert text[f.start : f.end].split()[0] == quoted[0]
    assert text[f.start : f.end].split()[-1] == quoted[-1]


@pytest.mark.parametrize(
    "text",
    [
        "Tried the new ramen place and it was amazing.",  # personal report, not bait
        "Thank you to everyone who came tonight!",
        "Does anyone know a good plumber in Bristol?",
        "What's the best way to store fresh basil?",
        "This weekend the market moves to the square.",
        "If you're in Leipzig on Friday, come say hi.",
        "How are you doing?",
        "The museum is free on the first Sunday of every month",
        "3 days left to send talk proposals: https://example.org/cfp",
        "10 years ago today I moved to Lisbon.",
        "We moved the standup to 9:30 so people in Lisbon can join.",
        "",
        "   ",
    ],
)
def test_ordinary_posts_stay_quiet(text: str) -> None:
    assert flagged(text) == []


def test_honest_posts_fixture_false_alarm_rate() -> None:
    alarms = [p for p in HONEST if cb.check(p)]
    assert len(HONEST) >= 150
    assert len(alarms) / len(HONEST) <= 0.05, alarms


def test_bait_posts_fixture_recall() -> None:
    missed = [p for p in BAIT if not cb.check(p)]
    assert len(BAIT) >= 100
    assert len(missed) / len(BAIT) <= 0.05, missed


def test_news_style_fixtures_on_their_own() -> None:
    # the last 60 honest and 40 bait posts are written as outlets post: a headline and a link
    news, outlet_bait = HONEST[-60:], BAIT[-40:]
    assert news[0].startswith("Parliament passes the budget") and outlet_bait[0].startswith("You won't believe")
    assert sum(bool(cb.check(p)) for p in news) / len(news) <= 0.05
    assert sum(bool(cb.check(p)) for p in outlet_bait) / len(outlet_bait) >= 0.90


@pytest.mark.parametrize(
    "text",
    [
        # sober news copy, written for this test: headlinese, attribution, labels, links
        "Council approves new cycle lanes on the ring road",
        "Flooding closes the A38 near Exeter, police say https://example.com/a38",
        "Live: results from the regional elections as they come in",
        "Opinion: the four-day week is overdue",
        "Ferry crew rescued after engine fire off Skye",
    ],
)
def test_sober_news_posts_stay_quiet(text: str) -> None:
    assert flagged(text) == []


def test_first_person_turns_a_bait_formula_into_a_report() -> None:
    assert ("clickbait.curiosity-gap", "and it's hilarious") in flagged(
        "These grandmas played flip cup and it's hilarious"
    )
    assert flagged("My grandmas played flip cup and it's hilarious") == []


def test_overlapping_matches_of_one_rule_make_one_finding() -> None:
    text = "Like and share if you agree"
    rules = [r for r, _ in flagged(text)]
    assert rules.count("clickbait.engagement-bait") == 1


def test_anchored_matching_finds_everything_a_full_scan_finds() -> None:
    texts = HONEST + BAIT + [t for t, _, _ in EXAMPLES] + ["“21 Photos That Prove it”. 7 Things You Missed"]
    for text in texts:
        scan = set()
        for i, rule in enumerate(cb._RULES):
            for alt in rule.pattern:
                scan |= {(i, cb._span(m)) for m in re.finditer(alt.source, text, re.IGNORECASE)}
        fast = {(i, cb._span(m)) for i, m in cb._matches(text)}
        assert scan <= fast, (text, scan - fast)


def test_every_pattern_is_anchored_to_its_first_words() -> None:
    # a pattern without anchor keys would be scanned over the whole text on every keystroke
    assert cb._SCANNED == ()


def test_feature_names_match_features() -> None:
    vocab = cb._load_model().vocab
    for words in (
        [],
        ["this"],
        ["you", "won't", "believe", "what", "happened"],
        ["x", "y", "z", "this", "7", "q"],
    ):
        norm = cb.normalise(words, vocab)
        assert cb.feature_names(norm) == [f for f, _ in cb.features(norm)]


def test_time_phrases_are_not_forward_references() -> None:
    vocab = cb._load_model().vocab
    assert cb.normalise(["this", "week", "this", "dog"], vocab) == [cb.OTHER, cb.OTHER, "this", cb.OTHER]
    assert cb.normalise(["this", "year's", "every", "month", "every", "fan"], vocab) == [
        cb.OTHER, "_'s", cb.OTHER, cb.OTHER, "every", cb.OTHER,
    ]


def test_words_outside_the_vocabulary_are_seen_only_by_their_ending() -> None:
    vocab = cb._load_model().vocab
    words = ["dominated", "decorating", "obviously", "finest", "adele's", "bears", "glass", "cake", "17", "seven"]
    assert cb.normalise(words, vocab) == [
        "_ed", "_ing", "_ly", "_est", "_'s", "_s", cb.OTHER, cb.OTHER, cb.NUMBER, cb.NUMBER,
    ]


def test_the_model_cannot_learn_topics_names_or_the_first_person() -> None:
    # every feature is made of copy words, word endings, numbers and labels: no name, no topic,
    # no casing; and neither articles nor the first person are in the vocabulary
    data = json.loads(cb.MODEL_PATH.read_text(encoding="utf-8"))
    vocab = set(data["vocab"])
    assert not vocab & {"the", "a", "an", "i", "my", "we", "our", "me", "us"}
    assert set(data["cues"]) <= vocab
    allowed = vocab | {cb.OTHER, "_ing", "_ed", "_ly", "_est", "_'s", "_s", cb.NUMBER, cb.LABEL}
    for name in data["weights"]:
        for part in name.lstrip("^$").split(" "):
            assert part in allowed, name


def test_titles_and_posts() -> None:
    assert cb.is_title("Storm closes schools in three counties")
    assert cb.is_title("These tiny homes are everything 🏠 https://example.com/homes #design")
    assert not cb.is_title("Storm closes schools in three counties.")
    assert not cb.is_title("Storm closes schools. Buses run as normal")
    assert not cb.is_title("")
    # one sentence that a post of several sentences judges more strictly than a title does
    title = "Why the rate rise hurts renters most"
    assert [r for r, _ in flagged(title)] == ["clickbait.bait-copy"]
    assert flagged(title + ".") == []
    assert flagged("The bank raised rates again. " + title + ".") == []


def test_a_title_in_the_first_person_needs_much_stronger_copy() -> None:
    model = cb._load_model()
    assert model.personal_threshold > model.threshold
    for text, threshold in (
        ("These baby sloths are adorable and hilarious", model.threshold),
        ("My baby sloths are adorable and hilarious", model.personal_threshold),
        ("Finally fixed the sloth cam", model.personal_threshold),
        ("Ranked: every sloth from laziest to busiest", model.threshold),  # a label, not a diary
    ):
        assert cb._threshold(model, text, 0, len(text), title=True) == threshold, text
        assert cb._threshold(model, text, 0, len(text), title=False) == (
            None if threshold == model.personal_threshold else model.post_threshold
        )
    # an ordinary personal one-liner stays quiet
    assert flagged("I am obsessed with these tiny sofas for my cats") == []
    assert flagged("Went to the new exhibition and it was stunning") == []  # diary style: no subject


def test_a_post_in_the_first_person_is_not_judged_by_the_model() -> None:
    sloths = "These baby sloths are adorable and hilarious."
    assert [r for r, _ in flagged("The zoo opened a new enclosure. " + sloths)] == ["clickbait.bait-copy"]
    assert flagged("We opened a new enclosure. " + sloths) == []


def test_a_link_no_longer_hides_the_sentence_from_the_model() -> None:
    text = "These baby sloths are adorable and hilarious https://example.org/sloths"
    found = cb.check(text)
    assert [f.rule for f in found] == ["clickbait.bait-copy"]
    assert found[0].end <= text.index("https")


def test_a_section_label_is_one_token_and_never_named() -> None:
    vocab = cb._load_model().vocab
    toks, norm = cb.sentence("In pictures: these dogs", vocab)
    assert norm == [cb.LABEL, "these", "_s"] and toks[0][1:] == (0, 13)
    text = "Analysis: why the rate rise hurts renters most"
    for f in cb.check(text):
        assert "Analysis" not in f.message and f.start >= text.index("why")


# --- robustness -----------------------------------------------------------------------------


def _check_well_formed(text: str) -> None:
    # the internal steps, without check()'s safety net, so a bug cannot hide behind it
    pattern = cb._pattern_findings(text)
    model = cb._model_findings(text, [(f.start, f.end) for f in pattern])
    found = cb.check(text)
    assert found == sorted(pattern + model, key=lambda f: (f.start, f.end, f.rule))
    for f in found:
        assert 0 <= f.start < f.end <= len(text)
        assert f.message


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_never_raises_and_spans_stay_inside_any_text(text: str) -> None:
    _check_well_formed(text)


words = st.sampled_from(
    ["you", "won't", "believe", "this", "these", "17", "things", "here's", "why", "which", "are", "I",
     "!", "?", ".", "\n", "😱", "👍🏽", "e\u0301", "مرحبا", "שלום", "#tag", "@user", "https://x.org/a",
     "’", "“", "don’t", "miss", "out", "before", "it's", "too", "late", "the", "best", "ever"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(words, max_size=40).map(" ".join))
def test_never_raises_on_bait_like_soup(text: str) -> None:
    _check_well_formed(text)


@pytest.mark.parametrize(
    "text",
    [
        "\ud800 lone surrogate you won't believe",
        "👩🏽‍💻 You won't believe 👨‍👩‍👧‍👦 this",
        "e\u0301\u0301\u0301 " * 50 + "17 things",
        "\u202eYou won't believe\u202c",
        "نعم you won't believe ما حدث",
        "\x00\x01 share if you agree \x7f",
        "İİİ You won't believe",  # lower() changes the length of İ
        "!" * 5000,
        "a" * 20000,
    ],
)
def test_never_raises_on_awkward_strings(text: str) -> None:
    _check_well_formed(text)


def test_one_megabyte_input() -> None:
    text = ("Here's why you won't believe these 17 things. Ordinary words follow here. " * 14000)[:1_000_000]
    found = cb.check(text)
    assert found and all(0 <= f.start < f.end <= len(text) for f in found)


def test_non_strings_give_no_findings() -> None:
    assert cb.check(None) == []  # type: ignore[arg-type]
    assert cb.check(b"you won't believe") == []  # type: ignore[arg-type]


def test_deterministic_within_and_across_processes() -> None:
    texts = BAIT[:15] + HONEST[:15]
    here = [[f.to_dict() for f in cb.check(t)] for t in texts]
    assert here == [[f.to_dict() for f in cb.check(t)] for t in texts]
    code = (
        "import json,sys; from composer.guidelines import clickbait as cb; "
        "texts=json.load(sys.stdin); print(json.dumps([[f.to_dict() for f in cb.check(t)] for t in texts]))"
    )
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", code],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert json.loads(out.stdout) == here


# --- the model ------------------------------------------------------------------------------


def test_shipped_model_is_small_and_plain_data() -> None:
    size = cb.MODEL_PATH.stat().st_size
    assert size < 100_000
    data = json.loads(cb.MODEL_PATH.read_text(encoding="utf-8"))
    assert all(isinstance(w, float) for w in data["weights"].values())
    assert {
        "vocab", "cues", "weights", "bias", "threshold", "personal_threshold", "post_threshold", "min_words",
        "min_credit", "min_cue_weight",
    } <= data.keys()


def test_without_a_model_the_patterns_still_work(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(cb, "MODEL_PATH", tmp_path / "missing.json")
    cb.set_model(None)
    try:
        assert ("clickbait.curiosity-gap", "You won't believe") in flagged("You won't believe it")
        assert flagged("These baby sloths are adorable and hilarious") == []
    finally:
        monkeypatch.undo()
        cb.set_model(None)
    assert flagged("These baby sloths are adorable and hilarious")


def test_trainer_reproduces_the_shipped_model(tmp_path: Path) -> None:
    data = ROOT.parent / "shared" / "data" / "clickbait"
    if not (data / "clickbait.txt").exists():
        pytest.skip("the headline corpus (../shared/data/clickbait) is not beside this checkout")
    pytest.importorskip("numpy")
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "train_clickbait.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stdout + out.stderr
