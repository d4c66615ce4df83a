"""Adding, verifying and removing an account: one workflow each, for the command line and the composer.

A face supplies only how to ask (`ask(prompt, secret)`, as a platform's login flow calls it) and how
to show the result. Adding logs in with the platform's own flow and checks the credential against
the server; only then is the secret kept in the keyring and the other settings in config.toml, and
if writing config.toml fails, the keyring is put back as it was. A secret never appears in config,
in a result or in an error message.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from composer.accounts.clients import find_account, open_client
from composer.accounts.secret_store import KeyringUnavailable, SecretStore
from composer.config import AccountConfig, Config
from composer.words import explain

if TYPE_CHECKING:
    import httpx

    from composer.platforms.base import AccountInfo, Ask, Identity, PlatformClient, Secret

NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$")
"""An account's own name: letters, digits, - and _ (up to 64), as config.toml and the keyring keep it."""


class SetupError(Exception):
    """An account could not be added, verified or removed: `str()` is one plain line.

    `usage` is True when what the writer gave was wrong (the command line exits 2), False when the
    world was (a server, the keyring, a file: exit 1). `field` names the input it is about (name,
    platform, server, handle), so that a form can point at it."""

    def __init__(self, message: str, *, usage: bool = False, field: str | None = None) -> None:
        super().__init__(message)
        self.usage = usage
        self.field = field


def config_file(config: Config) -> Any:
    """The config.toml that account changes are written to."""
    from composer.config import config_path

    return config.path or config_path()


# --------------------------------------------------------------------------- add


@dataclass(frozen=True, slots=True)
class NewAccount:
    """What the writer asked for, checked (`check_new_account`): ready to log in with."""

    name: str
    platform: str
    client: type[PlatformClient]
    server: str | None
    handle: str | None
    existing: AccountConfig | None
    """The account of that name already in config.toml: adding it again logs in to it again."""


@dataclass(frozen=True, slots=True)
class Added:
    """An account that was added (or logged in to again) and is kept."""

    account: AccountConfig
    """As saved in config.toml (never the secret)."""
    identity: Identity
    """Who the server says the credentials belong to."""
    again: bool
    warning: str = ""
    """Something the login flow wants the writer to know (an app password would be better...)."""


def check_new_account(
    config: Config,
    name: str,
    platform: str,
    *,
    server: str | None = None,
    handle: str | None = None,
    can_ask: bool = True,
) -> NewAccount:
    """Check what the writer gave before anything is asked or sent: the name, the platform, the
    server (https, or plain http on loopback; the platform's default where it has one) and the
    handle (needed up front only when the login flow cannot ask for it: `can_ask` False).
    Raises SetupError (usage)."""
    if not NAME_RE.match(name):
        raise SetupError(
            f"the account name {name!r} is not usable; use letters, digits, - and _ (up to 64), like work-mastodon.",
            usage=True,
            field="name",
        )
    from composer.platforms import client_class

    existing = config.accounts.get(name)
    if existing is not None and existing.platform != platform:
        raise SetupError(
            f"the account {name!r} already exists for {existing.platform}; remove it first "
            f"(`humane accounts remove {name}`) or choose another name.",
            usage=True,
            field="name",
        )
    try:
        cls = client_class(platform)
    except KeyError as err:
        raise SetupError(explain(err), usage=True, field="platform") from None
    server = server or (existing.server if existing else None) or cls.DEFAULT_SERVER
    if cls.NEEDS_SERVER and not server:
        raise SetupError(
            f"a {cls.label} account needs its server: add --server URL, like https://mastodon.social.",
            usage=True,
            field="server",
        )
    if server:
        from composer.platforms.base import AccountInfo, InsecureURL

        try:  # https (or wss for relays), each of a comma-separated list where the platform takes several
            server = cls.server_of(AccountInfo(name, platform, server=server))
        except InsecureURL as err:
            raise SetupError(explain(err), usage=True, field="server") from None
    handle = (handle or (existing.handle if existing else None) or "").strip() or None
    if cls.NEEDS_HANDLE and not handle and not can_ask:
        raise SetupError(f"a {cls.label} account needs its handle: add --handle H.", usage=True, field="handle")
    return NewAccount(name, platform, cls, server, handle, existing)


