"""Issue 18, item 4: a file can never crash a command. Hostile draft front matter and config.toml
(nesting hundreds deep, dates no clock can place, numbers past Python's 4,300-digit limit, wrong
types) give one line naming the file and the line, and exit 2 where the command cannot go on;
every other draft is still listed. Fixed cases run through the installed `humane` command; the
hypothesis fuzz runs the same entry point in-process (many examples, no start-up per example)."""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composer import safetoml
from composer.cli import main
from composer.drafts import DraftStore
from tests.command import humane

GOOD_BODY = "The reading group meets on Thursday."

HOSTILE = {
    "arrays-600-deep": "x = " + "[" * 600 + "]" * 600,
    "tables-400-deep": "x = " + "{a = " * 400 + "1" + "}" * 400,
    "arrays-41-deep": "x = " + "[" * 41 + "]" * 41,
    "year-1-local": "updated = 0001-01-01T00:00:00",
    "year-1-created": "created = 0001-01-01T00:00:00",
    "year-1-date": "created = 0001-01-01",
    "year-1-as-text": 'updated = "0001-01-01T00:00:00"',
    "year-9999-west": '[deliveries.masto]\nstatus = "queued"\nnext_try = 9999-12-31T23:59:59-12:00',
    "delivery-year-1": '[deliveries.masto]\nstatus = "failed"\nupdated = 0001-01-01T00:00:00',
    "5000-digits": "x = " + "9" * 5000,
    "5000-digit-schema": "schema = " + "9" * 5000,
    "5000-digit-attempts": '[deliveries.masto]\nattempts = ' + "1" * 5000,
}


