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
from typing import Any


def register(subparsers: Any) -> None:
    from composer.commands import command

    parser = command(
        subparsers, "edit", run,
        help="publish a draft's corrected text over what it published",
        description=(
            "Edit a published post in place where the platform allows it (Mastodon); elsewhere, with --repost, "
            "delete it and publish the correction as a new post (its replies are detached)."
        ),
        draft="DRAFT", accounts="only on these accounts",
    )
    parser.add_argument("--repost", action="store_true",
                        help="where a post cannot be edited in place, delete it and publish the correction anew")
    parser.add_argument("--yes", action="store_true", help="do not ask before deleting for a repost")


def run(args: argparse.Namespace) -> int:
    import asyncio

    from composer.commands import UsageError, load_config_or_usage, load_draft
    from composer.commands.delete import agreed, print_outcomes, published_on
    from composer.commands.post import stopped_by_checks
    from composer.dialogue.correct import can_edit
    from composer.publish import check_publish

    config = load_config_or_usage()
    store, draft = load_draft(args.path)
    names = published_on(draft, args, "; `humane post` publishes it.", sent_only=True)
    check = check_publish(draft, names, config)
    if stopped_by_checks(draft, check, "not corrected", "fix the errors above"):
        return 2
    if check.blocker not in (None, "already-published"):
        raise UsageError(check.message)
    reposts = [n for n in names if not can_edit(config.accounts[n].platform)]
    plan = (
        "These cannot be edited in place; they will be deleted and published again:",
        "Their replies will be detached: they stay with the deleted posts and do not follow the new ones.",
        "Delete and publish again? [y/N]",
        "Nothing was changed.",
    )
    if args.repost and reposts and not agreed(draft, reposts, *plan, yes=args.yes):
        return 1
    return print_outcomes(asyncio.run(_correct(store, draft, names, config, args.repost)), "not corrected")


async def _correct(store: Any, draft: Any, names: list[str], config: Any, repost: bool) -> list[Any]:
    from composer.accounts import client_opener
    from composer.dialogue.correct import correct

    async with client_opener(config) as opener:
        return await correct(store, draft, names, opener, repost=repost)