async def add_account(
    config: Config,
    new: NewAccount,
    ask: Ask,
    *,
    store: SecretStore | None = None,
) -> Added:
    """Log in to `new` (the platform's flow calls `ask(prompt, secret)`), check the credential
    against the server, then keep the secret in the keyring and the settings in config.toml.
    Nothing is kept unless all of that worked. Raises SetupError; `ask` may raise SetupError too
    (no way to ask), which passes through."""
    cls = new.client
    store = store or SecretStore()
    try:
        await asyncio.to_thread(store.check)  # before logging in: a secret with nowhere to go is no use
    except KeyringUnavailable as err:
        raise SetupError(f"{err} Nothing was saved.") from None
    base = AccountConfig(
        name=new.name,
        platform=new.platform,
        server=new.server,
        handle=new.handle,
        visibility=new.existing.visibility if new.existing else None,
        language=new.existing.language if new.existing else None,
        options=dict(new.existing.options) if new.existing else {},
    )
    try:
        secret, account, identity = await _login_and_verify(cls, base, ask)
    except SetupError:
        raise
    except Exception as err:
        raise _login_failure(err, cls.label, new.server) from None

    warning = account.options.get("login_warning")
    to_save = _settings_to_keep(base, account, identity)
    if _holds_secret(to_save, secret.reveal()):
        raise SetupError(f"the {cls.label} login returned settings that contain the secret itself; nothing was saved.")
    await asyncio.to_thread(_keep, config, new, store, secret, to_save)
    return Added(to_save, identity, new.existing is not None, warning if isinstance(warning, str) else "")


async def _login_and_verify(
    cls: type[PlatformClient], base: AccountConfig, ask: Ask
) -> tuple[Secret, AccountInfo, Identity]:
    from composer.platforms.http import new_http_client

    async with new_http_client() as http:
        secret, info = await cls.login(http, base, ask)
        if not secret:
            from composer.platforms.base import AuthError

            raise AuthError(f"No {cls.label} {cls.SECRET_LABEL} was given.", hint="Run the command again and give it.")
        client = cls(info, secret, http, on_secret_change=None)
        identity = await client.verify()
        info = await _with_announced_limit(client, info)
        # A client may have renewed its credential while verifying (a rotated session): keep the latest.
        return client.secret, info, identity


async def _with_announced_limit(client: PlatformClient, info: AccountInfo) -> AccountInfo:
    """The account's settings plus `max_chars` where the server announces a limit of its own (a
    Mastodon instance that allows 1,000): every length figure the writer sees then comes from the
    account's own limit. A server that says nothing, or cannot be asked now, changes nothing."""
    from dataclasses import replace

    from composer.platforms.base import NO_LIMIT

    try:
        limits = await client.limits()
    except Exception:
        return info
    default = client.entry.counting.limit if getattr(client, "entry", None) is not None else None
    announced = limits.max_chars
    if not announced or announced == NO_LIMIT or announced == default:
        return info
    return replace(info, options={**info.options, "max_chars": int(announced)})


def _settings_to_keep(base: AccountConfig, account: AccountInfo, identity: Identity) -> AccountConfig:
    """What config.toml keeps: the login's settings and what the server said about the account.
    The server's own defaults (Mastodon's source.privacy/language) fill settings the writer has not set."""
    options = {k: v for k, v in account.options.items() if k != "login_warning"}
    options.update({k: v for k, v in identity.details.items() if v is not None})
    visibility = base.visibility or _text(options.pop("visibility", None)) or account.visibility
    language = base.language or _text(options.pop("language", None)) or account.language
    return AccountConfig(
        name=base.name,
        platform=base.platform,
        server=account.server or base.server,
        handle=identity.handle or account.handle or base.handle,
        visibility=visibility,
        language=language,
        options={k: v for k, v in options.items() if isinstance(v, (str, int, float, bool))},
    )


def _keep(config: Config, new: NewAccount, store: SecretStore, secret: Secret, to_save: AccountConfig) -> None:
    """The secret into the keyring, then the settings into config.toml; if that fails, the keyring
    gets its old entry back."""
    from composer.config import save_account

    previous = None
    try:
        if new.existing is not None:
            previous = store.get(new.name)
        store.set(new.name, secret)
    except KeyringUnavailable as err:
        raise SetupError(f"{err} Nothing was saved.") from None
    path = config_file(config)
    try:
        save_account(path, to_save)
    except Exception as err:
        _restore(store, new.name, previous)
        raise SetupError(f"could not write {path}: {explain(err)} Nothing was saved.") from None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _holds_secret(account: AccountConfig, secret: str) -> bool:
    if len(secret) < 6:
        return False
    values = [account.server, account.handle, *map(str, account.options.values())]
    return any(secret in v for v in values if v)


