"""The reference Bluesky PDS (tests/pds/launch.mjs) as a child process, and a proxy that can drop answers.

Import the fixtures into a test module: `from tests.pds_fixture import pds  # noqa: F401`.
The PDS starts once per module (3-7 s), on free ports, with its data and info file in a temp folder,
and is stopped by its PID (SIGTERM, then SIGKILL) at the end.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.fakes.server import FakeServer, Request, Response, route

PDS_DIR = Path(__file__).parent / "pds"
START_TIMEOUT = 90.0


@dataclass
class PdsInfo:
    url: str
    handle: str
    password: str
    did: str
    pid: int
    startup_seconds: float
    info: dict[str, Any]
    timings: dict[str, list[float]] = field(default_factory=dict)

    def note(self, name: str, seconds: float) -> None:
        self.timings.setdefault(name, []).append(seconds)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _why_not_runnable() -> str | None:
    if not (PDS_DIR / "node_modules" / "@atproto" / "pds").is_dir():
        return "the reference PDS is not installed: run `npm install` in tests/pds (scripts/test does)"
    if shutil.which("node") is None:
        return "node is not installed (the reference PDS needs Node 20+)"
    return None


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


@contextlib.contextmanager
def running_pds(home: Path, **extra_env: str) -> Iterator[PdsInfo]:
    """The reference PDS started in `home` (its data, info file and log there), stopped by its PID
    on exit. `extra_env`: more settings for launch.mjs (PDS_APPVIEW_URL, ...)."""
    why = _why_not_runnable()
    if why:
        pytest.skip(why)
    info_path = home / "info.json"
    log_path = home / "pds.log"
    env = {
        **os.environ,
        "PDS_INFO": str(info_path),
        "PDS_DATA_DIR": str(home / "data"),
        "PDS_PORT": str(_free_port()),
        "PLC_PORT": str(_free_port()),
        "PDS_PASSWORD": "alice-main-password",
        "PDS_ENABLE_DID_DOC_WITH_SESSION": "1",  # as bsky.social does: the client takes the PDS from it
        **extra_env,
    }
    started = time.perf_counter()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            ["node", "launch.mjs"], cwd=PDS_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        info = None
        while time.perf_counter() - started < START_TIMEOUT:
            if proc.poll() is not None:
                tail = log_path.read_text(errors="replace")[-2000:]
                pytest.fail(f"the reference PDS exited with code {proc.returncode} while starting:\n{tail}")
            if info_path.exists():
                try:
                    info = json.loads(info_path.read_text())
                    break
                except ValueError:
                    pass  # being written
            time.sleep(0.05)
        if info is None:
            tail = log_path.read_text(errors="replace")[-2000:]
            pytest.fail(f"the reference PDS did not start within {START_TIMEOUT:.0f} s:\n{tail}")
        result = PdsInfo(
            url=info["pdsUrl"],
            handle=info["handle"],
            password=info["password"],
            did=info["did"],
            pid=proc.pid,
            startup_seconds=time.perf_counter() - started,
            info=info,
        )
        yield result
        print(f"\n[pds] start-up {result.startup_seconds:.2f} s (node: listening {info['startupMs']} ms, "
              f"account {info['accountCreatedMs']} ms)")
        for name, values in sorted(result.timings.items()):
            values = sorted(values)
            print(f"[pds] {name}: n={len(values)} median {values[len(values) // 2] * 1000:.1f} ms "
                  f"min {values[0] * 1000:.1f} ms max {values[-1] * 1000:.1f} ms")
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def pds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PdsInfo]:
    with running_pds(tmp_path_factory.mktemp("pds")) as info:
        yield info


class ForwardingProxy(FakeServer):
    """Forwards every request to `target` (a real server) and relays its answer. With the
    FakeServer fault `drop-after-commit`, the request reaches the target and is committed there, but
    the client's connection is closed without an answer: a dropped connection after the write."""

    def __init__(self, target: str) -> None:
        super().__init__()
        parts = urlsplit(target)
        self.target_host = parts.hostname or "127.0.0.1"
        self.target_port = parts.port or 80

    def _forward(self, req: Request) -> Response:
        path = req.path
        if req.query:
            from urllib.parse import urlencode

            path += "?" + urlencode([(k, v) for k, vs in req.query.items() for v in vs])
        headers = {k: v for k, v in req.headers.items() if k not in ("host", "connection", "content-length")}
        conn = http.client.HTTPConnection("127.0.0.1" if self.target_host == "localhost" else self.target_host,
                                          self.target_port, timeout=30)
        try:
            conn.request(req.method, path, body=req.body or None, headers=headers)
            answer = conn.getresponse()
            body = answer.read()
            keep = {k.lower(): v for k, v in answer.getheaders()
                    if k.lower() not in ("content-length", "transfer-encoding", "connection", "keep-alive")}
            keep["Content-Type"] = keep.pop("content-type", "application/octet-stream")
            return Response(answer.status, body, keep)
        finally:
            conn.close()

    @route("GET", r"/.*")
    def forward_get(self, req: Request) -> Response:
        return self._forward(req)

    @route("POST", r"/.*")
    def forward_post(self, req: Request) -> Response:
        return self._forward(req)
