"""A real Micropub server for the tests: django-indieweb (from PyPI) served by the small site in
tests/indieweb_site/ in a child process on 127.0.0.1, with a fresh SQLite database, the user
`alice` and an IndieAuth access token with the create scope.

Import the fixture into a test module: `from tests.indieweb_fixture import indieweb  # noqa: F401`.
It starts once per module (a few seconds: Django's migrations) and is stopped by its PID.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0


@dataclass
class IndieWebSite:
    url: str
    """The site's home page (it announces its Micropub endpoint: `endpoint`)."""
    token: str
    """An access token the site issued to alice, with the create scope."""
    folder: Path
    pid: int
    startup_seconds: float

    @property
    def endpoint(self) -> str:
        return self.url + "indieweb/micropub/"

    def entries(self) -> list[dict[str, Any]]:
        """What the site has published, in order ({"url", "content", ...})."""
        try:
            text = (self.folder / "entries.jsonl").read_text("utf-8")
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    try:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="module")
def indieweb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IndieWebSite]:
    if find_spec("indieweb") is None or find_spec("django") is None:
        pytest.fail("django-indieweb is not installed: install the test extra (`pip install -e '.[test]'`)",
                    pytrace=False)
    folder = tmp_path_factory.mktemp("indieweb")
    log_path = folder / "site.log"
    started = time.perf_counter()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.indieweb_site.serve", str(folder)], cwd=ROOT, env=env,
            stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL,
        )
    try:
        assert proc.stdout is not None
        line = b""
        while time.perf_counter() - started < START_TIMEOUT:
            line = proc.stdout.readline()
            if line or proc.poll() is not None:
                break
        if not line:
            tail = log_path.read_text(errors="replace")[-2000:]
            pytest.fail(f"the django-indieweb site did not start (exit {proc.poll()}):\n{tail}")
        info = json.loads(line)
        yield IndieWebSite(url=info["url"], token=info["token"], folder=folder, pid=proc.pid,
                           startup_seconds=time.perf_counter() - started)
    finally:
        _stop(proc)
