"""`humane accounts add|list|verify|remove`: accounts in config.toml, their secrets in the keyring.

`add` logs in with the platform's own flow, checks the credential against the server, then keeps
the secret in the OS keyring and the non-secret settings in config.toml. Nothing is saved unless
all of that worked. A secret never appears in config, in output, or in an error message.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from typing import TYPE_CHECKING, Any, Callable

from composer.commands import load_config_or_usage

if TYPE_CHECKING:
    from composer.accounts import SecretStore
    from composer.config import AccountConfig, Config
    from composer.platforms.base import PlatformClient

NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "accounts",
        help="add, list, verify or remove the accounts you publish to",
        description="Manage the accounts you publish to. Secrets live in the OS keyring, never in config.toml.",
    )
    sub = parser.add_subparsers(dest="accounts_command", metavar="ACTION")

    add = sub.add_parser(
        "add",
        help="log in to an account and keep its secret in the keyring",
        description=textwrap.fill(
            "Log in to an account, check it against the server, keep its secret in the OS keyring and "
            "its other settings in config.toml. The secret is asked for without echo, or read from "
            "standard input with --secret-stdin. Adding a name that exists logs in to it again.",
            width=78,
        ),
        epilog=_add_examples(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add.add_argument("name", metavar="NAME", help="your own name for the account (letters, digits, - and _)")
    add.add_argument(
        "--platform", metavar="P",
        help=f"{', '.join(_platform_names())} (may be left out when logging in again to an account in config.toml)",
    )
    add.add_argument("--server", metavar="URL", help=f"the server's address ({_server_help()})")
    add.add_argument("--handle", metavar="H", help=f"your handle ({_handle_help()})")
    add.add_argument(
        "--secret-stdin",
        action="store_true",
        help="read the secret (token or app password) from standard input instead of asking",
    )
    add.set_defaults(func=run_add)

    lst = sub.add_parser("list", help="list the accounts (no secrets)", description="List the accounts in config.toml.")
    lst.set_defaults(func=run_list)

    verify = sub.add_parser(
        "verify",
        help="ask the server who the account's credentials belong to",
        description="Check an account's credentials against its server and say who they belong to.",
    )
    verify.add_argument("name", metavar="NAME")
    verify.set_defaults(func=run_verify)

    remove = sub.add_parser(
        "remove",
        help="forget an account: its keyring entry and its config table",
        description="Remove an account's secret from the keyring and its table from config.toml.",
    )
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(func=run_remove)

    parser.set_defaults(func=lambda args: _no_action(parser))


def _platform_names() -> list[str]:
    from composer import registry

    return [p.name for p in registry.publishable()]


def _server_help() -> str:
    from composer import registry

    return "; ".join(
        f"{p.label}: {'required' if s.required else f'default {s.default}'}"
        + (f", like {s.example}" if s.required else "")
        for p in registry.publishable()
        if p.login is not None and (s := p.login.server) is not None
    )


def _handle_help() -> str:
    from composer import registry

    return "; ".join(
        f"{p.label}: like {h.example}" if h.label == "handle" else f"{p.label}: the {h.label}, like {h.example}"
        for p in registry.publishable()
        if p.login is not None and (h := p.login.handle) is not None
    )


def _add_examples() -> str:
    """Each platform's add command and where its secret comes from (the epilog of `add --help`)."""
    from composer import registry

    lines = ["platforms:"]
    for p in registry.publishable():
        if p.login is not None:
            lines.append(f"  {p.add_command()}")
            lines.append(f"      {p.label}: {p.login.secret.where}")
    return "\n".join(lines)


