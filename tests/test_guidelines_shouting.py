"""Shouting: runs of capitals (not acronyms) and piles of ! and ?."""

from __future__ import annotations

import pytest

from composer.guidelines import shouting


def spans(text):
    return [(f.rule, text[f.start:f.end]) for f in shouting.check(text)]


@pytest.mark.parametrize(
    "text,flagged",
    [
        ("THIS IS AMAZING", "THIS IS AMAZING"),
        ("Honestly, THIS IS AMAZING news", "THIS IS AMAZING"),
        ("BIG NEWS: we launched", "BIG NEWS"),
        ("I LOVE THIS", "I LOVE THIS"),
        ("STOP. READ. NOW.", "STOP. READ. NOW"),
        ("ÇA VA TRÈS BIEN", "ÇA VA TRÈS BIEN"),
        ("ПРИВЕТ МИР", "ПРИВЕТ МИР"),
        ("DON'T DO IT", "DON'T DO IT"),
    ],
)
def test_runs_of_capitals_fire_with_exact_span(text, flagged):
    assert spans(text) == [("shouting.caps", flagged)]
    [f] = shouting.check(text)
    assert f.severity == "warning" and "capitals" in f.message


@pytest.mark.parametrize(
    "text",
    [
        "OK fine",
        "NASA and HTTP and the USA",
        "The BBC, CNN and NPR agreed",
        "NASA JPL HQ",
        "Please read this, it is IMPORTANT.",
        "Meet me in NYC at 10 AM EST",
        "Chapter XIV and Louis XVI",
        "COVID19 and MP3 and A4",
        "WHO CARES",
        "I said no",
        "Visit https://EXAMPLE.COM/THIS/IS/LOUD and #BIG #NEWS @LOUD_USER",
        "iPHONE NEWS",
        "LGBTQ rights",
    ],
)
def test_acronyms_single_words_and_links_do_not_fire(text):
    assert [r for r, _ in spans(text) if r == "shouting.caps"] == []


@pytest.mark.parametrize("text,mark", [("Wow!!!", "!!!"), ("Really?!?!", "?!?!"), ("Why???", "???"), ("No‼‼", "‼‼"), ("What？？？", "？？？")])
def test_piles_of_marks_fire(text, mark):
    [(rule, flagged)] = spans(text)
    assert rule == "shouting.punctuation" and flagged == mark


@pytest.mark.parametrize("text", ["Wow!", "Really?!", "Yes!!", "Why??", "Hi! How are you? Great!"])
def test_one_or_two_marks_are_fine(text):
    assert spans(text) == []


def test_two_separate_runs_give_two_findings():
    text = "THIS IS BIG and then, later, STOP THE PRESSES"
    assert spans(text) == [("shouting.caps", "THIS IS BIG"), ("shouting.caps", "STOP THE PRESSES")]
