"""F5: the replies to the writer's published posts, read calmly (composer/dialogue/replies.py).

Grouped by the post they answer, the oldest unread first; no counts, no badges. A folded reply
shows one line with its reasons until the writer opens it (Enter). R starts a draft that answers
the reply under the cursor. The servers are asked once per session, in a worker; F5 asks again."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from composer.tui.screens.base import ComposerScreen

if TYPE_CHECKING:
    from composer.dialogue.replies import Item, Listing

HELP = "↑↓ move · Enter (or O) opens a folded reply · R answers the reply · F5 asks the servers again · Esc back"


class RepliesScreen(ComposerScreen[None]):
    """The replies, grouped by post; folded ones open on Enter; R answers."""

    DEFAULT_CSS = """
        #replies-status {
            color: $text-muted;
            margin-bottom: 1;
        }

        #replies-problems {
            color: $text-warning;
            margin-bottom: 1;
        }

        #replies-problems.hidden {
            display: none;
        }

        #replies-list {
            height: 1fr;
        }
    """

    HEADING = "Replies"
    BODY_ID = "replies-body"
    COMPACT_FOOTER = False

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="replies-back"),
        Binding("o", "open_reply", "Open folded", id="replies-open"),
        Binding("r", "answer", "Answer", id="replies-answer"),
        Binding("f5", "refresh", "Ask again", id="replies-refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.listing: Listing | None = None
        self.opened: set[tuple[str, str]] = set()
        """Folded replies the writer opened (account, id)."""
        self._items: dict[str, Item] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("Reading the replies…", id="replies-status")
        yield Static("", id="replies-problems", classes="hidden")
        yield OptionList(id="replies-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        if not self.composer.config.accounts:
            self._status("No accounts yet: add one (F3 says how), publish, and the replies show here.")
            return
        self.load()

    def _status(self, text: str) -> None:
        self.query_one("#replies-status", Static).update(Text(text))

    @work(exclusive=True, group="replies", exit_on_error=False, description="read the replies")
    async def load(self, refresh: bool = False) -> None:
        from composer.words import explain

        session = self.composer.replies_session()
        self._status("Asking the servers…" if refresh else "Reading the replies…")
        try:
            listing = await session.load(refresh=refresh)
        except Exception as err:  # the drafts folder unreadable, a bug: one line, never a traceback
            self._status(f"The replies could not be read: {explain(err)}")
            return
        self.show(listing)
        await asyncio.to_thread(session.mark_seen, listing.items)

    def show(self, listing: Listing) -> None:
        self.listing = listing
        problems = self.query_one("#replies-problems", Static)
        if listing.problems:
            problems.update(Text("\n".join(f"{a}: {p}" for a, p in listing.problems.items())))
        problems.set_class(not listing.problems, "hidden")
        new = len(listing.unread)
        if not listing.items:
            self._status("No replies to your published posts yet. " + HELP)
        else:
            posts = len([g for g in listing.groups() if g[0] is not None])
            head = f"{new} new" if new else "Nothing new"
            self._status(f"{head}; {len(listing.items)} in all, on {posts} post{'s' if posts != 1 else ''}. {HELP}")
        self._fill()

    def _fill(self) -> None:
        assert self.listing is not None
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        self._items = {}
        for post, members in self.listing.groups():
            if post is not None:
                title = post.title if len(post.title) <= 60 else post.title[:59] + "…"
                head = Text(f"On “{title}” · {post.account}", style="bold")
            else:
                head = Text(f"Mentions · {members[0].account}", style="bold")
            options.add_option(Option(head, disabled=True))
            for item in members:
                oid = f"reply-{len(self._items)}"
                self._items[oid] = item
                options.add_option(Option(self._prompt(item), id=oid))
        if highlighted is not None and highlighted < options.option_count:
            options.highlighted = highlighted
        else:
            first = next(iter(self._items), None)
            if first is not None:
                options.highlighted = options.get_option_index(first)

    def _prompt(self, item: Item) -> Text:
        when = item.reply.created_at[:16].replace("T", " ")
        text = Text()
        text.append(f"{item.reply.author}", style="bold" if not item.seen else "")
        text.append(f" · {when}" + (" · seen" if item.seen else ""), style="dim")
        text.append("\n")
        if item.folded and item.key not in self.opened:
            text.append(f"  {item.folded_line()} Enter opens it.", style="italic")
        else:
            body = "\n".join(f"  {line}" for line in (item.reply.text.splitlines() or [""]))
            text.append(body, style="dim" if item.seen else "")
        return text

    def current(self) -> Item | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        option = options.get_option_at_index(options.highlighted)
        return self._items.get(option.id or "")

    @on(OptionList.OptionSelected, "#replies-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open_reply()

    def action_open_reply(self) -> None:
        item = self.current()
        if item is None or not item.folded:
            return
        if item.key in self.opened:
            self.opened.discard(item.key)
        else:
            self.opened.add(item.key)
        options = self.query_one(OptionList)
        for oid, it in self._items.items():
            if it is item:
                options.replace_option_prompt(oid, self._prompt(item))

    def action_answer(self) -> None:
        item = self.current()
        if item is None:
            self.notify("Move to a reply first.", title="Replies")
            return
        self.answer(item)

    @work(exclusive=True, group="answer", exit_on_error=False, description="start an answer")
    async def answer(self, item: Item) -> None:
        from composer.dialogue.replies import new_answer
        from composer.words import explain

        app = self.composer
        app.save_now(quiet=True)
        try:
            draft = await asyncio.to_thread(new_answer, app.store, item)
        except Exception as err:
            self.notify(explain(err), title="The answer could not be started", severity="error")
            return
        app.open_draft(draft)
        self.dismiss()
        self.notify(f"Answering {item.reply.author} on {item.account}: Ctrl+J publishes it as a reply.",
                    title="Answer", timeout=6)

    def action_refresh(self) -> None:
        self.load(refresh=True)
