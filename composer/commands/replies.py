"""`humane replies`: the replies to the writer's published posts, calmly.

Grouped by the post they answer, the oldest unread first; no counts of likes or followers. A reply
that carries hate, obscene language or someone's personal information is folded: one line with the
reasons, its words shown only with `--open REF`. Only what is new since the last listing is shown
(`--all` shows the earlier ones again); nothing is marked read on any server.
Exit 0: read; 1: some accounts could not be read; 2: bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from composer.dialogue.replies import Item, Listing


def register(subparsers: Any) -> None:
    from composer.commands import command

    parser = command(
        subparsers, "replies", run,
        help="read the replies to your published posts, calmly",
        description=(
            "List the replies and mentions your published posts received, grouped by post, the oldest "
            "unread first, without counts of likes or followers. Replies with hate, obscene language or "
            "someone's personal information are folded (one line with the reasons) until you open them "
            "with --open REF. Answer one with a draft whose front matter says reply_to = \"REF\"."
        ),
        accounts="only these accounts (default: every account in config.toml)",
    )
    parser.add_argument("--since", metavar="DATE", help="only replies written since DATE (2026-12-01, or a time)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--all", action="store_true", help="also show the replies an earlier listing showed")
    parser.add_argument("--open", dest="open", metavar="REF", nargs="+", action="extend", default=[],
                        help="show these folded replies in full")
    parser.add_argument("--answer", metavar="REF",
                        help="start a draft that answers this reply (prints its path; write it, then `humane post`)")


def _since(value: str | None) -> datetime | None:
    from composer.commands import UsageError

    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--since {value!r} is not a date; write it like 2026-12-01 or 2026-12-01T09:30") from None
    return when if when.tzinfo else when.astimezone()


def run(args: argparse.Namespace) -> int:
    import asyncio

    from composer.commands import UsageError, load_config_or_usage

    config = load_config_or_usage()
    since = _since(args.since)
    names = list(dict.fromkeys(args.accounts or config.accounts))
    unknown = [n for n in names if n not in config.accounts]
    if unknown:
        known = ", ".join(sorted(config.accounts)) or "none yet; add one with `humane accounts add`"
        raise UsageError(f"no account named {', '.join(repr(n) for n in unknown)} (accounts: {known}).")
    if not names:
        raise UsageError("There are no accounts yet: add one with `humane accounts add`.")
    listing = asyncio.run(_read(config, names, since))
    if args.answer:
        return _answer(listing, args.answer)
    return _print(listing, args)


def _answer(listing: Listing, ref: str) -> int:
    from composer.commands import UsageError
    from composer.dialogue.replies import new_answer
    from composer.drafts import DraftStore

    item = next((i for i in listing.items if i.ref == ref.strip()), None)
    if item is None:
        raise UsageError(f"no reply {ref!r} among the replies listed now (`humane replies --all` lists them with their refs).")
    draft = new_answer(DraftStore(), item)
    print(f"{draft.path}")
    print(f"Answering {item.reply.author} on {item.account}: write the answer (humane {draft.path}), then "
          f"`humane post {draft.path} --to {item.account}` publishes it as a reply.", file=sys.stderr)
    return 0


async def _read(config: Any, names: list[str], since: datetime | None) -> Listing:
    from composer.accounts import client_opener
    from composer.dialogue.replies import RepliesSession
    from composer.dialogue.seen import SeenStore
    from composer.drafts import DraftStore

    store = DraftStore()
    async with client_opener(config) as opener:
        session = RepliesSession(store, names, opener, seen=SeenStore(store.root), settings=config.guidelines)
        listing = await session.load(since=since)
    session.mark_seen(listing.items)
    return listing


def _print(listing: Listing, args: argparse.Namespace) -> int:
    items = listing.items if args.all else listing.unread
    opened = set(args.open)
    if args.format == "json":
        print(json.dumps([i.to_json() for i in items], ensure_ascii=False, indent=2))
    else:
        _print_text(listing, items, opened, args.all)
    for account, problem in listing.problems.items():
        print(f"humane: {account}: {problem}", file=sys.stderr)
    return 1 if listing.problems else 0


def _print_text(listing: Listing, items: list[Item], opened: set[str], everything: bool) -> None:
    if not items:
        print("No new replies." + ("" if everything else " (`humane replies --all` shows the earlier ones.)"))
        return
    shown = {i.key for i in items}
    first = True
    for post, members in listing.groups():
        members = [m for m in members if m.key in shown]
        if not members:
            continue
        if not first:
            print()
        first = False
        if post is not None:
            title = post.title if len(post.title) <= 60 else post.title[:59] + "…"
            print(f"On “{title}” ({post.account}{', ' + post.url if post.url else ''}):")
        else:
            print(f"Mentions ({members[0].account}):")
        for item in members:
            print(_item_text(item, item.ref in opened))


def _item_text(item: Item, opened: bool) -> str:
    when = item.reply.created_at[:16].replace("T", " ")
    head = f"  {item.reply.author} · {when} · ref {item.ref}" + (" · seen before" if item.seen else "")
    if item.folded and not opened:
        return f"{head}\n    {item.folded_line()} Open it: humane replies --all --open {item.ref}"
    lines = item.reply.text.splitlines() or [""]
    body = "\n".join(f"    {line}" for line in lines)
    if item.reply.url:
        body += f"\n    {item.reply.url}"
    return f"{head}\n{body}"
