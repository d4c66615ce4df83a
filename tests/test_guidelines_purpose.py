"""Purpose: missing, too thin, or stated in the text."""

from __future__ import annotations

import pytest

from composer.guidelines import purpose


@pytest.mark.parametrize("given", [None, "", "   "])
def test_missing_purpose_is_an_error_over_the_whole_post(given):
    text = "The fence is fixed."
    [f] = purpose.check(text, given)
    assert (f.rule, f.category, f.severity) == ("purpose.missing", "purpose", "error")
    assert (f.start, f.end) == (0, len(text))
    assert "why" in f.message


@pytest.mark.parametrize("thin", ["x", "post", "idk", "IDK", "...", "?", "asdf", "just because", "lol", "test", "n/a", "tbd", "a post"])
def test_thin_purpose_is_an_error(thin):
    [f] = purpose.check("The fence is fixed.", thin)
    assert f.rule == "purpose.thin" and f.severity == "error"
    assert "too thin" in f.message


@pytest.mark.parametrize("good", ["to inform", "ask for help", "thank the volunteers", "warn neighbours about the flood", "humour", "分享"])
def test_real_purposes_pass(good):
    assert purpose.check("The fence is fixed.", good) == []


@pytest.mark.parametrize(
    "text",
    [
        "Sharing this because the library needs volunteers.",
        "I'm posting this to ask whether anyone has a ladder.",
        "I’m sharing this so that you know the road is closed.",
        "PSA: the bridge is closed tomorrow.",
        "Heads up: bins go out on Tuesday this week.",
        "Why I'm sharing: my neighbour lost her cat.",
        "We're posting this in case anyone saw the accident.",
        "I wanted to thank everyone who came.",
    ],
)
def test_purpose_stated_in_the_text_is_accepted(text):
    assert purpose.check(text, None) == []
    assert purpose.check(text, "x") == []


@pytest.mark.parametrize("text", ["Look at this.", "Posting.", "I'm so tired", "Sharing is caring"])
def test_text_without_a_stated_purpose_still_needs_one(text):
    assert [f.rule for f in purpose.check(text, None)] == ["purpose.missing"]


def test_empty_text_still_needs_a_purpose_with_an_empty_span():
    [f] = purpose.check("", None)
    assert (f.start, f.end) == (0, 0)


def test_long_thin_purpose_is_quoted_short():
    [f] = purpose.check("hi", "x " * 100)
    assert len(f.message) < 300
