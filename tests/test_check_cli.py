"""`humane check`: the installed command in a subprocess, on files and standard input."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.command import humane_command

DRAFT = """+++
schema = 1
purpose = "to warn neighbours about the flooded underpass"
content_warning = ""
+++
The underpass on Elm Road is flooded again.
THIS IS AMAZING!!! Call (415) 555-2671 if you see it.
"""


def humane(*args: str, stdin: bytes | None = None, env_extra: dict | None = None, cwd=None):
    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run(
        [humane_command(), *args], input=stdin if stdin is not None else b"", capture_output=True,
        timeout=120, env=env, cwd=cwd,
    )


def out(r) -> str:
    return r.stdout.decode("utf-8")


def err(r) -> str:
    return r.stderr.decode("utf-8")


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    p = tmp_path / "flood.md"
    p.write_text(DRAFT, encoding="utf-8")
    return p


def test_text_output_points_at_file_line_and_column(draft):
    r = humane("check", str(draft))
    assert r.returncode == 1, err(r)
    lines = out(r).splitlines()
    assert f"{draft}:7:1: warning shouting.caps: " in "\n".join(lines)
    assert any(line.startswith(f"{draft}:7:16: info shouting.punctuation: ") for line in lines)
    assert any(line.startswith(f"{draft}:7:25: warning personal-info.phone: ") for line in lines)
    assert not any("purpose" in line for line in lines)  # the front matter's purpose counts
    summary = lines[-1]
    assert "words" in summary and "to read" in summary and "warning" in summary
    assert "Traceback" not in err(r)


def test_json_output(draft):
    r = humane("check", str(draft), "--format", "json")
    assert r.returncode == 1
    data = json.loads(out(r))
    assert data["words"] == 18
    assert data["read_time_seconds"] == 5  # 18 words at 238 a minute
    assert "238" in data["read_time_basis"]
    phone = [f for f in data["findings"] if f["rule"] == "personal-info.phone"][0]
    assert (phone["line"], phone["col"]) == (7, 25)
    body = DRAFT.split("+++\n", 2)[2]
    assert body[phone["start"]:phone["end"]] == "(415) 555-2671"
    for f in data["findings"]:
        assert set(f) >= {"rule", "category", "severity", "start", "end", "message", "line", "col"}


def test_clean_draft_exits_zero(tmp_path):
    p = tmp_path / "ok.md"
    p.write_text('+++\npurpose = "to thank the volunteers"\n+++\nThank you all for fixing the fence.\n', encoding="utf-8")
    r = humane("check", str(p))
    assert r.returncode == 0, out(r)
    assert out(r).strip().endswith("0 errors, 0 warnings, 0 info.")


def test_stdin_with_dash_and_piped(draft):
    text = b"What is the plan for the park?"
    for args in (("check", "-"), ("check",)):
        r = humane(*args, stdin=text)
        assert r.returncode == 1
        assert out(r).startswith("<stdin>:1:1: error purpose.missing: ")
    r = humane("check", "-", "--purpose", "to ask the council", stdin=text)
    assert r.returncode == 0, out(r)


def test_stdin_draft_with_front_matter(draft):
    r = humane("check", "-", "--format", "json", stdin=draft.read_bytes())
    data = json.loads(out(r))
    assert not [f for f in data["findings"] if f["category"] == "purpose"]


def test_purpose_option_overrides_the_draft(draft):
    r = humane("check", str(draft), "--purpose", "x", "--format", "json")
    assert [f["rule"] for f in json.loads(out(r))["findings"] if f["category"] == "purpose"] == ["purpose.thin"]


def test_for_adds_length_findings(tmp_path):
    p = tmp_path / "long.md"
    p.write_text('+++\npurpose = "to test the limit"\n+++\n' + "word " * 80, encoding="utf-8")
    r = humane("check", str(p), "--format", "json")
    assert not [f for f in json.loads(out(r))["findings"] if f["category"] == "length"]
    r = humane("check", str(p), "--for", "bluesky", "--format", "json")
    rules = [f["rule"] for f in json.loads(out(r))["findings"] if f["category"] == "length"]
    assert rules and all("bluesky" in rule for rule in rules)
    assert r.returncode == 1


def test_bad_platform_is_usage_error(draft):
    r = humane("check", str(draft), "--for", "myspace")
    assert r.returncode == 2
    assert "myspace" in err(r) and "Traceback" not in err(r)


@pytest.mark.parametrize(
    "make,expect",
    [
        (lambda d: d / "missing.md", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: (d / "bin.md").write_bytes(b"\x7fELF\x00\x01\x02") and d / "bin.md", "binary"),
        (lambda d: (d / "latin1.md").write_bytes("caf\xe9\n".encode("latin-1")) and d / "latin1.md", "not UTF-8"),
        (lambda d: (d / "bad.md").write_text("+++\npurpose = \n+++\nbody\n") and d / "bad.md", "TOML"),
        (lambda d: (d / "open.md").write_text("+++\npurpose = 'x'\nbody\n") and d / "open.md", "+++"),
    ],
)
def test_unreadable_input_is_one_clear_line(tmp_path, make, expect):
    path = make(tmp_path)
    r = humane("check", str(path))
    assert r.returncode == 2
    message = err(r).strip()
    assert "\n" not in message and "Traceback" not in message
    assert str(path) in message and expect in message
    assert out(r) == ""


def test_unreadable_file_permission(tmp_path):
    p = tmp_path / "secret.md"
    p.write_text("hello")
    p.chmod(0)
    try:
        if os.access(p, os.R_OK):
            pytest.skip("running as a user who can read anything (root)")
        r = humane("check", str(p))
        assert r.returncode == 2 and "permission denied" in err(r)
    finally:
        p.chmod(0o600)


def test_non_utf8_stdin():
    r = humane("check", "-", stdin=b"caf\xe9")
    assert r.returncode == 2
    assert err(r).strip() == "humane: <stdin>:1: not UTF-8 text (byte 0xe9); save the file as UTF-8 and try again"


def test_config_settings_apply(tmp_path, draft):
    config = tmp_path / "config.toml"
    config.write_text('[guidelines]\nallow = ["damn"]\n[guidelines.rules]\n"shouting" = "off"\n', encoding="utf-8")
    r = humane("check", str(draft), "--format", "json", env_extra={"HUMANE_CONFIG": str(config)})
    assert r.returncode == 1, err(r)
    assert not [f for f in json.loads(out(r))["findings"] if f["category"] == "shouting"]


def test_broken_config_is_usage_error(tmp_path, draft):
    config = tmp_path / "config.toml"
    config.write_text("[guidelines\n", encoding="utf-8")
    r = humane("check", str(draft), env_extra={"HUMANE_CONFIG": str(config)})
    assert r.returncode == 2
    assert str(config) in err(r) and "Traceback" not in err(r)


def test_crlf_file_positions(tmp_path):
    p = tmp_path / "crlf.md"
    p.write_bytes(b'+++\r\npurpose = "to test crlf"\r\n+++\r\nfine line\r\nWHAT IS THIS\r\n')
    r = humane("check", str(p))
    assert f"{p}:5:1: warning shouting.caps" in out(r)
