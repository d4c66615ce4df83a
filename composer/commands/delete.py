"""`humane delete DRAFT [--account NAME...]`: withdraw what a draft published.

Says what will be deleted where and asks first (`--yes` skips the question, for scripts). Every part
of a thread goes, the last first. The draft records what was deleted and when; publishing it again
makes a new post. Exit 0: deleted everywhere; 1: not confirmed, or some could not be deleted;
2: bad usage, unreadable draft, nothing published.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "delete",
        help="withdraw a published post (a whole thread) from its accounts",
        description=(
            "Delete what a draft published, on every account or those named with --account, after saying "
            "what will be deleted where. The draft records it."
        ),
    )
    parser.add_argument("path", metavar="DRAFT", help="the draft: a file, or a draft id from `humane drafts list`")
    parser.add_argument("--account", dest="accounts", metavar="NAME", nargs="+", action="extend",
                        help="only on these accounts")
    parser.add_argument("--yes", action="store_true", help="do not ask; delete at once")
    parser.set_defaults(func=run)


def confirm(question: str) -> bool:
    """Ask on stderr, read one line from stdin: yes only for y or yes."""
    print(question, end=" ", file=sys.stderr, flush=True)
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


def run(args: argparse.Namespace) -> int:
    import asyncio

    from composer.commands import UsageError, load_config_or_usage
    from composer.commands.post import _load_draft
    from composer.dialogue.correct import published, withdrawal_plan

    config = load_config_or_usage()
    store, draft = _load_draft(args.path)
    names = published(draft, args.accounts)
    if not names:
        where = f" on {', '.join(args.accounts)}" if args.accounts else ""
        raise UsageError(f"{draft.path or args.path}: nothing is published{where}, so there is nothing to delete.")
    print("This deletes:")
    for line in withdrawal_plan(draft, names):
        print(f"  {line}")
    print("Replies to it stay where they are, without the post they answer. The draft keeps its text.")
    if not args.yes and not confirm("Delete? [y/N]"):
        print("Nothing was deleted.")
        return 1
    outcomes = asyncio.run(_withdraw(store, draft, names, config))
    ok = True
    for o in outcomes:
        ok = ok and o.ok
        print(f"{o.account}: {o.message}" if o.ok else f"{o.account}: not deleted: {o.message}")
    return 0 if ok else 1


async def _withdraw(store: Any, draft: Any, names: list[str], config: Any) -> list[Any]:
    from composer.accounts import SecretStore, open_client
    from composer.dialogue.correct import withdraw
    from composer.platforms.http import new_http_client

    secrets = SecretStore()
    async with new_http_client() as http:

        async def opener(name: str) -> Any:
            return await open_client(name, config=config, http=http, store=secrets)

        return await withdraw(store, draft, names, opener)
