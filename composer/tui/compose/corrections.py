"""Changing what a draft published, from the compose screen (palette commands): deleting it, and
publishing the edited text over it (`composer.dialogue.correct`), each after a confirmation that
says what goes where."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from composer.drafts import Draft
    from composer.tui.compose.publishing import Job
    from composer.tui.screens.compose import ComposeScreen


def _published_here(screen: ComposeScreen) -> tuple[Draft, list[str]] | None:
    """The open draft and the configured accounts it is published on; None (and why) when none."""
    from composer.dialogue.correct import published

    draft = screen.composer.draft
    if draft is None:
        return None
    if screen.publisher.wait_if_busy():
        return None
    names = [n for n in published(draft) if n in screen.composer.config.accounts]
    if not names:
        screen.notify("Nothing of this draft is published on your accounts.", title="Nothing to change")
        return None
    return draft, names


def withdraw(screen: ComposeScreen) -> None:
    """Delete what the open draft published, after a confirmation that says what goes where."""
    from composer.dialogue.correct import withdrawal_plan
    from composer.tui.screens.dialogs import ConfirmModal

    found = _published_here(screen)
    if found is None:
        return
    draft, names = found
    text = ("This deletes:\n" + "\n".join(f"  {line}" for line in withdrawal_plan(draft, names))
            + "\n\nReplies to it stay where they are, without the post they answer. The draft keeps its "
            "text and a record of the deletion.")

    def answer(yes: bool | None) -> None:
        if yes:
            _run(screen, names, "withdraw")

    screen.app.push_screen(ConfirmModal("Delete the published post?", text, "Delete"), answer)


def correct(screen: ComposeScreen) -> None:
    """Publish the edited text over what the open draft published: in place where the platform can;
    elsewhere, after a warning that the replies are detached, deleted and published again."""
    from composer.dialogue.correct import can_edit, withdrawal_plan
    from composer.publish import check_publish
    from composer.tui.screens.dialogs import ConfirmModal

    found = _published_here(screen)
    if found is None:
        return
    draft, names = found
    app = screen.composer
    app.save_now(quiet=True)
    check = check_publish(draft, names, app.config, body=screen.editor.text, purpose=screen.purpose.value,
                          config_error=app.config_error, analyzer=app.analyzer)
    if check.blocker not in (None, "already-published"):
        screen.publisher.show_blocked(check)
        return
    config = app.config.accounts
    reposts = [n for n in names if not can_edit(config[n].platform)]
    if not reposts:
        _run(screen, names, "edit")
        return
    text = ("These cannot be edited in place; they will be deleted and the correction published as new posts:\n"
            + "\n".join(f"  {line}" for line in withdrawal_plan(draft, reposts))
            + "\n\nTheir replies will be detached: they stay with the deleted posts and do not follow the new "
            "ones. Cancel edits only where the platform can edit in place.")

    def answer(yes: bool | None) -> None:
        _run(screen, names if yes else [n for n in names if n not in reposts], "repost" if yes else "edit")

    screen.app.push_screen(ConfirmModal("Delete and publish again?", text, "Delete and repost"), answer)


def _run(screen: ComposeScreen, names: list[str], how: str) -> None:
    work: Job = partial(_change, screen, names, how)
    screen.run_worker(work, name="correct", group="correct", exclusive=True,
                      exit_on_error=False, description="delete or edit published posts")


async def _change(screen: ComposeScreen, names: list[str], how: str) -> None:
    """Delete ("withdraw"), edit in place ("edit") or delete and publish again ("repost"), then say
    what happened on each account."""
    from composer.dialogue.correct import correct as correct_posts
    from composer.dialogue.correct import withdraw as withdraw_posts

    app = screen.composer
    draft = app.draft
    if draft is None or not names:
        return
    fresh = await asyncio.to_thread(app.store.load, draft.path or draft.id)
    if how == "withdraw":
        outcomes = await withdraw_posts(app.store, fresh, names, app.open_client, release=app.release_client)
    else:
        outcomes = await correct_posts(app.store, fresh, names, app.open_client, repost=how == "repost",
                                 release=app.release_client)
    await asyncio.to_thread(app.session.refresh_deliveries)
    for o in outcomes:
        if o.delivery is not None:
            screen.publisher.show_delivery(o.account, o.delivery)
    bad = [o for o in outcomes if not o.ok]
    lines = [f"{o.account}: {o.message}" for o in outcomes]
    title = {"withdraw": "Delete", "edit": "Correction", "repost": "Correction"}[how]
    screen.notify("\n".join(lines), title=title, severity="warning" if bad else "information", timeout=10)
