"""Our reader of pyphen's en_US patterns (syllables.Hyphenator, which spares the cold `humane
check` pyphen's ~70 ms load) hyphenates every word as pyphen does, so the syllable counts, and
the readability figures, stay textstat's."""

from __future__ import annotations

import random

import pyphen
from hypothesis import given, settings
from hypothesis import strategies as st

from composer.guidelines.syllables import SYLLABLE_TABLE, Hyphenator

HYPHENATOR = Hyphenator()
PYPHEN = pyphen.Pyphen(lang="en_US")


def test_the_dictionary_words_hyphenate_as_pyphen_does():
    words = [line.split("\t")[0] for line in SYLLABLE_TABLE.read_text(encoding="utf-8").splitlines()]
    sample = random.Random(7).sample(words, 5000)
    assert [w for w in sample if HYPHENATOR.positions(w) != PYPHEN.positions(w)] == []


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCXYZéßİ'’ﬀ0123.-", max_size=30))
def test_any_word_hyphenates_as_pyphen_does(word):
    assert HYPHENATOR.positions(word) == PYPHEN.positions(word)


def test_a_text_whose_words_are_all_in_the_table_never_reads_the_patterns():
    from composer.guidelines import readability, syllables

    syllables._dicts = None
    syllables._SYLLABLES.clear()
    readability.readability("We mend the fence and plant the trees together with our neighbours today.")
    assert syllables._dicts is not None and syllables._dicts[1]._real is None


def test_every_pattern_holds_a_letter_so_numbers_never_read_the_patterns():
    from composer.guidelines import syllables

    assert [k for k in HYPHENATOR.keys() if k and not any(c.isalpha() for c in k)] == []
    lazy = syllables._LazyHyphenator()
    assert lazy.positions("7946") == PYPHEN.positions("7946") == [] and lazy._real is None
