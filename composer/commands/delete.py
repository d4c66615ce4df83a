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
    from composer.commands import command

    parser = command(
        subparsers, "delete", run,
        help="withdraw a published post (a whole thread) from its accounts",
        description=(
            "Delete what a draft published, on every account or those named with --account, after saying "
            "what will be deleted where. The draft records it."
        ),
        draft="DRAFT", accounts="only on these accounts",
    )
    parser.add_argument("--yes", action="store_true", help="do not ask; delete at once")


def confirm(question: str) -> bool:
    """Ask on stderr, read one line from stdin: yes only for y or yes."""
    print(question, end=" ", file=sys.stderr, flush=True)
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


def run(args: argparse.Namespace) -> int:
    import asyncio

    from composer.commands import load_config_or_usage, load_draft

    config = load_config_or_usage()
    store, draft = load_draft(args.path)
    names = published_on(draft, args, ", so there is nothing to delete.")
    plan = (
        "This deletes:",
        "Replies to it stay where they are, without the post they answer. The draft keeps its text.",
        "Delete? [y/N]",
        "Nothing was deleted.",
    )
    if not agreed(draft, names, *plan, yes=args.yes):
        return 1
    return print_outcomes(asyncio.run(_withdraw(store, draft, names, config)), "not deleted")


def agreed(draft: Any, names: list[str], head: str, note: str, question: str, declined: str, *, yes: bool) -> bool:
    """Say what will be deleted where (`head`, one line per post, `note`) and ask `question` (not
    with `yes`); False, after saying `declined`, when the writer does not agree."""
    from composer.dialogue.correct import withdrawal_plan

    print(head)
    for line in withdrawal_plan(draft, names):
        print(f"  {line}")
    print(note)
    if not yes and not confirm(question):
        print(declined)
        return False
    return True


def published_on(draft: Any, args: argparse.Namespace, otherwise: str, *, sent_only: bool = False) -> list[str]:
    """The accounts (all, or `args.accounts`) the draft published to (`sent_only`: and that stand
    published, not withdrawn); UsageError when there are none, ending with `otherwise`."""
    from composer.commands import UsageError
    from composer.dialogue.correct import published

    names = published(draft, args.accounts)
    if sent_only:
        names = [n for n in names if draft.deliveries[n].status == "sent"]
    if not names:
        where = f" on {', '.join(args.accounts)}" if args.accounts else ""
        raise UsageError(f"{draft.path or args.path}: nothing is published{where}{otherwise}")
    return names


def print_outcomes(outcomes: list[Any], failed: str) -> int:
    """One line per account (`failed`: how a failure starts); exit 0 when all went well, else 1."""
    ok = True
    for o in outcomes:
        ok = ok and o.ok
        print(f"{o.account}: {o.message}" if o.ok else f"{o.account}: {failed}: {o.message}")
    return 0 if ok else 1


async def _withdraw(store: Any, draft: Any, names: list[str], config: Any) -> list[Any]:
    from composer.accounts import client_opener
    from composer.dialogue.correct import withdraw

    async with client_opener(config) as opener:
        return await withdraw(store, draft, names, opener)
