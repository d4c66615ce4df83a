"""Where a key goes: a typed character is never thrown away.

`ComposerApp.on_event` asks `route_key` about every key before Textual forwards it to the focused
widget. A printable key (space included) typed where it cannot go (the findings list, an account
checkbox, a button, the publish panel, nothing focused, a list screen such as F2's or F3's) goes to
the text the writer was last in: the focus moves there first, synchronously, so the next key
follows it. A widget's own keys still act (Enter ticks an account, `a` in the findings list is
"mine to share", `v` verifies in F3). While a publish is on its way the text is read-only: keys are
held and typed in order once it is over; during the undo countdown a typed key cancels the publish
(the writer is still writing) and is typed. Esc from the side panels returns to the text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.widgets import Input, TextArea

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget

    from composer.tui.screens.compose import ComposeScreen

TEXT_KEYS = frozenset({"enter", "backspace", "delete", "left", "right", "up", "down", "home", "end"})
"""Editing keys held (with the printable ones) while a publish is on its way, to be replayed after."""

TAKEN_AS_TEXT = frozenset({"space"})
"""Keys that a checkbox or a button would take, but that a writer types as text: only a deliberate
key (Enter, a click) ticks an account or presses a button."""


def typed(event: events.Key) -> bool:
    """A key that puts a character in the text."""
    return event.is_printable and bool(event.character)


def is_text(widget: Widget | None) -> bool:
    """A field the writer types into (and that takes the key now)."""
    if isinstance(widget, TextArea):
        return not widget.read_only and not widget.disabled
    if isinstance(widget, Input):
        return not widget.disabled
    return False


def own_key(widget: Widget | None, key: str) -> bool:
    """`key` is one of the focused widget's own bindings (not the screen's or the app's)."""
    if widget is None or key in TAKEN_AS_TEXT:
        return False
    return bool(widget._bindings.key_to_bindings.get(key))


def bound_on(screen: object, key: str) -> bool:
    """`key` does something on `screen` (its own, its focused widget's or the app's bindings)."""
    try:
        return key in screen.active_bindings  # type: ignore[attr-defined]
    except Exception:
        return False


async def route_key(app: App, event: events.Key) -> bool:
    """Decide where `event` goes. True: it was dealt with here (held, or it did its job); False:
    Textual forwards it as usual, to the focus this may have just moved."""
    if event.is_forwarded:
        return False
    from composer.tui.screens.compose import ComposeScreen

    compose = next((s for s in app.screen_stack if isinstance(s, ComposeScreen)), None)
    if compose is None or not compose.ready:
        return False
    if any(b.priority for b in app._bindings.key_to_bindings.get(event.key, ())):
        return False  # Ctrl+Q and friends act wherever the focus is
    screen = app.screen
    if screen is not compose:
        if not getattr(screen, "RETURN_ON_TYPING", False) or is_text(app.focused):
            return False
        if not typed(event) or bound_on(screen, event.key):
            return await in_order(app, app.focused, event.key)
        # A list screen (drafts, accounts, help) or a question the writer typed past: back to the
        # text, once what was pressed before (an Enter opening a draft) is done.
        await drained(app.focused)
        while app.screen is not compose and getattr(app.screen, "RETURN_ON_TYPING", False):
            await app.screen.dismiss(None)
        if app.screen is not compose:
            return False
    return await route_on_compose(app, compose, event)


async def route_on_compose(app: App, compose: ComposeScreen, event: events.Key) -> bool:
    focused = compose.focused
    key = event.key
    if compose.publishing:
        if typed(event) or key in TEXT_KEYS:
            compose.hold_key(event)
            return True
        return await in_order(app, focused, key)
    if compose.counting_down and typed(event):
        compose.cancel_countdown_by_typing()
        focused = compose.focused
    if key == "escape" and not compose.counting_down and not is_text(focused):
        compose.focus_text()
        return True
    if typed(event):
        if not is_text(focused) and not own_key(focused, key):
            compose.focus_text()
        return False  # through the text field's queue, in order with the keys before it
    if is_text(focused) and (own_key(focused, key) or key in TEXT_KEYS):
        return False  # the text field's own editing keys: in its queue, in order
    return await in_order(app, focused, key)


async def in_order(app: App, focused: Widget | None, key: str) -> bool:
    """Run the screen's or the app's binding for `key` now, after the keys already sent to the
    focused field (and the changes they made) are handled, and before the next key is routed: a
    Tab, Ctrl+N or F3 then moves the focus or the draft exactly between the keys typed around it."""
    await drained(focused)
    return await app._check_bindings(key)


async def drained(widget: Widget | None, timeout: float = 1.0) -> None:
    """Wait until `widget` and its ancestors up to the screen have handled what is in their queues."""
    import asyncio
    import contextlib

    from textual.screen import Screen

    node: Any = widget
    while node is not None:
        done = asyncio.Event()
        if node.call_later(done.set):
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(done.wait(), timeout)
        if isinstance(node, Screen):
            break
        node = node.parent
