""""Mine to share": a finding's words join `[guidelines] allow` in config.toml, from the findings
list (A) or the palette, and the finding goes at once; and the config editor that keeps comments."""

from __future__ import annotations

import tomllib
from dataclasses import replace

import pytest

from composer.config import ConfigError, allow_phrase, load_config
from tests.test_tui_support import build, config, fill, running, until, wait_analysed

PURPOSE = "To tell my neighbours how to reach me about the fence"
BODY = "Call me on (202) 555-0143 about the fence."


def test_allow_phrase_keeps_comments_and_layout(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        '# my settings\n[guidelines]\nallow = ["damn"]  # words I mean\nphone_region = "GB"\n\n'
        '[accounts.home]\nplatform = "mastodon"\nserver = "https://m.example"\n',
        encoding="utf-8",
    )
    assert allow_phrase(path, "  My   Number ") == ("damn", "my number")
    text = path.read_text("utf-8")
    assert '# my settings' in text and 'allow = ["damn", "my number"]  # words I mean' in text
    assert load_config(path).guidelines.allow == ("damn", "my number")
    assert allow_phrase(path, "MY NUMBER") == ("damn", "my number")  # once only
    assert path.read_text("utf-8") == text


@pytest.mark.parametrize(
    "before",
    [
        "",
        "# nothing yet\n",
        "[guidelines]\n# mine\nwords_per_minute = 200\n",
        '[guidelines]\nallow = [\n  "damn",\n  "kill it",\n]\n',
        'guidelines.allow = ["damn"]\n',
        '[guidelines]\nallow = "damn"\n',
    ],
)
def test_allow_phrase_writes_every_form(tmp_path, before):
    path = tmp_path / "config.toml"
    if before:
        path.write_text(before, encoding="utf-8")
    old = tomllib.loads(before).get("guidelines", {}).get("allow", []) if before else []
    old = [old] if isinstance(old, str) else old
    allow_phrase(path, 'say "hi"')
    data = tomllib.loads(path.read_text("utf-8"))
    assert data["guidelines"]["allow"] == [*old, 'say "hi"']
    if "# mine" in before or "# nothing yet" in before:
        assert ("# mine" in path.read_text("utf-8")) or ("# nothing yet" in path.read_text("utf-8"))


def test_allow_phrase_never_overwrites_a_broken_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[guidelines\nallow = [", encoding="utf-8")
    with pytest.raises(ConfigError):
        allow_phrase(path, "x")
    assert path.read_text("utf-8") == "[guidelines\nallow = ["
    path.write_text("[guidelines]\nallow = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        allow_phrase(path, "x")
    assert "config.toml" in str(err.value) and "list" in str(err.value)


def notices(app) -> list[str]:
    """Record what the app tells the writer (STYLE.md: patch notify, do not read its internals)."""
    seen: list[str] = []
    real = app.notify

    def notify(message, *args, **kwargs):
        seen.append(str(message))
        return real(message, *args, **kwargs)

    app.notify = notify
    return seen


def phone_findings(app):
    analysis = app.compose_screen.analysis
    return [f for f in analysis.report.findings if f.rule == "personal-info.phone"] if analysis else []


async def test_a_in_the_findings_list_allows_the_words_at_once_and_keeps_them(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('# my settings\n[guidelines]\nphone_region = "US"\n', encoding="utf-8")
    app = build(tmp_path, replace(config(), path=path, guidelines=load_config(path).guidelines))
    told = notices(app)
    async with running(app) as pilot:
        screen = app.compose_screen
        await fill(pilot, screen, PURPOSE, BODY)
        await wait_analysed(pilot, app)
        [phone] = phone_findings(app)
        findings = screen.sidebar.query_one("#findings")
        findings.focus()
        findings.highlighted = next(
            i for i, o in enumerate(findings.options) if o.id and screen.sidebar.findings[int(o.id[1:])] is phone
        )
        await pilot.pause()
        await pilot.press("a")
        assert phone_findings(app) == []  # gone at once, before the file is written
        await until(pilot, lambda: "(202) 555-0143" in path.read_text("utf-8"), what="config.toml to keep the words")
        text = path.read_text("utf-8")
        assert text.startswith("# my settings\n") and 'phone_region = "US"' in text
        assert load_config(path).guidelines.allow == ("(202) 555-0143",)
        await until(pilot, lambda: any("yours to share" in n for n in told), what="a notice")


async def test_the_palette_allows_the_finding_under_the_cursor(tmp_path):
    path = tmp_path / "config.toml"
    app = build(tmp_path, replace(config(), path=path))
    async with running(app) as pilot:
        screen = app.compose_screen
        await fill(pilot, screen, PURPOSE, "Text me: ana.b [at] example [dot] org, or call.")
        await wait_analysed(pilot, app)
        [email] = [f for f in screen.analysis.report.findings if f.rule == "personal-info.email"]
        screen.editor.select_span(email.start + 2, email.start + 2)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"mine to share")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: path.exists() and "ana.b [at] example [dot] org" in path.read_text("utf-8"),
                    what="config.toml to keep the words")
        await until(pilot, lambda: not [f for f in screen.analysis.report.findings if f.category == "personal-info"],
                    what="the finding to go")


async def test_a_finding_about_the_whole_post_cannot_be_allowed(tmp_path):
    path = tmp_path / "config.toml"
    app = build(tmp_path, replace(config(), path=path))
    told = notices(app)
    async with running(app) as pilot:
        screen = app.compose_screen
        await fill(pilot, screen, "", "A short note.")
        await wait_analysed(pilot, app)
        findings = screen.sidebar.query_one("#findings")
        findings.focus()
        findings.highlighted = next(i for i, o in enumerate(findings.options) if o.id)
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert not path.exists()
        assert any("no words of yours" in n for n in told)