def run(*argv: str) -> tuple[int, str, str]:
    """`humane ARGV` in-process: (exit status, stdout, stderr). Any exception fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def store() -> DraftStore:
    return DraftStore(Path(os.environ["HUMANE_DATA_DIR"]))


def write_draft(front_matter: str, name: str = "bad") -> Path:
    s = store()
    s.drafts_dir.mkdir(parents=True, exist_ok=True)
    path = s.drafts_dir / f"{name}.md"
    path.write_text(f"+++\npurpose = \"to test\"\n{front_matter}\n+++\nHello there.\n", "utf-8")
    return path


def good_draft() -> str:
    s = store()
    return s.save(s.new(body=GOOD_BODY, purpose="to invite")).stem


def one_line_each(stderr: str, path: Path) -> None:
    """No traceback; the bad file is named once, with a line number, in one `humane:` line."""
    assert "Traceback" not in stderr
    said = [line for line in stderr.splitlines() if line.startswith("humane:")]
    about = [line for line in said if str(path) in line]
    assert len(about) == 1, stderr
    assert f"{path}:" in about[0] and any(ch.isdigit() for ch in about[0].split(str(path), 1)[1][:8]), about[0]
    assert len(stderr.splitlines()) <= 2 * len(said), "a hint line at most under each message"


@pytest.mark.parametrize("front_matter", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_draft_is_listed_as_unreadable_by_every_command(front_matter):
    """Before: RecursionError / "year 0 is out of range" / int-digits ValueError tracebacks from
    drafts list, drafts show, outbox list, outbox flush and check. After: one line each."""
    good = good_draft()
    path = write_draft(front_matter)
    code, out, err = run("drafts", "list")
    assert code == 0 and good in out
    one_line_each(err, path)
    code, out, err = run("drafts", "show", "bad")
    assert code == 2, (out, err)
    one_line_each(err, path)
    code, out, err = run("check", str(path))  # a check needs the words, not the dates: it may go on
    assert code in (0, 1, 2) and "Traceback" not in err
    if code == 2:
        one_line_each(err, path)
    code, out, err = run("outbox", "list")
    assert code == 0
    one_line_each(err, path)
    code, out, err = run("outbox", "flush")
    assert code in (0, 1) and "Traceback" not in err
    assert path.read_text("utf-8").startswith("+++\npurpose"), "the file is left as it is"


CONFIG_HOSTILE = {k: v for k, v in HOSTILE.items() if k != "year-1-as-text"}  # text is text in config


def errors(stderr: str) -> list[str]:
    """The `humane:` lines that are not warnings."""
    return [line for line in stderr.splitlines() if line.startswith("humane:") and not line.startswith("humane: warning:")]


@pytest.mark.parametrize("front_matter", CONFIG_HOSTILE.values(), ids=CONFIG_HOSTILE.keys())
def test_a_hostile_config_stops_every_command_with_one_line(front_matter):
    config = Path(os.environ["HUMANE_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[guidelines]\n" + front_matter.replace("[deliveries.masto]", "[accounts.masto]") + "\n")
    for argv in (("accounts", "list"), ("outbox", "flush")):
        code, out, err = run(*argv)
        assert code == 2, (argv, out, err)
        said = errors(err)
        assert len(said) == 1 and f"{config}:" in said[0], err
        assert "Traceback" not in err


@pytest.mark.parametrize("case", ["arrays-600-deep", "year-1-local", "5000-digits"])
def test_the_installed_command_says_one_line(case):
    """The same at the level a writer meets it: the `humane` command, its own process and stack."""
    path = write_draft(HOSTILE[case])
    r = humane("drafts", "list")
    assert r.returncode == 0 and "Traceback" not in r.stderr
    one_line_each(r.stderr, path)
    r = humane("check", str(path))
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and f"{path}:" in r.stderr
    config = Path(os.environ["HUMANE_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(HOSTILE[case] + "\n")
    r = humane("accounts", "list")
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and f"{config}:" in r.stderr, r.stderr
    r = humane("check", "-", input="Hello there, friends.")
    assert r.returncode == 2 and "Traceback" not in r.stderr and f"{config}:" in r.stderr


def test_server_words_kept_in_a_draft_are_printed_without_escapes():
    """A delivery's error and URL written by an older version or by hand, with terminal escapes:
    `outbox list` and `drafts show` print them without (they are the server's words)."""
    evil = "\\u001b]0;pwned\\u0007\\u001b[2J\\u0000"
    path = write_draft(
        f'[deliveries.masto]\nstatus = "failed"\nerror_kind = "rejected"\nerror = "refused {evil} it"\n'
        f'url = "https://m.example/1{evil}"\n'
        f'[[deliveries.masto.parts]]\nkey = "k1"\ndigest = "d"\nid = "1{evil}"\nurl = "https://m.example/1{evil}"\n',
        name="escapes")
    for argv in (("outbox", "list", "--all"), ("drafts", "show", "escapes")):
        code, out, err = run(*argv)
        assert code == 0, (argv, out, err)
        assert "refused" in out or "m.example" in out, out
        assert not any(ch in out + err for ch in "\x1b\x07\x00"), repr(out)
    assert "\\u001b" in path.read_text("utf-8"), "the file itself is left as it is"


def test_safetoml_names_the_line():
    text = 'a = 1\nb = "x"\nc = ' + "[" * 100 + "]" * 100 + "\n"
    with pytest.raises(safetoml.TOMLError) as info:
        safetoml.loads(text)
    assert info.value.line == 3 and not info.value.syntax
    assert safetoml.loads("x = " + "[" * 40 + "]" * 40)["x"]  # 40 deep is fine
    assert safetoml.loads('s = "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["') == {"s": "[" * 50}


# ---------------------------------------------------------------------- fuzz

KEYS = ["purpose", "accounts", "content_warning", "created", "updated", "schema", "id", "x"]
DELIVERY_KEYS = ["status", "attempts", "next_try", "updated", "url", "error", "error_kind", "uncertain", "parts"]


def _date(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}"


dates = st.builds(_date, st.integers(1, 9999), st.integers(1, 12), st.integers(1, 28))
times = st.sampled_from(["T00:00:00", "T23:59:59", "T12:00:00.123456", " 07:32:00"])
zones = st.sampled_from(["", "Z", "+00:00", "-12:00", "+14:00", "-23:59", "+23:59"])
odd_dates = st.one_of(
    dates,
    st.builds(lambda d, t, z: d + t + z, dates, times, zones),
    st.builds(lambda d, t, z: '"' + d + t + z + '"', dates, times, zones),
    st.sampled_from(["07:32:00", '"yesterday"', '"0000-00-00"', '"9999-99-99T99:99:99"']),
)
scalars = st.one_of(
    st.integers().map(str),
    st.integers(4290, 4400).map(lambda n: "9" * n),
    st.sampled_from(["true", "false", "inf", "-inf", "nan", "1e400", "-0.0", '""', '"x"', "'''a\nb'''"]),
    st.text(max_size=20).map(lambda s: '"' + s.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'),
    odd_dates,
)


def nested(depth: int, inner: str, tables: bool) -> str:
    return ("{a = " * depth + inner + "}" * depth) if tables else ("[" * depth + inner + "]" * depth)


values = st.one_of(
    scalars,
    st.builds(nested, st.integers(0, 700), scalars, st.booleans()),
    st.lists(scalars, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
)
lines = st.lists(st.tuples(st.sampled_from(KEYS), values), min_size=1, max_size=4, unique_by=lambda kv: kv[0])
delivery = st.lists(st.tuples(st.sampled_from(DELIVERY_KEYS), values), max_size=4, unique_by=lambda kv: kv[0])


def front_matter(top: list[tuple[str, str]], deliv: list[tuple[str, str]]) -> str:
    text = "\n".join(f"{k} = {v}" for k, v in top if k != "purpose")
    if deliv:
        text += "\n[deliveries.masto]\n" + "\n".join(f"{k} = {v}" for k, v in deliv)
    return text


FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FUZZ
@given(lines, delivery)
def test_fuzz_hostile_front_matter_never_crashes_a_command(top, deliv):
    text = front_matter(top, deliv)
    path = write_draft(text, name="fuzz")
    try:
        for argv in (("drafts", "list"), ("drafts", "show", "fuzz"), ("outbox", "list"), ("check", str(path))):
            code, out, err = run(*argv)
            assert code in (0, 1, 2), (argv, code)
            assert "Traceback" not in err
            said = errors(err)  # a warning (HUMANE_CONFIG naming no file) may come too
            assert len(said) <= 1, err
            if said:
                assert f"{path}:" in said[0] or "fuzz" in said[0], said
    finally:
        path.unlink()


@FUZZ
@given(lines, delivery)
def test_fuzz_hostile_config_never_crashes_a_command(top, deliv):
    config = Path(os.environ["HUMANE_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(front_matter(top, deliv).replace("[deliveries.masto]", "[accounts.masto]") + "\n")
    for argv in (("accounts", "list"), ("drafts", "list"), ("outbox", "list")):
        code, out, err = run(*argv)
        assert code in (0, 1, 2), (argv, code)
        assert "Traceback" not in err
        said = errors(err)
        assert len(said) <= 1, err
        if code == 2:
            assert said and f"{config}" in said[0], err
