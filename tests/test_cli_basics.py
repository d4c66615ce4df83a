"""The installed `humane` command: version, help, and the import hygiene of the core."""

from __future__ import annotations

import subprocess
import sys

import composer
from tests.command import humane_command


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([humane_command(), *args], capture_output=True, text=True, timeout=60)


def test_version():
    r = run("--version")
    assert r.returncode == 0
    assert r.stdout.strip() == f"humane {composer.__version__}"


def test_help_lists_every_subcommand():
    r = run("--help")
    assert r.returncode == 0
    for name in ("check", "post", "accounts", "drafts", "outbox"):
        assert name in r.stdout


def test_unknown_option_is_usage_error():
    r = run("--no-such-option")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr


CORE = [
    "composer.cli",
    "composer.config",
    "composer.guidelines",
    "composer.guidelines.length",
    "composer.drafts",
    "composer.platforms.base",
    "composer.platforms.http",
    "composer.platforms.mastodon",
    "composer.platforms.bluesky",
    "composer.accounts",
    "composer.accounts.setup",
    "composer.analysis",
    "composer.drafts.session",
    "composer.lines",
    "composer.publish",
    "composer.textdiff",
    "composer.words",
]


def test_core_never_imports_textual():
    code = (
        "import importlib, sys\n"
        f"for m in {CORE!r}:\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == ""


def test_help_is_light():
    """`humane --help` must not import the UI, httpx or keyring."""
    code = (
        "import sys\n"
        "from composer.cli import build_parser\n"
        "build_parser().format_help()\n"
        "heavy = [m for m in ('textual', 'httpx', 'keyring', 'textstat') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == ""


def test_bare_humane_starts_the_app_before_the_drafts_code():
    """`humane` with no draft named: argparse and the drafts code (the store, its TOML and hashing)
    load after the first frame, not before `App.run()` (issue 17: first frame against a bare app)."""
    code = (
        "import sys\n"
        "class Tty:\n"
        "    def isatty(self): return True\n"
        "    def flush(self): pass\n"
        "sys.stdin = sys.stdout = Tty()\n"
        "import composer.tui.app as tui\n"
        "seen = []\n"
        "tui.ComposerApp.run = lambda self: seen.extend(sorted(m for m in sys.modules if m == 'argparse'\n"
        "    or m.startswith(('composer.drafts', 'composer.platforms', 'tomllib', 'tomli_w')))) or 0\n"
        "from composer.cli import main\n"
        "code = main([])\n"
        "sys.stderr.write(','.join(seen) + '|' + str(code))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip() == "|0"