def _no_action(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


# --------------------------------------------------------------------------- shared helpers


def fail(message: str) -> int:
    """Print one line for a failure that is not bad usage; exit status 1."""
    print(f"humane: {message}", file=sys.stderr)
    return 1




def target_path(config: "Config"):
    from composer.config import config_path

    return config.path or config_path()


def account_or_usage(config: "Config", name: str) -> "AccountConfig":
    from composer.accounts import UnknownAccount, find_account
    from composer.cli import UsageError

    try:
        return find_account(config, name)
    except UnknownAccount as err:
        raise UsageError(str(err)) from None


def platform_class_or_usage(platform: str) -> "type[PlatformClient]":
    from composer import registry
    from composer.cli import UsageError
    from composer.platforms import available, client_class

    ready = available()
    if platform not in registry.PLATFORMS:
        raise UsageError(f"unknown platform {platform!r}; choose one of: {', '.join(ready)}.")
    if platform not in ready:
        raise UsageError(
            f"the {platform} platform is not available in this version yet; choose one of: {', '.join(ready)}."
        )
    return client_class(platform)


def explain(err: BaseException) -> str:
    """One line for a PlatformError (its message and what to do), or any other error; it ends
    with a full stop so that more can follow."""
    from composer.platforms.base import PlatformError

    text = err.explain() if isinstance(err, PlatformError) else str(err)
    text = " ".join(text.split()) or type(err).__name__
    return text if text[-1] in ".!?)" else text + "."


# --------------------------------------------------------------------------- add


class _Asker:
    """The `ask(prompt, secret)` a platform's login flow uses: a secret comes from standard input
    (--secret-stdin) or a no-echo prompt; anything else from a plain prompt on a terminal."""

    def __init__(self, stdin_secret: str | None) -> None:
        self.stdin_secret = stdin_secret
        self.interactive = sys.stdin.isatty()

    def __call__(self, prompt: str, secret: bool) -> str:
        from composer.cli import UsageError

        if secret and self.stdin_secret is not None:
            value, self.stdin_secret = self.stdin_secret, None
            return value
        if not self.interactive:
            what = "the secret with --secret-stdin" if secret else "it with an option (--handle, --server)"
            raise UsageError(f"{prompt}: there is no terminal to ask on; give {what}.")
        if secret:
            import getpass

            return getpass.getpass(f"{prompt}: ")
        return input(f"{prompt}: ")


def _read_stdin_secret() -> str:
    from composer.cli import UsageError

    data = sys.stdin.read()
    value = data.rstrip("\r\n")
    if not value.strip():
        raise UsageError("--secret-stdin: nothing was read from standard input; pipe the secret in.")
    if "\n" in value.strip():
        raise UsageError("--secret-stdin: standard input holds more than one line; give the secret alone.")
    return value.strip()


def run_add(args: argparse.Namespace) -> int:
    from composer.cli import UsageError

    name = args.name
    if not NAME_RE.match(name):
        raise UsageError(
            f"the account name {name!r} is not usable; use letters, digits, - and _ (up to 64), like work-mastodon."
        )
    config = load_config_or_usage()
    existing = config.accounts.get(name)
    if not args.platform:
        if existing is None:
            from composer.platforms import available

            raise UsageError(f"say which platform {name!r} is on: add --platform P ({', '.join(available())}).")
        args.platform = existing.platform
    cls = platform_class_or_usage(args.platform)
    if existing is not None and existing.platform != args.platform:
        raise UsageError(
            f"the account {name!r} already exists for {existing.platform}; remove it first "
            f"(`humane accounts remove {name}`) or choose another name."
        )

    from composer.config import AccountConfig
    from composer.platforms.base import InsecureURL
    from composer.platforms.http import check_url

    server = args.server or (existing.server if existing else None) or cls.DEFAULT_SERVER
    if cls.NEEDS_SERVER and not server:
        raise UsageError(f"a {cls.label} account needs its server: add --server URL, like https://mastodon.social.")
    if server:
        try:
            server = check_url(server, what=f"{cls.label} server")
        except InsecureURL as err:
            raise UsageError(explain(err)) from None
    handle = args.handle or (existing.handle if existing else None)
    if handle:
        handle = handle.strip()
    if cls.NEEDS_HANDLE and not handle and (args.secret_stdin or not sys.stdin.isatty()):
        raise UsageError(f"a {cls.label} account needs its handle: add --handle H.")

    stdin_secret = _read_stdin_secret() if args.secret_stdin else None
    if stdin_secret is None and not sys.stdin.isatty():
        raise UsageError(
            f"there is no terminal to ask for the {cls.label} {cls.SECRET_LABEL} on; pipe it in with --secret-stdin."
        )

    from composer.accounts import KeyringUnavailable, SecretStore

    store = SecretStore()
    try:
        store.check()  # before logging in: a secret with nowhere to go is no use
    except KeyringUnavailable as err:
        return fail(f"{err} Nothing was saved.")
    if not args.secret_stdin and sys.stdin.isatty() and cls.SECRET_HELP:
        print(cls.SECRET_HELP, file=sys.stderr)

    base = AccountConfig(
        name=name,
        platform=args.platform,
        server=server,
        handle=handle,
        visibility=existing.visibility if existing else None,
        language=existing.language if existing else None,
        options=dict(existing.options) if existing else {},
    )
    try:
        secret, account, identity = _run(_login_and_verify(cls, base, _Asker(stdin_secret)))
    except UsageError:
        raise
    except Exception as err:
        return _platform_failure(err, cls.label, server)

    warning = account.options.get("login_warning")
    options = {k: v for k, v in account.options.items() if k != "login_warning"}
    options.update({k: v for k, v in identity.details.items() if v is not None})
    # The server's own defaults (Mastodon's source.privacy/language) fill settings the writer has not set.
    visibility = base.visibility or _text(options.pop("visibility", None)) or account.visibility
    language = base.language or _text(options.pop("language", None)) or account.language
    options = {k: v for k, v in options.items() if isinstance(v, (str, int, float, bool))}
    to_save = AccountConfig(
        name=name,
        platform=args.platform,
        server=account.server or server,
        handle=identity.handle or account.handle or handle,
        visibility=visibility,
        language=language,
        options=options,
    )
    if _holds_secret(to_save, secret.reveal()):
        return fail(f"the {cls.label} login returned settings that contain the secret itself; nothing was saved.")

    previous = None
    try:
        if existing is not None:
            previous = store.get(name)
        store.set(name, secret)
    except KeyringUnavailable as err:
        return fail(f"{err} Nothing was saved.")
    try:
        from composer.config import save_account

        save_account(target_path(config), to_save)
    except Exception as err:
        _restore(store, name, previous)
        return fail(f"could not write {target_path(config)}: {explain(err)} Nothing was saved.")

    who = _describe_identity(identity, to_save)
    verb = "Logged in again to" if existing is not None else "Added"
    print(f"{verb} {cls.label} account {name!r}: {who}.")
    if isinstance(warning, str) and warning:
        print(f"humane: warning: {warning}", file=sys.stderr)
    return 0


async def _login_and_verify(cls: "type[PlatformClient]", base: "AccountConfig", ask: Callable[[str, bool], str]):
    from composer.accounts import account_info
    from composer.platforms.http import new_http_client

    async with new_http_client() as http:
        secret, info = await cls.login(http, account_info(base), ask)
        if not secret:
            from composer.platforms.base import AuthError

            raise AuthError(f"No {cls.label} {cls.SECRET_LABEL} was given.", hint="Run the command again and give it.")
        client = cls(info, secret, http, on_secret_change=None)
        identity = await client.verify()
        # A client may have renewed its credential while verifying (a rotated session): keep the latest.
        return client.secret, info, identity


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _holds_secret(account: "AccountConfig", secret: str) -> bool:
    if len(secret) < 6:
        return False
    values = [account.server, account.handle, *map(str, account.options.values())]
    return any(secret in v for v in values if v)


def _restore(store: "SecretStore", name: str, previous: Any) -> None:
    from composer.accounts import KeyringUnavailable

    try:
        if previous is None:
            store.delete(name)
        else:
            store.set(name, previous)
    except KeyringUnavailable:
        pass


def _platform_failure(err: BaseException, label: str, server: str | None) -> int:
    from composer.cli import UsageError
    from composer.platforms.base import AuthError, InsecureURL, PlatformError, TransientError

    if isinstance(err, InsecureURL):
        raise UsageError(explain(err)) from None
    if isinstance(err, AuthError):
        return fail(f"{explain(err)} Nothing was saved.")
    if isinstance(err, TransientError):
        # Not the hint: it speaks of the outbox, which has nothing to do with logging in.
        where = f" Check the address {server} and your connection." if server else ""
        return fail(f"{' '.join(err.message.split())}{where} Nothing was saved.")
    if isinstance(err, PlatformError):
        return fail(f"{explain(err)} Nothing was saved.")
    # Anything else is a failure of ours: still one line, and never the secret (errors do not hold it).
    return fail(f"the {label} login failed unexpectedly ({type(err).__name__}: {explain(err)}). Nothing was saved.")


def _describe_identity(identity: Any, account: "AccountConfig") -> str:
    from composer import registry

    handle = identity.handle or account.handle or identity.id
    entry = registry.find(account.platform)
    text = entry.show_handle(handle) if entry is not None else handle  # @name, or a name, or a site
    if identity.display_name:
        text += f" ({identity.display_name})"
    if account.server:
        text += f" on {account.server}"
    return text


def _run(coro: Any) -> Any:
    import asyncio

    return asyncio.run(coro)


# --------------------------------------------------------------------------- list


def run_list(args: argparse.Namespace) -> int:
    config = load_config_or_usage()
    if not config.accounts:
        from composer import registry

        examples = "".join(
            f"  {p.add_command(p.login.example_name)}\n" for p in registry.publishable() if p.login is not None
        )
        print(
            "No accounts yet. Add one with `humane accounts add NAME --platform PLATFORM`, for example:\n"
            + examples
            + "The README says where each platform's token comes from."
        )
        return 0
    from composer.accounts import KeyringUnavailable, SecretStore

    store = SecretStore()
    problem: str | None = None
    rows = []
    for name in sorted(config.accounts):
        account = config.accounts[name]
        state = ""
        if problem is None:
            try:
                if store.get(name) is None:
                    state = f"no secret in the keyring: run `humane accounts add {name} --platform {account.platform}`"
            except KeyringUnavailable as err:
                problem = str(err)
        if problem is not None:
            state = "secret not checked: keyring unavailable"
        where = " ".join(x for x in (account.handle and f"@{account.handle.lstrip('@')}", account.server) if x)
        rows.append((name, account.platform, where, state))
    width = [max(len(r[i]) for r in rows) for i in range(3)]
    for name, platform, where, state in rows:
        line = f"{name:<{width[0]}}  {platform:<{width[1]}}  {where:<{width[2]}}"
        if state:
            line += f"  ({state})"
        print(line.rstrip())
    if problem is not None:
        print(f"humane: {problem}", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------- verify


def run_verify(args: argparse.Namespace) -> int:
    config = load_config_or_usage()
    account = account_or_usage(config, args.name)
    platform_class_or_usage(account.platform)
    try:
        identity = _run(_verify(args.name, config))
    except Exception as err:
        from composer.accounts import KeyringUnavailable
        from composer.platforms.base import PlatformError

        if isinstance(err, (PlatformError, KeyringUnavailable)):
            return fail(f"{args.name}: {explain(err)}")
        raise
    print(f"{args.name}: {_describe_identity(identity, account)} ({account.platform}).")
    if identity.url:
        print(f"  profile: {identity.url}")
    if identity.expires_at:
        print(f"  credentials expire: {identity.expires_at}")
        from composer.platforms import client_class

        renew = getattr(client_class(account.platform), "RENEW_HELP", "")
        if renew:
            print(f"  {renew.format(name=args.name)}")
    return 0


async def _verify(name: str, config: "Config"):
    from composer.accounts import open_client

    client = await open_client(name, config=config)
    try:
        return await client.verify()
    finally:
        await client.http.aclose()


# --------------------------------------------------------------------------- remove


def run_remove(args: argparse.Namespace) -> int:
    from composer.accounts import KeyringUnavailable, SecretStore
    from composer.cli import UsageError

    config = load_config_or_usage()
    name = args.name
    in_config = name in config.accounts
    keyring_problem: str | None = None
    had_secret = False
    try:
        had_secret = SecretStore().delete(name)
    except KeyringUnavailable as err:
        keyring_problem = str(err)
    if not in_config and not had_secret:
        if keyring_problem:
            return fail(keyring_problem)
        account_or_usage(config, name)  # raises the "no such account" usage error
        raise UsageError(f"there is no account named {name!r}.")
    if in_config:
        from composer.config import remove_account

        try:
            remove_account(target_path(config), name)
        except Exception as err:
            return fail(f"could not update {target_path(config)}: {explain(err)}")
    if keyring_problem:
        print(f"Removed account {name!r} from {target_path(config)}.")
        return fail(f"its secret may still be in the keyring: {keyring_problem}")
    if in_config:
        print(f"Removed account {name!r}: its table in {target_path(config)} and its secret in the keyring.")
    else:
        print(f"Removed the keyring entry of {name!r} (it was not in {target_path(config)}).")
    return 0
