"""The installed `humane` command: version, help, and the import hygiene of the core."""

from __future__ import annotations

import subprocess
import sys

import composer


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["humane", *args], capture_output=True, text=True, timeout=60)


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
