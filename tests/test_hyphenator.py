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


def test_the_shipped_index_is_what_the_build_script_makes_from_pyphens_file():
    from composer.guidelines import syllables

    shipped = syllables.HYPHENATION_INDEX.read_bytes()
    assert shipped == syllables.hyphenation_index(syllables.pyphen_patterns().read_bytes())
    assert len(shipped) < 100_000  # checksums and places only: no pattern text is shipped


def test_without_a_matching_index_the_patterns_are_indexed_on_load(tmp_path):
    """Another pyphen's file (the index names the file it was made from), or no index at all:
    the index is made on load, and every word hyphenates as pyphen does."""
    from composer.guidelines import syllables

    stale = tmp_path / "stale.idx"
    stale.write_bytes(syllables.hyphenation_index(b"UTF-8\n1ba\n"))
    words = random.Random(3).sample([line.split("\t")[0] for line in SYLLABLE_TABLE.read_text(encoding="utf-8").splitlines()], 500)
    for index in (None, stale, tmp_path / "missing.idx"):
        made = Hyphenator(index=index)
        assert [made.positions(w) for w in words] == [PYPHEN.positions(w) for w in words]
    edited = tmp_path / "hyph.dic"
    edited.write_bytes(syllables.pyphen_patterns().read_bytes() + b"zz9zz\n")
    assert Hyphenator(edited).positions("fuzzzzy") != HYPHENATOR.positions("fuzzzzy")
