"""`humane outbox list|flush|reset`: posts that wait to be sent, and sending them now."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from composer.commands import action, command_group


def register(subparsers: Any) -> None:
    sub = command_group(
        subparsers, "outbox", "see and send the posts that wait to go out",
        "A publish that could not go out (offline, server down, rate-limited) waits in the outbox "
        "and is retried with backoff. The outbox is the publish state saved in each draft file.",
    )
    lst = action(sub, "list", run_list, "what waits, for which account, why, and the next try",
                 "List what waits in the outbox.")
    lst.add_argument("--all", action="store_true", help="also list failed deliveries, which wait for you")
    flush = action(sub, "flush", run_flush, "try to send what waits now",
                   "Send every waiting post whose next try has come.")
    flush.add_argument("--force", action="store_true", help="do not wait for the next try: send everything now")
    reset = action(
        sub, "reset", run_reset, "forget a failed delivery so the next publish sends the current text anew",
        "Forget the publish state of a draft for one account (after you checked the account): "
        "its retry keys are dropped, so publishing again sends the current text as a new post.",
    )
    reset.add_argument("id", metavar="ID", help="the draft's id")
    reset.add_argument("account", metavar="ACCOUNT")
    mark = action(
        sub, "mark-sent", run_mark_sent,
        "record that a post you checked is already on the account, so it is never sent again",
        "After a send whose outcome was unknown (your site or the network failed mid-way), check the "
        "account; if the post is there, mark it as sent so no retry posts it twice.",
    )
    mark.add_argument("id", metavar="ID", help="the draft's id")
    mark.add_argument("account", metavar="ACCOUNT")
    mark.add_argument("--url", help="the post's address, if you want it recorded")


def _relative(when: Any, now: Any) -> str:
    if when is None or when <= now:
        return "now"
    seconds = int((when - now).total_seconds())
    if seconds < 90:
        text = f"in {seconds} s"
    elif seconds < 90 * 60:
        text = f"in {round(seconds / 60)} min"
    elif seconds < 36 * 3600:
        text = f"in {round(seconds / 3600)} h"
    else:
        text = f"in {round(seconds / 86400)} days"
    return f"{text} ({when.astimezone().strftime('%H:%M')})"


def _short(text: str | None, width: int = 70) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def run_list(args: argparse.Namespace) -> int:
    from composer.drafts import DraftStore
    from composer.drafts.model import now
    from composer.drafts.outbox import pending

    store = DraftStore()
    errors: list[Any] = []
    items = pending(store, include_failed=args.all, errors=errors)
    at = now()
    if not items:
        print("The outbox is empty: nothing waits to be sent.")
    else:
        rows = [["DRAFT", "ACCOUNT", "STATUS", "TRIES", "NEXT TRY", "WHY"]]
        for i in items:
            if i.status == "failed":
                nxt = "when you act"
            elif i.status == "sending":
                nxt = "now (interrupted)"
            else:
                nxt = _relative(i.next_try, at)
            rows.append([i.draft_id, i.account, i.status, str(i.attempts), nxt, _short(i.error) or "-"])
        widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
        for r in rows:
            print("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip())
    if not args.all:
        failed = [i for i in pending(store, include_failed=True) if i.status == "failed"]
        if failed:
            print(f"\n{len(failed)} failed deliver{'y waits' if len(failed) == 1 else 'ies wait'} for you: "
                  "humane outbox list --all")
    for err in errors:
        print(f"humane: skipped unreadable {err}", file=sys.stderr)
    return 0


def run_flush(args: argparse.Namespace) -> int:
    import asyncio

    from composer.accounts import client_opener
    from composer.commands import load_config_or_usage
    from composer.drafts import DraftStore
    from composer.drafts.model import now
    from composer.drafts.outbox import pending
    from composer.publish import flush_outbox

    config = load_config_or_usage()

    store = DraftStore()
    waiting = pending(store)
    if not waiting:
        print("The outbox is empty: nothing waits to be sent.")
        return 0

    def show(draft_id: str, account: str, delivery: Any) -> None:
        if delivery.status == "sent":
            print(f"{draft_id} -> {account}: sent {delivery.url or ''}".rstrip())
        elif delivery.status == "queued":
            print(f"{draft_id} -> {account}: still waiting ({_short(delivery.error)}); "
                  f"next try {_relative(delivery.next_try, now())}")
        elif delivery.status == "failed":
            print(f"{draft_id} -> {account}: failed: {delivery.error}")

    async def main() -> list[Any]:
        async with client_opener(config) as opener:
            return await flush_outbox(store, opener, force=args.force)

    results = asyncio.run(main())
    if not results:
        soonest = min((i.next_try for i in waiting if i.next_try), default=None)
        print(f"Nothing is due yet: {len(waiting)} waiting, next try {_relative(soonest, now())}. "
              "Send now with: humane outbox flush --force")
        return 1
    ok = True
    for r in results:
        if r.delivery is None:
            ok = False
            print(f"{r.draft_id} -> {r.account}: not tried: {r.problem}")
        else:
            show(r.draft_id, r.account, r.delivery)
            ok = ok and r.delivery.status == "sent"
    return 0 if ok else 1


def run_reset(args: argparse.Namespace) -> int:
    from composer.commands import UsageError
    from composer.drafts import DraftError, DraftNotFound, DraftStore
    from composer.publish import reset_delivery

    store = DraftStore()
    try:
        draft_id = store.resolve(args.id).stem
        reset_delivery(store, draft_id, args.account)
    except (DraftNotFound, DraftError, ValueError) as err:
        raise UsageError(str(err)) from None
    except KeyError as err:
        raise UsageError(str(err.args[0]) if err.args else "no such delivery") from None
    print(f"Forgot the publish state of {draft_id} for {args.account}; publishing again sends the current text.")
    return 0


def run_mark_sent(args: argparse.Namespace) -> int:
    from composer.commands import UsageError
    from composer.drafts import DraftError, DraftNotFound, DraftStore
    from composer.publish import mark_sent

    store = DraftStore()
    try:
        draft_id = store.resolve(args.id).stem
        delivery = mark_sent(store, draft_id, args.account, args.url)
    except (DraftNotFound, DraftError, ValueError) as err:
        raise UsageError(str(err)) from None
    except KeyError as err:
        raise UsageError(str(err.args[0]) if err.args else "no such delivery") from None
    where = f" ({delivery.url})" if delivery.url else ""
    print(f"Marked {draft_id} as published to {args.account}{where}; it will not be sent again.")
    return 0
