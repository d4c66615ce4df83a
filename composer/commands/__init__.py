"""One module per `humane` subcommand: `register(subparsers)` adds its parser and sets `func`.

Keep module-level imports light (argparse, stdlib): every command's module is imported for
`humane --help`. Import the core (httpx, keyring, textstat, textual) inside the handlers.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse  # annotations only: a bare `humane` (the composer) never loads argparse

    from composer.config import Config
    from composer.drafts import Draft, DraftStore


class UsageError(Exception):
    """Bad usage or unreadable input: printed as one line, exit status 2 (by `composer.cli.main`)."""


def load_config_or_usage() -> Config:
    """config.toml, or UsageError with its one-line message (exit 2); warnings go to stderr."""
    from composer.config import ConfigError, load_config

    try:
        config = load_config()
    except ConfigError as err:
        raise UsageError(str(err)) from None
    for warning in config.warnings:
        print(f"humane: warning: {warning}", file=sys.stderr)
    return config


def load_draft(ref: str) -> tuple[DraftStore, Draft]:
    """The draft store and the draft: `ref` is a draft file anywhere, or an id (or unique id prefix)
    of a draft in the data folder; UsageError (one line) when it cannot be read. A file outside the
    data folder is published in place: its results are written back into it."""
    from composer.drafts import DraftError, DraftNotFound, DraftStore, find_draft

    store = DraftStore()
    try:
        draft, _ = find_draft(store, ref)
    except (DraftNotFound, DraftError) as err:
        raise UsageError(" ".join(str(err).split())) from None
    except OSError as err:
        raise UsageError(f"{ref}: cannot read it ({err.strerror or err})") from None
    return store, draft


def command(
    subparsers: Any, name: str, func: Callable[[argparse.Namespace], int], help: str, description: str,
    *, draft: str = "", accounts: str = "",
) -> argparse.ArgumentParser:
    """A command (`humane post`, `humane delete`, ...) that runs `func`. `draft`: the metavar of its
    draft argument (a file or a draft id), if it takes one; `accounts`: the help of its `--account
    NAME...` option (`args.accounts`), if it has one."""
    parser: argparse.ArgumentParser = subparsers.add_parser(name, help=help, description=description)
    if draft:
        parser.add_argument("path", metavar=draft, help="the draft: a file, or a draft id from `humane drafts list`")
    if accounts:
        parser.add_argument("--account", dest="accounts", metavar="NAME", nargs="+", action="extend", help=accounts)
    parser.set_defaults(func=func)
    return parser


def command_group(subparsers: Any, name: str, help: str, description: str) -> Any:
    """A command made of actions (`humane drafts list`, ...): returns the subparsers to add them to.
    Without an action it prints its help to stderr and exits 2."""
    parser = subparsers.add_parser(name, help=help, description=description)
    parser.set_defaults(func=lambda args: _usage(parser))
    return parser.add_subparsers(dest=f"{name}_command", metavar="ACTION")


def action(
    sub: Any, name: str, func: Callable[[argparse.Namespace], int], help: str, description: str = "",
    *, takes: tuple[str, ...] = (),
) -> argparse.ArgumentParser:
    """One action of a command group; `takes` names its positional arguments (`ID`, `ACCOUNT`)."""
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help, description=description or f"{help[0].upper()}{help[1:]}.")
    for metavar in takes:
        parser.add_argument(metavar.lower(), metavar=metavar)
    parser.set_defaults(func=func)
    return parser


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2
