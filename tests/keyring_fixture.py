"""A real Secret Service for tests: a private D-Bus session with an unlocked gnome-keyring.

    from tests.keyring_fixture import keyring_service, keyring_env   # fixtures

`keyring_service` (one per test module) starts `dbus-run-session` running
`gnome-keyring-daemon --foreground --unlock --components=secrets` with its own XDG_DATA_HOME and
XDG_RUNTIME_DIR under a temp folder (a real user keyring is never touched), waits until the daemon
owns `org.freedesktop.secrets` (calling earlier would D-Bus-activate a second, locked daemon), and
stops it by PID afterwards. `keyring_env` points this process's environment at it (monkeypatched,
so `humane` subprocesses inherit it) with PYTHON_KEYRING_BACKEND set to the SecretService backend.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SECRET_SERVICE_BACKEND = "keyring.backends.SecretService.Keyring"
FAIL_BACKEND = "keyring.backends.fail.Keyring"
TOOLS = ("dbus-run-session", "dbus-send", "gnome-keyring-daemon")


@dataclass
class KeyringService:
    bus_address: str
    daemon_pid: int
    root: Path

    @property
    def env(self) -> dict[str, str]:
        """What a process needs to use this keyring."""
        return {
            "DBUS_SESSION_BUS_ADDRESS": self.bus_address,
            "XDG_RUNTIME_DIR": str(self.root / "run"),
            "PYTHON_KEYRING_BACKEND": SECRET_SERVICE_BACKEND,
        }


def _name_has_owner(address: str, name: str) -> bool:
    out = subprocess.run(
        ["dbus-send", f"--bus={address}", "--print-reply=literal", "--dest=org.freedesktop.DBus",
         "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", f"string:{name}"],
        capture_output=True, text=True, timeout=5,
    )
    return out.returncode == 0 and "true" in out.stdout


def start_keyring(password: str = "test-password") -> tuple[KeyringService, subprocess.Popen[str]]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (Debian: apt-get install dbus-x11 gnome-keyring)")
    root = Path(tempfile.mkdtemp(prefix="humane-keyring-"))
    (root / "data").mkdir(mode=0o700)
    (root / "run").mkdir(mode=0o700)
    env = {**os.environ, "XDG_DATA_HOME": str(root / "data"), "XDG_RUNTIME_DIR": str(root / "run")}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    # The shell prints the bus address and its own PID, then becomes the daemon (exec keeps the
    # PID), which reads the unlock password from stdin. The password must not be empty.
    script = (
        'echo "$DBUS_SESSION_BUS_ADDRESS"; echo "$$"; '
        "exec gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1"
    )
    proc = subprocess.Popen(
        ["dbus-run-session", "--", "sh", "-c", script],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    address = proc.stdout.readline().strip()
    pid = int(proc.stdout.readline().strip() or 0)
    proc.stdin.write(password)
    proc.stdin.close()
    service = KeyringService(address, pid, root)
    deadline = time.monotonic() + 10
    while not _name_has_owner(address, "org.freedesktop.secrets"):
        if time.monotonic() > deadline or proc.poll() is not None:
            stop_keyring(service, proc)
            raise RuntimeError("gnome-keyring-daemon did not take org.freedesktop.secrets within 10 s")
        time.sleep(0.025)
    return service, proc


def stop_keyring(service: KeyringService, proc: subprocess.Popen[str]) -> None:
    if service.daemon_pid:
        try:
            os.kill(service.daemon_pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    try:
        proc.wait(timeout=10)  # dbus-run-session ends its bus when its child ends
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()
    shutil.rmtree(service.root, ignore_errors=True)


@pytest.fixture(scope="module")
def keyring_service() -> Iterator[KeyringService]:
    service, proc = start_keyring()
    try:
        yield service
    finally:
        stop_keyring(service, proc)


@pytest.fixture
def keyring_env(keyring_service: KeyringService, monkeypatch: pytest.MonkeyPatch) -> KeyringService:
    for key, value in keyring_service.env.items():
        monkeypatch.setenv(key, value)
    return keyring_service