def _restore(store: SecretStore, name: str, previous: Any) -> None:
    try:
        if previous is None:
            store.delete(name)
        else:
            store.set(name, previous)
    except KeyringUnavailable:
        pass


def _login_failure(err: BaseException, label: str, server: str | None) -> SetupError:
    from composer.platforms.base import AuthError, InsecureURL, PlatformError, TransientError

    if isinstance(err, InsecureURL):
        return SetupError(explain(err), usage=True, field="server")
    if isinstance(err, TransientError):
        # Not the hint: it speaks of the outbox, which has nothing to do with logging in.
        where = f" Check the address {server} and your connection." if server else ""
        return SetupError(f"{' '.join(err.message.split())}{where} Nothing was saved.")
    if isinstance(err, (AuthError, PlatformError)):
        return SetupError(f"{explain(err)} Nothing was saved.")
    # Anything else is a failure of ours: still one line, and never the secret (errors do not hold it).
    return SetupError(f"the {label} login failed unexpectedly ({type(err).__name__}: {explain(err)}). Nothing was saved.")


# --------------------------------------------------------------------------- verify


OpenClient = Callable[[str], Awaitable["PlatformClient"]]
Release = Callable[["PlatformClient"], Awaitable[None]]


async def verify_account(
    name: str,
    config: Config,
    *,
    open: OpenClient | None = None,
    release: Release | None = None,
    http: httpx.AsyncClient | None = None,
) -> Identity:
    """Ask the server who account `name`'s credentials belong to. Raises UnknownAccount,
    KeyringUnavailable, AuthError (no secret) or another PlatformError. `open`/`release`: how the
    face gets and gives back a client (the composer shares one httpx client); by default
    `open_client` with its own httpx client, closed after. The limit the server announces is
    kept in config.toml when it differs from the one kept there (an account added before it was
    asked, or a server that changed its limit), so every length figure comes from it."""
    find_account(config, name)
    if open is None:
        client = await open_client(name, config=config, http=http)
    else:
        client = await open(name)
    try:
        identity = await client.verify()
        await _keep_announced_limit(client, config, name)
        return identity
    finally:
        if release is not None:
            await release(client)
        elif http is None:
            await client.http.aclose()


async def _keep_announced_limit(client: PlatformClient, config: Config, name: str) -> None:
    """Write the server's own `max_chars` into the account's table when it changed (never fails
    the verify: a limit that cannot be asked or kept now is asked again next time)."""
    from dataclasses import replace

    account = config.accounts.get(name)
    if account is None or config.path is None:
        return
    info = await _with_announced_limit(client, account)
    announced = info.options.get("max_chars")
    if announced == account.options.get("max_chars"):
        return
    options = {k: v for k, v in account.options.items() if k != "max_chars"}
    if announced is not None:
        options["max_chars"] = announced
    try:
        from composer.config import save_account

        await asyncio.to_thread(save_account, config.path, replace(account, options=options))
    except Exception:
        return


# --------------------------------------------------------------------------- remove


@dataclass(frozen=True, slots=True)
class Removed:
    """What `remove_account` did."""

    name: str
    config_file: Any
    from_config: bool
    """Its table was in config.toml and is gone."""
    keyring_problem: str = ""
    """Set when the keyring could not be reached: the secret may still be there."""


def remove_account(config: Config, name: str, *, store: SecretStore | None = None) -> Removed:
    """Forget account `name`: its secret in the keyring and its table in config.toml (either may be
    missing). Raises SetupError: no such account anywhere (usage), or a file that cannot be written.
    Blocking (the keyring, a file): call from a thread in a UI."""
    in_config = name in config.accounts
    keyring_problem = ""
    had_secret = False
    try:
        had_secret = (store or SecretStore()).delete(name)
    except KeyringUnavailable as err:
        keyring_problem = str(err)
    path = config_file(config)
    if not in_config and not had_secret:
        if keyring_problem:
            raise SetupError(keyring_problem)
        from composer.accounts.clients import UnknownAccount

        raise SetupError(str(UnknownAccount(name, sorted(config.accounts), config.path)), usage=True, field="name")
    if in_config:
        from composer.config import remove_account as remove_table

        try:
            remove_table(path, name)
        except Exception as err:
            raise SetupError(f"could not update {path}: {explain(err)}") from None
    return Removed(name, path, in_config, keyring_problem)
