"""The `humane` command of the Python environment the tests run in.

Tests that run the installed command use `humane_command()` (an absolute path), never a bare
"humane" looked up on PATH: PATH may hold a writer's own copy, another checkout's, or none at all.
"""

from __future__ import annotations

import contextlib
import functools
import os
import subprocess
import sys
import sysconfig
from pathlib import Path


def find_humane() -> Path | None:
    """The `humane` script installed for this Python (its environment's scripts folder, e.g. a
    venv's bin/), or None. The user scheme (~/.local/bin) is not looked at: pipx links other
    environments' commands there."""
    name = "humane.exe" if os.name == "nt" else "humane"
    for folder in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable)):
        path = Path(folder) / name
        if path.is_file() and os.access(path, os.X_OK):
            return path
    return None


@functools.cache
def humane_command() -> str:
    """The path of this environment's `humane`; the test fails with what to do when there is none."""
    path = find_humane()
    if path is None:
        import pytest

        pytest.fail(
            f"the `humane` command is not installed in the environment of {sys.executable}: run the "
            "tests with `bash scripts/test`, or install the package there (`python -m pip install -e '.[test]'`)",
            pytrace=False,
        )
    return str(path)


def humane(*args: str, input: str = "", timeout: float = 90) -> subprocess.CompletedProcess[str]:
    """Run `humane ARGS` with the test's environment (HUMANE_CONFIG, the keyring), `input` on stdin."""
    return subprocess.run([humane_command(), *args], input=input, capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ))


@contextlib.contextmanager
def mastodon_and_bluesky(token: str, app_password: str):
    """A fake Mastodon and a fake Bluesky server, with accounts `masto` and `sky` added through the
    CLI (`humane accounts add`, the secrets on stdin into the test's keyring)."""
    from tests.fakes.bluesky import FakeBluesky
    from tests.fakes.mastodon import FakeMastodon

    with FakeMastodon() as mastodon, FakeBluesky() as bluesky:
        mastodon.add_account("alice", token=token)
        bluesky.add_account("alice.test", app_password=app_password)
        r = humane("accounts", "add", "masto", "--platform", "mastodon", "--server", mastodon.url, "--secret-stdin",
                   input=token)
        assert r.returncode == 0, r.stderr
        r = humane("accounts", "add", "sky", "--platform", "bluesky", "--server", bluesky.url, "--handle",
                   "alice.test", "--secret-stdin", input=app_password)
        assert r.returncode == 0, r.stderr
        yield mastodon, bluesky
