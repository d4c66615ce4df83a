"""Accounts: the non-secret settings from config.toml, and their secrets in the OS keyring.

`SecretStore` is the one door to secrets. It keeps one keyring entry per account (service
`humane-composer`, user name = the account's name), never writes a secret anywhere else, and
turns every way a keyring can fail into `KeyringUnavailable` with one plain sentence that
names the fix. `keyring` is imported lazily (it costs ~150 ms), and its calls block (a D-Bus
round trip, maybe an unlock prompt): call the store from a worker thread, as `open_client` does.

`open_client(name)` builds a ready `PlatformClient` for an account: its settings from config,
its secret from the keyring, and a hook that saves a rotated secret (a refreshed Bluesky
session) back to the keyring.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from typing import TYPE_CHECKING, Any, Callable

from composer.config import APP_NAME, AccountConfig, Config
from composer.platforms.base import AccountInfo, AuthError, PlatformClient, Secret

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

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


# --------------------------------------------------------------------------- accounts


def account_info(account: AccountConfig) -> AccountInfo:
    """The platform-facing view of an account's settings (platforms/ knows no config)."""
    return AccountInfo(
        name=account.name,
        platform=account.platform,
        server=account.server,
        handle=account.handle,
        visibility=account.visibility,
        language=account.language,
        options=dict(account.options),
    )


class UnknownAccount(KeyError):
    """An account name that is not in config.toml. `str()` is a plain sentence."""

    def __init__(self, name: str, known: list[str], path: Any = None) -> None:
        super().__init__(name)
        self.name = name
        self.known = known
        self.path = path

    def __str__(self) -> str:
        where = f" in {self.path}" if self.path else ""
        have = f" Known accounts: {', '.join(self.known)}." if self.known else " There are no accounts yet."
        return f"There is no account named {self.name!r}{where}.{have} Add one with `humane accounts add`."


def find_account(config: Config, name: str) -> AccountConfig:
    try:
        return config.accounts[name]
    except KeyError:
        raise UnknownAccount(name, sorted(config.accounts), config.path) from None


def missing_secret_error(name: str, platform: str | None = None) -> AuthError:
    flag = f" --platform {platform}" if platform else ""
    return AuthError(
        f"The keyring holds no secret for the account {name!r}.",
        hint=f"Log in again with `humane accounts add {name}{flag}`.",
    )


def save_secret_hook(store: SecretStore, name: str) -> Callable[[Secret], None]:
    """The `on_secret_change` a client gets: save a rotated secret back to the keyring at once.

    It runs synchronously (a 13-55 ms keyring call): a rotated refresh token must not be lost
    if the program stops right after (the old one is already revoked by the server). A failure
    is logged, never raised into the client: the post itself went out."""

    def save(secret: Secret) -> None:
        try:
            store.set(name, secret)
        except KeyringUnavailable as err:
            log.warning("Could not save the renewed login of account %r to the keyring: %s", name, err)

    return save


async def open_client(
    name: str,
    *,
    config: Config | None = None,
    http: "httpx.AsyncClient | None" = None,
    store: SecretStore | None = None,
) -> PlatformClient:
    """A ready client for account `name`.

    Raises UnknownAccount (not in config), KeyringUnavailable, AuthError (no secret in the
    keyring), KeyError (unknown platform). When `http` is None a new client is made
    (`composer.platforms.http.new_http_client`); the caller closes it (`await client.http.aclose()`)."""
    if config is None:
        from composer.config import load_config

        config = await asyncio.to_thread(load_config)
    account = find_account(config, name)
    from composer.platforms import client_class

    cls = client_class(account.platform)
    store = store or SecretStore()
    secret = await asyncio.to_thread(store.get, name)
    if secret is None or not secret:
        raise missing_secret_error(name, account.platform)
    own = http is None
    if http is None:
        from composer.platforms.http import new_http_client

        http = new_http_client()
    try:
        return cls(account_info(account), secret, http, on_secret_change=save_secret_hook(store, name))
    except BaseException:
        if own:  # nobody else holds it: close what we opened
            await http.aclose()
        raise
