"""`humane edit DRAFT [--account NAME...] [--repost]`: publish a draft's corrected text over what it
published.

The same gate as `humane post` (guideline errors stop it). Where the platform edits in place
(Mastodon), each changed part is edited: the post keeps its id, its address and its replies. Where
it cannot (Bluesky has no edit), it says so and changes nothing; `--repost` then deletes the post and
publishes the correction as a new one, after a warning that its replies are detached (`--yes` skips
the question). The draft records every edit and deletion. Exit 0: corrected everywhere; 1: some
not; 2: bad usage, unreadable draft, guideline errors.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "edit",
        help="publish a draft's corrected text over what it published",
        description=(
            "Edit a published post in place where the platform allows it (Mastodon); elsewhere, with --repost, "
            "delete it and publish the correction as a new post (its replies are detached)."
        ),
    )
    parser.add_argument("path", metavar="DRAFT", help="the draft: a file, or a draft id from `humane drafts list`")
    parser.add_argument("--account", dest="accounts", metavar="NAME", nargs="+", action="extend",
                        help="only on these accounts")
    parser.add_argument("--repost", action="store_true",
                        help="where a post cannot be edited in place, delete it and publish the correction anew")
    parser.add_argument("--yes", action="store_true", help="do not ask before deleting for a repost")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import asyncio

    from composer.commands import UsageError, load_config_or_usage
    from composer.commands.delete import confirm
    from composer.commands.post import _load_draft, print_findings
    from composer.dialogue.correct import can_edit, published, withdrawal_plan
    from composer.publish import check_publish

    config = load_config_or_usage()
    store, draft = _load_draft(args.path)
    names = [n for n in published(draft, args.accounts) if draft.deliveries[n].status == "sent"]
    if not names:
        where = f" on {', '.join(args.accounts)}" if args.accounts else ""
        raise UsageError(f"{draft.path or args.path}: nothing is published{where}; `humane post` publishes it.")
    check = check_publish(draft, names, config)
    if check.report is not None:
        print_findings(draft, check.report)
    if check.blocker in ("guidelines", "checks"):
        why = "fix the errors above" if check.blocker == "guidelines" else check.message
        print(f"humane: not corrected: {why}", file=sys.stderr)
        return 2
    if check.blocker not in (None, "already-published"):
        raise UsageError(check.message)
    reposts = [n for n in names if not can_edit(config.accounts[n].platform)]
    if args.repost and reposts:
        print("These cannot be edited in place; they will be deleted and published again:")
        for line in withdrawal_plan(draft, reposts):
            print(f"  {line}")
        print("Their replies will be detached: they stay with the deleted posts and do not follow the new ones.")
        if not args.yes and not confirm("Delete and publish again? [y/N]"):
            print("Nothing was changed.")
            return 1
    outcomes = asyncio.run(_correct(store, draft, names, config, args.repost))
    ok = True
    for o in outcomes:
        ok = ok and o.ok
        print(f"{o.account}: {o.message}" if o.ok else f"{o.account}: not corrected: {o.message}")
    return 0 if ok else 1


async def _correct(store: Any, draft: Any, names: list[str], config: Any, repost: bool) -> list[Any]:
    from composer.accounts import SecretStore, open_client
    from composer.dialogue.correct import correct
    from composer.platforms.http import new_http_client

    secrets = SecretStore()
    async with new_http_client() as http:

        async def opener(name: str) -> Any:
            return await open_client(name, config=config, http=http, store=secrets)

        return await correct(store, draft, names, opener, repost=repost)
