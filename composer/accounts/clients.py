"""A ready client for an account: its settings from config.toml, its secret from the keyring.

`open_client(name)` builds a `PlatformClient` with a hook that saves a rotated secret (a refreshed
Bluesky session) back to the keyring.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from composer.accounts.secret_store import KeyringUnavailable, SecretStore
from composer.config import AccountConfig, Config
from composer.platforms.base import AuthError, PlatformClient, Secret

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

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
    http: httpx.AsyncClient | None = None,
    store: SecretStore | None = None,
    _hosted: bool = False,
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
        client = cls(account, secret, http, on_secret_change=save_secret_hook(store, name))
    except BaseException:
        if own:  # nobody else holds it: close what we opened
            await http.aclose()
        raise
    host = account.options.get("media_host")
    if isinstance(host, str) and host and host != name and not _hosted:
        try:  # the account whose uploads get a public address (Threads fetches images itself)
            client.media_host = await open_client(host, config=config, http=http, store=store, _hosted=True)
        except Exception as err:
            from composer.words import explain

            client.media_host_problem = f"its media_host {host!r} cannot be used: {explain(err)}"
    return client


@asynccontextmanager
async def client_opener(config: Config) -> AsyncIterator[Callable[[str], Awaitable[PlatformClient]]]:
    """`open(name)` for the accounts of one command: ready clients that share one keyring door and
    one HTTP connection pool, which is closed when the block ends."""
    from composer.platforms.http import new_http_client

    secrets = SecretStore()
    async with new_http_client() as http:

        async def opener(name: str) -> PlatformClient:
            return await open_client(name, config=config, http=http, store=secrets)

        yield opener
