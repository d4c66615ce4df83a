"""One module per `humane` subcommand: `register(subparsers)` adds its parser and sets `func`.

Keep module-level imports light (argparse, stdlib): every command's module is imported for
`humane --help`. Import the core (httpx, keyring, textstat, textual) inside the handlers.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from composer.config import Config


class UsageError(Exception):
    """Bad usage or unreadable input: printed as one line, exit status 2 (by `composer.cli.main`)."""


def load_config_or_usage(*, creating: bool = False) -> Config:
    """config.toml, or UsageError with its one-line message (exit 2); warnings go to stderr.
    `creating`: the command writes config.toml (`accounts add`), so a file that is not there yet
    is no news."""
    from composer.config import ConfigError, load_config

    try:
        config = load_config(creating=creating)
    except ConfigError as err:
        raise UsageError(str(err)) from None
    for warning in config.warnings:
        print(f"humane: warning: {warning}", file=sys.stderr)
    return config
