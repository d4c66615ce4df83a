"""`humane accounts add|list|verify|remove`: accounts in config.toml, their secrets in the keyring.

The workflows live in the core (`composer.accounts.setup`: add, verify, remove); this module
parses the arguments, asks on the terminal and prints the outcome. Nothing is saved unless the
login and the check against the server worked. A secret never appears in config, in output, or in
an error message.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import TYPE_CHECKING, Any

from composer.commands import action, command_group, load_config_or_usage
from composer.words import explain

if TYPE_CHECKING:
    from composer.accounts.setup import SetupError
    from composer.config import AccountConfig, Config
    from composer.platforms.base import PlatformClient


def register(subparsers: Any) -> None:
    sub = command_group(
        subparsers, "accounts", "add, list, verify or remove the accounts you publish to",
        "Manage the accounts you publish to. Secrets live in the OS keyring, never in config.toml.",
    )

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

    action(sub, "list", run_list, "list the accounts (no secrets)", "List the accounts in config.toml.")
    action(sub, "verify", run_verify, "ask the server who the account's credentials belong to",
           "Check an account's credentials against its server and say who they belong to.", takes=("NAME",))
    action(sub, "remove", run_remove, "forget an account: its keyring entry and its config table",
           "Remove an account's secret from the keyring and its table from config.toml.", takes=("NAME",))


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


# --------------------------------------------------------------------------- shared helpers


def fail(message: str) -> int:
    """Print one line for a failure that is not bad usage; exit status 1."""
    print(f"humane: {message}", file=sys.stderr)
    return 1


def account_or_usage(config: Config, name: str) -> AccountConfig:
    from composer.accounts import UnknownAccount, find_account
    from composer.commands import UsageError

    try:
        return find_account(config, name)
    except UnknownAccount as err:
        raise UsageError(str(err)) from None


def platform_class_or_usage(platform: str) -> type[PlatformClient]:
    from composer import registry
    from composer.commands import UsageError
    from composer.platforms import available, client_class

    ready = available()
    if platform not in registry.PLATFORMS:
        raise UsageError(f"unknown platform {platform!r}; choose one of: {', '.join(ready)}.")
    if platform not in ready:
        raise UsageError(
            f"the {platform} platform is not available in this version yet; choose one of: {', '.join(ready)}."
        )
    return client_class(platform)


# --------------------------------------------------------------------------- add


def _setup_failure(err: SetupError) -> int:
    """A core SetupError as the command line says it: bad usage exits 2, anything else 1."""
    from composer.commands import UsageError

    if err.usage:
        raise UsageError(str(err)) from None
    return fail(str(err))


class _Asker:
    """The `ask(prompt, secret)` a platform's login flow uses: a secret comes from standard input
    (--secret-stdin) or a no-echo prompt; anything else from a plain prompt on a terminal. Before
    the first question on a terminal it prints where the secret comes from (`help`)."""

    def __init__(self, stdin_secret: str | None, help: str = "") -> None:
        self.stdin_secret = stdin_secret
        self.interactive = sys.stdin.isatty()
        self.help = help if stdin_secret is None and self.interactive else ""

    def __call__(self, prompt: str, secret: bool) -> str:
        from composer.accounts.setup import SetupError

        if secret and self.stdin_secret is not None:
            value, self.stdin_secret = self.stdin_secret, None
            return value
        if not self.interactive:
            what = "the secret with --secret-stdin" if secret else "it with an option (--handle, --server)"
            raise SetupError(f"{prompt}: there is no terminal to ask on; give {what}.", usage=True)
        if self.help:
            print(self.help, file=sys.stderr)
            self.help = ""
        if secret:
            import getpass

            return getpass.getpass(f"{prompt}: ")
        return input(f"{prompt}: ")


def _read_stdin_secret() -> str:
    from composer.commands import UsageError

    data = sys.stdin.read()
    value = data.rstrip("\r\n")
    if not value.strip():
        raise UsageError("--secret-stdin: nothing was read from standard input; pipe the secret in.")
    if "\n" in value.strip():
        raise UsageError("--secret-stdin: standard input holds more than one line; give the secret alone.")
    return value.strip()


def run_add(args: argparse.Namespace) -> int:
    from composer.accounts.setup import SetupError, add_account, check_new_account
    from composer.commands import UsageError

    name = args.name
    config = load_config_or_usage()
    existing = config.accounts.get(name)
    platform = args.platform
    if not platform:
        if existing is None:
            from composer.platforms import available

            raise UsageError(f"say which platform {name!r} is on: add --platform P ({', '.join(available())}).")
        platform = existing.platform
    platform_class_or_usage(platform)
    interactive = sys.stdin.isatty()
    try:
        new = check_new_account(
            config, name, platform, server=args.server, handle=args.handle,
            can_ask=interactive and not args.secret_stdin,
        )
    except SetupError as err:
        return _setup_failure(err)
    cls = new.client
    stdin_secret = _read_stdin_secret() if args.secret_stdin else None
    if stdin_secret is None and not interactive:
        raise UsageError(
            f"there is no terminal to ask for the {cls.label} {cls.SECRET_LABEL} on; pipe it in with --secret-stdin."
        )
    try:
        added = _run(add_account(config, new, _Asker(stdin_secret, cls.SECRET_HELP)))
    except SetupError as err:
        return _setup_failure(err)
    who = _describe_identity(added.identity, added.account)
    verb = "Logged in again to" if added.again else "Added"
    print(f"{verb} {cls.label} account {name!r}: {who}.")
    if added.warning:
        print(f"humane: warning: {added.warning}", file=sys.stderr)
    return 0


def _describe_identity(identity: Any, account: AccountConfig) -> str:
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
    from composer import registry
    from composer.config import named_but_missing

    config = load_config_or_usage()
    missing = named_but_missing()
    if missing:
        print(f"humane: warning: {missing}", file=sys.stderr)
    if not config.accounts:
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
        entry = registry.find(account.platform)
        shown = account.handle and (entry.show_handle(account.handle) if entry is not None else account.handle)
        where = " ".join(x for x in (shown, account.server) if x)
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
    from composer.accounts import KeyringUnavailable
    from composer.accounts.setup import verify_account
    from composer.platforms.base import PlatformError

    config = load_config_or_usage()
    account = account_or_usage(config, args.name)
    cls = platform_class_or_usage(account.platform)
    try:
        identity = _run(verify_account(args.name, config))
    except (PlatformError, KeyringUnavailable) as err:
        return fail(f"{args.name}: {explain(err)}")
    print(f"{args.name}: {_describe_identity(identity, account)} ({account.platform}).")
    if identity.url:
        print(f"  profile: {identity.url}")
    if identity.expires_at:
        print(f"  credentials expire: {identity.expires_at}")
        renew = getattr(cls, "RENEW_HELP", "")
        if renew:
            print(f"  {renew.format(name=args.name)}")
    return 0


# --------------------------------------------------------------------------- remove


def run_remove(args: argparse.Namespace) -> int:
    from composer.accounts.setup import SetupError, remove_account

    config = load_config_or_usage()
    name = args.name
    try:
        removed = remove_account(config, name)
    except SetupError as err:
        return _setup_failure(err)
    where = removed.config_file
    if removed.keyring_problem:
        print(f"Removed account {name!r} from {where}.")
        return fail(f"its secret may still be in the keyring: {removed.keyring_problem}")
    if removed.from_config:
        print(f"Removed account {name!r}: its table in {where} and its secret in the keyring.")
    else:
        print(f"Removed the keyring entry of {name!r} (it was not in {where}).")
    return 0
