"""SecretStore against a real Secret Service (gnome-keyring on a private D-Bus), and without one."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from composer.accounts import SERVICE, KeyringUnavailable, SecretStore
from composer.platforms.base import Secret
from tests.keyring_fixture import (  # noqa: F401 (fixtures)
    FAIL_BACKEND,
    keyring_env,
    keyring_service,
    start_keyring,
    stop_keyring,
)

TOKEN = "tok-KEYRING-TEST-7f3a9c"


@pytest.mark.keyring
def test_set_get_delete_round_trip(keyring_env) -> None:
    store = SecretStore()
    assert store.get("kr-roundtrip") is None
    store.set("kr-roundtrip", Secret(TOKEN))
    got = store.get("kr-roundtrip")
    assert isinstance(got, Secret) and got.reveal() == TOKEN
    assert store.delete("kr-roundtrip") is True
    assert store.get("kr-roundtrip") is None
    assert store.delete("kr-roundtrip") is False


@pytest.mark.keyring
def test_one_entry_per_account_under_the_app_service(keyring_env) -> None:
    store = SecretStore()
    store.set("kr-one", Secret("first"))
    store.set("kr-two", Secret("second ✓ ünïcode"))
    store.set("kr-one", Secret("first, replaced"))
    try:
        # Read back through keyring itself: the entries live under service "humane-composer".
        import keyring.core

        backend = keyring.core.load_env()
        assert SERVICE == "humane-composer"
        assert backend.get_password(SERVICE, "kr-one") == "first, replaced"
        assert backend.get_password(SERVICE, "kr-two") == "second ✓ ünïcode"
        assert backend.get_password("some-other-app", "kr-one") is None
    finally:
        store.delete("kr-one")
        store.delete("kr-two")


@pytest.mark.keyring
async def test_usable_from_worker_threads(keyring_env) -> None:
    store = SecretStore()
    names = [f"kr-thread-{i}" for i in range(6)]
    await asyncio.gather(*(asyncio.to_thread(store.set, n, Secret(f"s-{n}")) for n in names))
    got = await asyncio.gather(*(asyncio.to_thread(store.get, n) for n in names))
    assert [s.reveal() for s in got] == [f"s-{n}" for n in names]
    await asyncio.gather(*(asyncio.to_thread(store.delete, n) for n in names))
    assert all(store.get(n) is None for n in names)


@pytest.mark.keyring
def test_store_repr_and_errors_hold_no_secret(keyring_env) -> None:
    store = SecretStore()
    store.set("kr-repr", Secret(TOKEN))
    try:
        text = repr(store) + repr(store.get("kr-repr")) + str(store.get("kr-repr"))
        assert TOKEN not in text
        assert "SecretService" in repr(store)
    finally:
        store.delete("kr-repr")


@pytest.mark.keyring
def test_locked_keyring_gives_a_plain_message(monkeypatch) -> None:
    # Its own daemon: a locked collection cannot be unlocked again without a prompt.
    service, proc = start_keyring()
    try:
        for key, value in service.env.items():
            monkeypatch.setenv(key, value)
        import secretstorage

        SecretStore().set("kr-locked", Secret(TOKEN))
        bus = secretstorage.dbus_init()
        secretstorage.get_default_collection(bus).lock()
        bus.close()
        with pytest.raises(KeyringUnavailable, match="locked") as info:
            SecretStore().get("kr-locked")
        assert TOKEN not in str(info.value)
        assert "\n" not in str(info.value)
    finally:
        stop_keyring(service, proc)


# ------------------------------------------------------------------ no usable keyring


FIX_WORDS = ("gnome-keyring", "KeePassXC", "PYTHON_KEYRING_BACKEND")


@pytest.mark.parametrize(
    ("backend", "why"),
    [
        (FAIL_BACKEND, "no keyring backend is available"),
        ("keyring.backends.null.Keyring", "throws secrets away"),
    ],
)
def test_useless_backends_are_refused_up_front(monkeypatch, backend: str, why: str) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", backend)
    store = SecretStore()
    for call in (store.check, lambda: store.get("x"), lambda: store.set("x", Secret(TOKEN)), lambda: store.delete("x")):
        with pytest.raises(KeyringUnavailable) as info:
            call()
        message = str(info.value)
        assert why in message
        assert all(word in message for word in FIX_WORDS)
        assert TOKEN not in message and "\n" not in message


def test_secret_service_without_a_bus(monkeypatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.SecretService.Keyring")
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    with pytest.raises(KeyringUnavailable, match="no D-Bus session") as info:
        SecretStore().set("x", Secret(TOKEN))
    assert "gnome-keyring" in str(info.value) and TOKEN not in str(info.value)


def test_secret_service_with_a_vanished_bus(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.SecretService.Keyring")
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'gone'}")
    with pytest.raises(KeyringUnavailable, match="cannot be reached"):
        SecretStore().get("x")


def test_misspelt_backend_name(monkeypatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.NoSuch.Keyring")
    with pytest.raises(KeyringUnavailable, match="PYTHON_KEYRING_BACKEND cannot be loaded"):
        SecretStore().get("x")


def test_explicit_backend_instance_is_used() -> None:
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            self.data: dict[tuple[str, str], str] = {}

        def get_password(self, service, username):
            return self.data.get((service, username))

        def set_password(self, service, username, password):
            self.data[(service, username)] = password

        def delete_password(self, service, username):
            from keyring.errors import PasswordDeleteError

            if self.data.pop((service, username), None) is None:
                raise PasswordDeleteError("none")

    memory = Memory()
    store = SecretStore(memory)
    store.set("a", Secret("s"))
    assert memory.data == {(SERVICE, "a"): "s"}
    assert store.delete("a") and not store.delete("a")


def test_keyring_is_imported_lazily() -> None:
    code = "import sys, composer.accounts; print('keyring' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
