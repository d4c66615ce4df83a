"""The command palette (Ctrl+P): every action of the composer, by name, with its key."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from textual.app import App, SystemCommand

if TYPE_CHECKING:
    from composer.tui.screens.compose import ComposeScreen


class Command(NamedTuple):
    title: str
    help: str
    action: str
    """The `action_<name>` it runs: the compose screen's (`on_compose`) or the app's."""
    on_compose: bool = False
    """Run on the compose screen, after closing the screens above it."""


COMMANDS = (
    Command("Publish", "Publish the draft to the ticked accounts (Ctrl+J)", "publish", True),
    Command("Save", "Save the draft now (Ctrl+S)", "save", True),
    Command("Edit in your editor", "Hand the text to $VISUAL / $EDITOR (Ctrl+G)", "external_editor", True),
    Command("Next finding", "Select the next flagged span in the text (F8)", "next_finding", True),
    Command("Attach image", "Attach an image with its alt text (F6)", "attach_image", True),
    Command("Mine to share", "The flagged words under the cursor are yours to share: allow them from now on "
            "(A in the findings list)", "mine_to_share", True),
    Command("Cancel publishing", "Stop a publish during its undo window (Esc)", "cancel_publish", True),
    Command("New draft", "Start a new draft (Ctrl+N)", "new_draft"),
    Command("Drafts", "Open, create or delete drafts (Ctrl+O)", "drafts"),
    Command("Accounts", "List and verify accounts; how to add one (F3)", "accounts"),
    Command("Replies", "Read the replies to your posts, calmly, and answer one (F5)", "replies"),
    Command("Delete the published post", "Withdraw what this draft published, after saying what goes where",
            "withdraw", True),
    Command("Publish the correction",
            "Edit the published post in place where the platform can (else delete and repost)", "correct", True),
    Command("Help", "What each guideline checks and why (F1)", "help"),
    Command("Light or dark", "Switch between the light and the dark theme", "toggle_light"),
    Command("Quit", "Save the draft and quit (Ctrl+Q)", "quit"),
)
"""In the order the palette lists them (Textual's own commands follow, but its Quit and Keys)."""


def system_commands(app: App[Any], compose: ComposeScreen | None) -> Iterator[SystemCommand]:
    """The palette's commands for `app`, whose compose screen is `compose` (None: not up)."""

    def on_compose(action: str) -> Callable[[], Any]:
        async def run() -> None:
            if compose is None:
                return
            while len(app.screen_stack) > 1 and app.screen is not compose:
                await app.pop_screen()
            await compose.run_action(action)

        return run

    for command in COMMANDS:
        if command.action == "mine_to_share":
            if compose is not None:
                yield SystemCommand(command.title, command.help, _mine_to_share(compose))
        elif command.on_compose:
            yield SystemCommand(command.title, command.help, on_compose(command.action))
        else:
            yield SystemCommand(command.title, command.help, getattr(app, f"action_{command.action}"))


def _mine_to_share(compose: ComposeScreen) -> Callable[[], None]:
    from composer.tui.allow import allow_finding, selected_finding

    return lambda: allow_finding(compose, selected_finding(compose))

