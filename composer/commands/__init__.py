"""One module per `humane` subcommand: `register(subparsers)` adds its parser and sets `func`.

Keep module-level imports light (argparse, stdlib): every command's module is imported for
`humane --help`. Import the core (httpx, keyring, textstat, textual) inside the handlers.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from composer.config import Config


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
