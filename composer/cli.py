"""The `humane` command. Subcommands live in `composer.commands.<name>`; no UI import unless
the composer itself starts, and heavy imports (httpx, keyring, textstat) happen inside the
commands that need them, so `humane --help` and `humane check` start fast."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

from composer import __version__
from composer.commands import UsageError  # the commands raise it; main() prints it

COMMANDS = ("check", "post", "accounts", "drafts", "outbox", "replies", "delete", "edit")
"""Subcommand modules under composer.commands; each has register(subparsers)."""


def build_parser() -> argparse.ArgumentParser:
    import argparse  # not on the path of a bare `humane`, which opens the composer

    parser = argparse.ArgumentParser(
        prog="humane",
        description=(
            "Compose a post in the terminal, see live whether it keeps the rules of humane "
            "posting, and publish it with one key. Run `humane` to open the composer, or "
            "`humane PATH` to open a draft file."
        ),
    )
    parser.add_argument("--version", action="version", version=f"humane {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        import_module(f"composer.commands.{name}").register(sub)
    return parser


def _open_composer(path: str | None) -> int:
    from composer.commands.compose import run_composer

    return run_composer(path)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if not args_list or (args_list[0] not in COMMANDS and not args_list[0].startswith("-")):
            if len(args_list) > 1:
                build_parser().error(f"unknown command {args_list[0]!r}")
            return _open_composer(args_list[0] if args_list else None)
        parser = build_parser()
        args = parser.parse_args(args_list)
        if getattr(args, "func", None) is None:
            parser.parse_args([args.command, "--help"] if args.command else ["--help"])
            return 2
        return int(args.func(args) or 0)
    except UsageError as err:
        print(f"humane: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("humane: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `humane drafts list | head`: the reader left; not an error worth a traceback.
        sys.stdout = None
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
