"""The composer's plain-Python helpers: offsets and spans, plain words for figures, $EDITOR, analysis."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from composer.analysis import Budget, Target, finding_at, measure, run_analysis
from composer.guidelines.model import Finding, Readability, Report
from composer.textdiff import changed_window
from composer.tui import present
from composer.tui.external import ExternalEditorError, edit_externally, editor_command
from composer.tui.spans import LineIndex, Mark, shift_marks
from composer.tui.widgets.sidebar import wrapped_height

# ------------------------------------------------------------------ offsets and spans


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_index_maps_offsets_both_ways(newline):
    text = newline.join(["first line", "", "third é line"])
    index = LineIndex(text, newline)
    third = text.index("third")
    assert index.location(third) == (2, 0)
    assert index.offset((2, 0)) == third
    assert index.location(len(text)) == (2, len("third é line"))
    assert index.location(0) == (0, 0)
    assert index.location(10_000) == (2, len("third é line"))  # clamped, never raises


def test_segments_split_a_span_per_line():
    text = "abc\ndef\nghi"
    index = LineIndex(text)
    assert list(index.segments(1, 9)) == [(0, 1, 3), (1, 0, 3), (2, 0, 1)]
    assert list(index.segments(5, 5)) == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.text(max_size=200))
def test_changed_window_describes_the_edit(old, new):
    start, old_end, new_end = changed_window(old, new)
    assert new == old[:start] + new[start:new_end] + old[old_end:]
    assert 0 <= start <= old_end <= len(old) and start <= new_end <= len(new)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab\n\r é🙂", max_size=120), st.sampled_from(["\n", "\r\n"]))
def test_line_index_round_trip(text, newline):
    index = LineIndex(text, newline)
    for offset in range(len(text) + 1):
        row, col = index.location(offset)
        assert 0 <= row < len(index.starts)
        back = index.offset((row, col))
        assert back <= offset  # inside a two-character newline the column clamps to the line end


def test_marks_follow_edits():
    text = "say you won't believe it"
    mark = Mark(text.index("you"), text.index(" it"), "clickbait", 0)
    typed_before = "So " + text
    (moved,) = shift_marks([mark], *changed_window(text, typed_before), len(text))
    assert typed_before[moved.start : moved.end] == "you won't believe"
    inside = text.replace("won't", "will not")
    assert shift_marks([mark], *changed_window(text, inside), len(text)) == []  # touched: dropped
    after = text + "!"
    assert shift_marks([mark], *changed_window(text, after), len(text)) == [mark]


def test_a_mark_running_to_the_end_grows_with_typing():
    text = "x" * 10
    tail = Mark(5, 10, "length", 3)
    (grown,) = shift_marks([tail], *changed_window(text, text + "yy"), len(text))
    assert (grown.start, grown.end, grown.ref) == (5, 12, 3)


# ------------------------------------------------------------------ plain words


def test_read_time_words():
    assert present.read_time(0) == "nothing to read yet"
    assert present.read_time(12) == "about 12 s to read"
    assert present.read_time(90) == "about 1½ min to read"
    assert present.read_time(1500) == "about 25 min to read"


def test_budget_and_meter():
    assert present.budget(100, 500, 1) == "400 left"
    assert present.budget(650, 300, 3) == "350 over: a thread of 3"
    assert present.budget(10, None, 1) == "10 (no limit)"
    assert present.meter(250, 500, 10) == "█████░░░░░"
    assert present.meter(900, 500, 10) == "██████████"


def test_readability_words_and_excerpt():
    assert present.readability(None) == "too short to judge readability"
    assert present.readability(Readability(65.0, 7.6)).startswith("plain English (reading ease 65, grade 8)")
    assert present.excerpt("a  very\nlong flagged span here", 0, 26, 12) == "a very long…"


def test_wrapped_height_counts_word_wrapped_lines():
    assert wrapped_height("one two three", 7) == 2
    assert wrapped_height("one\ntwo", 20) == 2
    assert wrapped_height("x" * 25, 10) == 3


# ------------------------------------------------------------------ $EDITOR


def _script(tmp_path, body: str) -> list[str]:
    path = tmp_path / "ed.py"
    path.write_text(body, encoding="utf-8")
    return [sys.executable, str(path)]


def test_edit_externally_round_trip(tmp_path):
    argv = _script(
        tmp_path,
        "import sys\np=sys.argv[1]\nt=open(p,encoding='utf-8',newline='').read()\n"
        "open(p,'w',encoding='utf-8',newline='').write(t.upper()+'\\n')\n",
    )
    assert edit_externally("hello é", argv) == "HELLO É"
    assert edit_externally("keeps\r\nnewlines\n", argv) == "KEEPS\r\nNEWLINES\n\n"


def test_edit_externally_failures_are_plain(tmp_path):
    with pytest.raises(ExternalEditorError, match="no such program"):
        edit_externally("x", ["/nonexistent/editor"])
    failing = _script(tmp_path, "raise SystemExit(3)\n")
    with pytest.raises(ExternalEditorError, match="status 3; your text was left as it was"):
        edit_externally("x", failing)


def test_editor_command_prefers_visual():
    assert editor_command({"VISUAL": "code --wait", "EDITOR": "vi"}) == ["code", "--wait"]
    assert editor_command({"EDITOR": "nano"}) == ["nano"]
    assert editor_command({}) is None
    with pytest.raises(ExternalEditorError, match="VISUAL"):
        editor_command({"VISUAL": "'unterminated"})


# ------------------------------------------------------------------ analysis


def test_run_analysis_survives_a_failing_check():
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    result = run_analysis(7, "some text", "", analyzer=broken)
    assert result.revision == 7
    assert result.report.findings == []
    assert "unexpected error" in result.problem and "your text is safe" in result.problem


def test_run_analysis_passes_checked_platforms_and_limits():
    seen = {}

    def spy(text, purpose=None, **kwargs):
        seen.update(kwargs, purpose=purpose)
        return Report()

    targets = [Target("home", "mastodon", 1000), Target("sky", "bluesky"), Target("work", "mastodon", 800)]
    run_analysis(1, "hi", "because", targets=targets, checked=["home", "work"], analyzer=spy)
    assert seen["platforms"] == ("mastodon",)
    assert seen["limits"] == {"mastodon": 800}  # the strictest of the chosen accounts
    assert seen["purpose"] == "because"


def test_measure_counts_and_threads():
    text = "word " * 100
    budgets = {b.account: b for b in measure(text.strip(), [Target("sky", "bluesky"), Target("odd", "myspace")])}
    assert set(budgets) == {"sky"}  # an unknown platform gets no meter, and no crash
    sky = budgets["sky"]
    assert sky.count > 300 and sky.limit == 300 and sky.parts >= 2 and sky.left < 0


def test_an_empty_drafts_budgets_are_the_length_rules_own():
    """A new draft's budgets (nothing written) are made without the length rules (issue 17: they
    and their Unicode tables load with the first word), and are what the rules give."""
    from composer import registry
    from composer.guidelines import length

    targets = [Target(f"{p}-{limit}", p, limit) for p in registry.PLATFORMS for limit in (None, 321)]
    targets.append(Target("odd", "myspace"))
    expected = []
    for t in targets[:-1]:
        m = length.measure("", t.platform, t.limit)
        expected.append(Budget(t.account, t.platform, m.count, m.limit, 1, m.fits, m.binding or ""))
    assert measure("", targets) == tuple(expected)
    assert measure("[images]\n", targets[:2]) == tuple(expected[:2])  # the images line never counts
    warned = measure("", [Target("home", "mastodon")], content_warning="Spoilers")[0]
    assert warned.count == len("Spoilers")  # a content warning counts: measured by the rules


def test_finding_at_prefers_the_narrowest_span():
    wide = Finding("shouting.caps", "shouting", "warning", 0, 20, "m")
    narrow = Finding("clickbait.x", "clickbait", "warning", 5, 9, "m")
    whole = Finding("purpose.missing", "purpose", "error", 0, 30, "m")
    assert finding_at([wide, narrow, whole], 6, 30) is narrow
    assert finding_at([wide, whole], 25, 30) is None


def test_measure_sees_bytes_links_and_the_content_warning():
    family = "\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466"  # one grapheme, 25 bytes
    heavy = " ".join([family] * 150)  # 299 graphemes: within 300, but over 3,000 bytes
    links = "Six places for the fair: " + " ".join(f"https://ex{i}.example/a" for i in range(6))
    text_480 = ("a" * 9 + " ") * 48
    budgets = {
        b.account: b
        for b in measure(heavy, [Target("sky", "bluesky")])
        + measure(links, [Target("th", "threads")])
        + measure(text_480.strip(), [Target("home", "mastodon")], content_warning="Spoilers for the final episode")
    }
    sky = budgets["sky"]
    assert sky.count <= 300 and not sky.fits and sky.over_what == "bytes" and sky.parts >= 2
    th = budgets["th"]
    assert th.count <= 500 and not th.fits and th.over_what == "links" and th.parts >= 2
    home = budgets["home"]
    assert home.count > 500 and not home.fits and home.parts == 2  # the warning counts against the post
    plain = measure(text_480.strip(), [Target("home", "mastodon")])[0]
    assert plain.fits and plain.parts == 1


def test_screens_and_widgets_never_import_the_app():
    """Imports in tui/ point one way: app.py -> screens -> widgets. A screen reaches the app through
    `composer.tui.host.Host`, so no import (lazy or for typing) goes back to app.py."""
    import ast
    from pathlib import Path

    import composer.tui

    root = Path(composer.tui.__file__).parent
    back = []
    for path in sorted([*root.glob("screens/*.py"), *root.glob("widgets/*.py"), root / "host.py"]):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "composer.tui.app":
                back.append(f"{path.relative_to(root)}:{node.lineno}")
            if isinstance(node, ast.ImportFrom) and node.module == "composer.tui.screens.compose" and "widgets" in path.parts:
                back.append(f"{path.relative_to(root)}:{node.lineno}")
    assert back == []
    assert len(list(root.glob("screens/*.py"))) >= 5  # the scan saw the screens


async def test_marks_and_height_follow_edits_in_a_long_text():
    """The editor's per-line redraw after an edit inside one line (and Textual's wrapped height,
    read in O(1) by composer.tui.textual_fixes) give what a full regroup (and Textual's own sum)
    give, through typing, deleting and new lines."""
    import random

    from textual.app import App

    from composer.tui.spans import Mark
    from composer.tui.widgets.editor import DraftEditor

    rng = random.Random(5)
    words = ["alpha", "beta", "gamma", "delta", "SHOUT", "x@y.org", "fuck"]
    text = "\n".join(" ".join(rng.choice(words) for _ in range(rng.randint(0, 30))) for _ in range(60))

    class Host(App):
        def compose(self):
            yield DraftEditor(text)

    app = Host()
    async with app.run_test(size=(60, 20)) as pilot:
        editor = app.query_one(DraftEditor)
        marks = []
        for i in range(40):
            a = rng.randrange(len(text))
            marks.append(Mark(a, min(len(text), a + rng.randint(1, 80)), "clickbait", i))
        marks.append(Mark(len(text) - 30, len(text), "length", 99))
        editor.set_marks(marks, text)
        fast_paths = []
        real = editor._regroup_row
        editor._regroup_row = lambda *a: fast_paths.append(real(*a)) or fast_paths[-1]
        for _ in range(60):
            editor.move_cursor(editor.document.end if rng.random() < 0.2 else (rng.randrange(60), rng.randrange(20)))
            await pilot.press(rng.choice(["a", "b", "backspace", "space", "enter", "delete"]))
            fast = dict(editor._by_row)
            editor._regroup(editor.text)
            assert fast == editor._by_row
            wrapped = editor.wrapped_document
            assert wrapped.height == sum(len(o) + 1 for o in wrapped._wrap_offsets)
            index = LineIndex(editor.text, editor.document.newline)
            for location in [editor.cursor_location, (0, 0), (3, 99), (999, 2), (-1, -1)]:
                assert editor.offset_of(location) == index.offset(location)
        assert fast_paths.count(True) > 10 and False in fast_paths  # both ways were taken


# ------------------------------------------------------------------ key display


def test_key_display_is_textuals_without_the_unicode_name_lookup(monkeypatch):
    """The footer shows keys as Textual does; plain keys never look up a Unicode character name
    (that reads ~0.7 MB of the name tables into memory: issue 17)."""
    import textual.keys
    from textual.app import App
    from textual.binding import Binding

    from composer.tui.app import ComposerApp

    app = ComposerApp()
    keys = ["f1", "f8", "f12", "ctrl+j", "ctrl+o", "ctrl+p", "j", "n", "7", "shift+f3", "ctrl+shift+a",
            "escape", "space", "ctrl+enter", "up", "A", "f", "f1x", "delete", "plus"]
    textuals = {k: App.get_key_display(app, Binding(k, "x", "y")) for k in keys}
    assert textuals["f8"] == "f8" and textuals["ctrl+j"] == "^j"

    class NoNames:
        def lookup(self, name):
            raise AssertionError(f"looked up the Unicode name {name!r}")

    textual.keys.format_key.cache_clear()
    monkeypatch.setattr(textual.keys, "unicodedata", NoNames())
    plain = ["f1", "f8", "f12", "ctrl+j", "ctrl+o", "ctrl+p", "j", "n", "7", "shift+f3", "A", "f"]
    assert {k: app.get_key_display(Binding(k, "x", "y")) for k in plain} == {k: textuals[k] for k in plain}
    monkeypatch.undo()
    textual.keys.format_key.cache_clear()
    assert {k: app.get_key_display(Binding(k, "x", "y")) for k in keys} == textuals
    assert app.get_key_display(Binding("f2", "x", "y", key_display="F two")) == "F two"
