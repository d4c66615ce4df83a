"""Secrets in the OS keyring: `SecretStore` is the one door to them.

It It keeps one keyring entry per account (service
`humane-composer`, user name = the account's name), never writes a secret anywhere else, and
turns every way a keyring can fail into `KeyringUnavailable` with one plain sentence that
names the fix. `keyring` is imported lazily (it costs ~150 ms), and its calls block (a D-Bus
round trip, maybe an unlock prompt): call the store from a worker thread, as `open_client` does.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

from composer.config import APP_NAME
from composer.platforms.base import Secret

SERVICE = APP_NAME
"""The keyring service every entry is stored under."""

FIX = (
    "Install and unlock a Secret Service (such as gnome-keyring or KeePassXC), "
    "or choose a keyring backend with PYTHON_KEYRING_BACKEND."
)

# Backends that do not keep a secret: `fail` raises on every call, `null` silently drops it.
_USELESS_BACKENDS = {
    "keyring.backends.fail.Keyring": "no keyring backend is available",
    "keyring.backends.null.Keyring": "the keyring backend is the `null` one, which throws secrets away",
}


_CALL_LOCK = threading.Lock()
"""One keyring call at a time in this process: gnome-keyring, hit by concurrent sessions from
threads of one process, now and then reports a collection as locked or an item as missing."""


class KeyringUnavailable(Exception):
    """No working keyring: `str()` is one plain line saying why and what to do. Never holds a secret."""


class SecretStore:
    """get/set/delete one secret per account name in the OS keyring.

    `backend` may be handed in (a keyring backend instance: the benchmark uses an in-memory one);
    otherwise it is chosen on first use the way `keyring` does (PYTHON_KEYRING_BACKEND, then
    keyringrc.cfg, then detection), fresh for each store, so a changed environment is honoured."""

    def __init__(self, backend: Any = None, *, service: str = SERVICE) -> None:
        self._backend = backend
        self.service = service

    def __repr__(self) -> str:
        return f"SecretStore(service={self.service!r}, backend={self.backend_name()!r})"

    # -- backend
    def backend_name(self) -> str:
        if self._backend is None:
            return "(not chosen yet)"
        cls = type(self._backend)
        return f"{cls.__module__}.{cls.__qualname__}"

    def _resolve(self) -> Any:
        if self._backend is not None:
            return self._backend
        chosen = os.environ.get("PYTHON_KEYRING_BACKEND", "").strip()
        try:
            import keyring.core

            backend = keyring.core.load_env() if chosen else (keyring.core.load_config() or keyring.get_keyring())
        except ImportError as err:
            if chosen:
                raise KeyringUnavailable(
                    f"The keyring backend {chosen!r} set in PYTHON_KEYRING_BACKEND cannot be loaded "
                    f"({type(err).__name__}: {err}). Unset it or name one that exists, such as "
                    "keyring.backends.SecretService.Keyring."
                ) from None
            raise KeyringUnavailable(f"The keyring library cannot be loaded ({err}). {FIX}") from None
        except Exception as err:  # a backend's `priority` raises when it is not viable
            raise KeyringUnavailable(_describe(err, chosen)) from None
        self._check(backend, chosen)
        self._backend = backend
        return backend

    @staticmethod
    def _check(backend: Any, chosen: str) -> None:
        cls = type(backend)
        name = f"{cls.__module__}.{cls.__qualname__}"
        why = _USELESS_BACKENDS.get(name)
        if why is None and cls.__name__ == "ChainerBackend" and not getattr(cls, "backends", None):
            why = "no keyring backend is available"
        if why is None and not chosen and "keyrings.alt" in name:
            # Picked by detection only because nothing better exists: would write secrets to a file.
            why = f"the only keyring backend found is {name}, which keeps secrets in a file"
        if why is not None:
            raise KeyringUnavailable(f"Cannot keep your account secrets: {why}. {FIX}")

    def check(self) -> None:
        """Raise KeyringUnavailable now if the keyring cannot be used (before asking for a secret)."""
        backend = self._resolve()
        self._call(backend.get_password, self.service, "humane-composer-check")

    # -- the three operations
    def get(self, name: str) -> Secret | None:
        """The secret of account `name`, or None when the keyring has none."""
        backend = self._resolve()
        value = self._call(backend.get_password, self.service, name)
        return None if value is None else Secret(value)

    def set(self, name: str, secret: Secret) -> None:
        backend = self._resolve()
        self._call(backend.set_password, self.service, name, secret.reveal())

    def delete(self, name: str) -> bool:
        """Remove the entry; False when there was none."""
        backend = self._resolve()
        from keyring.errors import PasswordDeleteError

        try:
            self._call(backend.delete_password, self.service, name, passthrough=(PasswordDeleteError,))
        except PasswordDeleteError:
            return False
        return True

    def _call(self, fn: Callable[..., Any], *args: Any, passthrough: tuple[type[BaseException], ...] = ()) -> Any:
        try:
            with _CALL_LOCK:
                return fn(*args)
        except passthrough:
            raise
        except Exception as err:
            if not _is_keyring_failure(err):
                raise
            raise KeyringUnavailable(_describe(err, os.environ.get("PYTHON_KEYRING_BACKEND", ""))) from None


def _is_keyring_failure(err: BaseException) -> bool:
    from keyring.errors import KeyringError

    if isinstance(err, (KeyringError, RuntimeError, OSError, EOFError)):
        return True
    try:  # the Secret Service backend lets some of SecretStorage's and jeepney's own errors through
        from secretstorage.exceptions import SecretStorageException

        if isinstance(err, SecretStorageException):
            return True
    except ImportError:
        pass
    return type(err).__module__.startswith(("jeepney", "secretstorage", "dbus"))


def _describe(err: BaseException, chosen: str) -> str:
    """One plain line for a keyring failure. The error's own text never holds a secret
    (backends do not echo passwords), but it is cut short and kept to one line anyway."""
    from keyring.errors import KeyringLocked, NoKeyringError

    if isinstance(err, NoKeyringError):
        return f"Cannot keep your account secrets: no keyring backend is available. {FIX}"
    if isinstance(err, KeyringLocked) or "prompt dismissed" in str(err).lower() or "locked" in type(err).__name__.lower():
        return (
            "The keyring is locked and could not be unlocked. Unlock it (log in to your desktop "
            "session, or open your Secret Service, e.g. Seahorse or KeePassXC) and try again."
        )
    text = " ".join(str(err).split())[:160] or type(err).__name__
    where = f" (backend {chosen})" if chosen else ""
    if isinstance(err, RuntimeError) and "DBUS_SESSION_BUS_ADDRESS" in text or isinstance(err, FileNotFoundError):
        return f"The keyring{where} cannot be reached: there is no D-Bus session ({text}). {FIX}"
    return f"The keyring{where} does not work: {text}. {FIX}"
