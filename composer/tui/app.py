"""The composer app: `humane` opens it; `make_app(...)` builds it for tests and benchmarks.

The app holds what outlives a screen: the config (`tui/settings.py`: read, followed, its theme),
the draft session (`composer.drafts.DraftSession`: the draft being written, its autosave and crash
recovery) and the way to reach an account (`tui/clients.py`, injectable for tests). Screens reach
these through `composer.tui.host.Host`; the core never calls back into the UI. The palette's
commands are in `tui/palette.py`.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from composer.tui.clients import Clients, OpenClient
from composer.tui.settings import (
    CONFIG_POLL,
    DARK_THEME,
    LIGHT_THEME,
    ConfigFile,
    peek_theme,
    remember_theme,
    theme_name,
)

if TYPE_CHECKING:
    from composer.config import Config
    from composer.dialogue.replies import RepliesSession
    from composer.drafts import Autosaver, Draft, DraftSession, DraftStore
    from composer.platforms.base import PlatformClient
    from composer.tui.messages import Saved
    from composer.tui.screens.compose import ComposeScreen

AUTOSAVE_POLL = 0.25
"""How often the app asks the autosaver whether a write is due (the write runs in a thread)."""



class ComposerApp(App[int]):
    """Humane Composer."""

    CSS_PATH = Path(__file__).parent / "composer.tcss"
    TITLE = "Humane Composer"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("f1", "help", "Help", id="help"),
        Binding("ctrl+o,f2", "drafts", "Drafts", id="drafts"),
        Binding("f3", "accounts", "Accounts", id="accounts"),
        Binding("f5", "replies", "Replies", id="replies", show=False),  # in F1 and Ctrl+P: the footer is full at 80 columns
        Binding("ctrl+n", "new_draft", "New", id="new-draft", show=False),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True, show=False),  # in F1 and the palette
    ]

    def __init__(
        self,
        *,
        config: Config | None = None,
        config_error: str = "",
        store: DraftStore | None = None,
        data_dir: str | os.PathLike[str] | None = None,
        draft: Draft | None = None,
        notice: str = "",
        open_client: OpenClient | None = None,
        recover: bool = True,
        warm_up: bool = True,
        cursor_blink: bool = True,
        analyzer: Callable[..., Any] | None = None,
    ) -> None:
        super().__init__()
        self.analyzer = analyzer
        """Replaces composer.guidelines.analyze (tests pin findings with it); None: the real one."""
        self.settings = ConfigFile(config, config_error)
        """config.toml: the settings in use, and whether the file changed (tui/settings.py)."""
        self._store = store
        self._data_dir = data_dir
        self._session: DraftSession | None = None
        self.cursor_blink = cursor_blink
        self.started = time.perf_counter()
        self.saved_at: float | None = None
        self._initial_draft = draft
        self._notice = notice
        self.clients = Clients(open_client)
        """How the app reaches an account (tui/clients.py)."""
        self._recover = recover
        self._warm_up = warm_up
        self._warming = False
        self._saving = False
        self._saved_shown: tuple[str, bool] = ("", False)
        self._replies: Any = None
        """The replies of this session (composer/dialogue), made when F5 is first pressed."""
        self._theme_saved = ""

    @property
    def config(self) -> Config:
        """The settings (config.toml is read on first use, just after the first frame)."""
        return self.settings.config

    @config.setter
    def config(self, value: Config) -> None:
        self.settings.current = value

    @property
    def config_error(self) -> str:
        """Why config.toml could not be used (shown plainly; the app runs on defaults)."""
        _ = self.config  # reading the config fills in why it cannot be used
        return self.settings.error

    @property
    def session(self) -> DraftSession:
        """The draft session (made on first use: importing the drafts code waits for the first frame)."""
        if self._session is None:
            from composer.drafts import DraftSession

            self._session = DraftSession(self._store, data_dir=self._data_dir)
        return self._session

    @property
    def store(self) -> DraftStore:
        """The drafts folder."""
        return self.session.store

    @property
    def draft(self) -> Draft | None:
        """The draft being written (the autosaver's object: it follows every edit)."""
        return None if self._session is None else self._session.draft

    # ------------------------------------------------------------------ keys
    async def on_event(self, event: events.Event) -> None:
        """Every key is routed first (composer/tui/keys.py): a typed character is never dropped."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            from composer.tui.keys import route_key

            if await route_key(self, event):
                return
        await super().on_event(event)

    # ------------------------------------------------------------------ start and stop
    def get_default_screen(self) -> Screen:
        from composer.tui.screens.compose import ComposeScreen

        return ComposeScreen()

    @property
    def compose_screen(self) -> ComposeScreen:
        from composer.tui.screens.compose import ComposeScreen

        for screen in self.screen_stack:
            if isinstance(screen, ComposeScreen):
                return screen
        raise LookupError("the compose screen is not up")

    def on_mount(self) -> None:
        if self.settings.current is not None:
            self._apply_theme()
        else:
            self._apply_theme(peek_theme())
        self.set_interval(AUTOSAVE_POLL, self._autosave_tick, name="autosave")
        self.set_interval(CONFIG_POLL, self._config_tick, name="config-watch")
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        # Reading config.toml, the drafts and the session marker waits for the first frame:
        # the editor shows at once.
        self.call_after_refresh(self._begin)

    def _begin(self) -> None:
        """Read the config, open the first draft (offering back a crashed one), start the session
        marker, then mount the sidebar and the publish panel."""
        if not gc.isenabled():  # `humane` paused collection for the start (commands/compose.py)
            gc.freeze()  # what start-up made lives as long as the app: no full pass needs to see it
            gc.enable()
        self._apply_theme()
        recovered = None
        if self._recover and self._initial_draft is None:
            recovered = self.session.recover()
        self.open_draft(self._initial_draft or self.fresh_draft())
        if self._notice:
            self.notify(self._notice, title="Draft", severity="warning", timeout=15)
        if self.config_error:
            self.notify(self.config_error, title="config.toml cannot be used", severity="error", timeout=20)
        for warning in self.config.warnings:
            self.notify(warning, title="config.toml", severity="warning", timeout=12)
        if self.settings.watch:
            from composer.config import named_but_missing

            missing = named_but_missing()
            if missing:
                self.notify(missing, title="config.toml", severity="warning", timeout=12)
        with contextlib.suppress(LookupError):
            self.compose_screen.start()
        if recovered is not None:
            self.call_after_refresh(self._offer_recovered, recovered)

    def _apply_theme(self, wanted: str | None = "") -> None:
        """The theme from config.toml; `wanted` given: a guess for the first frame (no warnings)."""
        peek = wanted != ""
        if not peek:
            wanted = self.config.editor.theme or DARK_THEME
        elif not wanted:
            return
        assert wanted is not None
        wanted = theme_name(wanted)
        if wanted in self.available_themes:
            if self.theme != wanted:  # a theme change re-styles everything: only when needed
                self.theme = wanted
        elif not peek:
            known = ", ".join(sorted(self.available_themes))
            self.notify(
                f"There is no theme {wanted!r}; using {self.theme}. Known themes: {known}.",
                title="config.toml [editor] theme",
                severity="warning",
                timeout=12,
            )

    # ------------------------------------------------------------------ config.toml changes
    def _config_tick(self) -> None:
        """Every CONFIG_POLL seconds and when the terminal gets the focus back: reload config.toml
        if it changed (cheap: one stat)."""
        path = self.settings.changed()
        if path is not None:
            self.reload_config(path)

    def on_app_focus(self) -> None:
        self._config_tick()

    def reload_config(self, path: str | os.PathLike[str] | None = None) -> bool:
        """Read config.toml again and show its accounts at once. A file that cannot be used keeps
        the last good settings, and says why once. True when the new settings were taken."""
        old = self.settings.current
        error = self.settings.reload(path)
        if error is not None:
            if error:
                self.notify(f"{error}\nThe composer keeps the settings it had; fix the file and it is read again.",
                            title="config.toml changed, but cannot be used", severity="error", timeout=20)
            return False
        if old is not None and old.editor.theme != self.config.editor.theme:
            self._apply_theme()
        with contextlib.suppress(LookupError):
            self.compose_screen.accounts_changed()
        for screen in self.screen_stack:
            refresh = getattr(screen, "accounts_changed", None)
            if refresh is not None and screen is not self.screen_stack[0]:
                refresh()
        return True

    def account_added(self, name: str) -> None:
        """An account was added from F3: read config.toml again (the panel shows it at once) and,
        when the open draft was meant for no account yet, tick the new one."""
        self.reload_config()
        draft = self.draft
        if draft is not None and not draft.accounts and name in self.config.accounts:
            self.draft_changed(accounts=[name])
            with contextlib.suppress(LookupError):
                self.compose_screen.accounts_changed()

    def account_removed(self, name: str) -> None:
        self.reload_config()

    def _theme_changed(self, theme: Any) -> None:
        """A theme picked in the palette is remembered in config.toml, as a writer expects."""
        name = getattr(theme, "name", str(theme))
        config = self.settings.current
        if config is None or name == self._theme_saved or name == theme_name(config.editor.theme or DARK_THEME):
            return
        self._theme_saved = name
        path = self.settings.path()
        if path is None:
            return
        self.run_worker(lambda: self._save_theme(path, name), thread=True, group="theme", exit_on_error=False,
                        description="remember the theme")

    def _save_theme(self, path: Path, name: str) -> None:
        why = remember_theme(path, name)
        if why:
            self.call_from_thread(self.notify, f"The theme {name} is used now but not remembered: {why}",
                                  title="Theme", severity="warning", timeout=10)
        else:
            self.call_from_thread(self.settings.theme_kept, path, name)

    def _offer_recovered(self, draft: Draft) -> None:
        from composer.tui.screens.dialogs import RecoverModal

        preview = "\n".join(draft.body.strip().splitlines()[:4])

        def answer(open_it: bool | None) -> None:
            if open_it:
                self.open_draft(draft)
                self.notify("The draft is back; nothing was lost since its last autosave.", title="Draft recovered")
            else:
                self.notify("It stays in your drafts (Ctrl+O).", title="Draft kept")

        self.push_screen(RecoverModal(draft.title or "(untitled)", draft.words, preview), answer)

    def warm_up_checks(self) -> None:
        """Load the checks and their data (word lists, patterns, the clickbait model) in a thread,
        once: called when the writer first types, or a draft with text opens. A new, empty draft
        loads none of it, so that a composer left open holds only what it shows."""
        if self._warm_up and not self._warming:
            self._warming = True
            self._warm_up_checks()

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False, description="load the checks")
    def _warm_up_checks(self) -> None:
        with contextlib.suppress(Exception):
            from composer.guidelines import warm_up

            warm_up()
        with contextlib.suppress(Exception):
            from composer.guidelines import clickbait

            clickbait.warm_up()
        # The word lists and the pronunciation dictionary are a few hundred thousand objects that
        # live as long as the app: keep them out of the garbage collector's full passes, which
        # otherwise stall typing for a tenth of a second now and then.
        gc.freeze()

    def _end_session(self) -> None:
        """Save the draft and end the session marker (clean exit: nothing to recover)."""
        if self._session is not None:
            self._session.close()

    async def action_quit(self) -> None:
        self._end_session()
        self.exit(0)

    async def on_unmount(self) -> None:
        self._end_session()
        await self.clients.close()

    # ------------------------------------------------------------------ the draft
    def open_draft(self, draft: Draft, *, read_only: bool = False) -> None:
        """Make `draft` the one being written: autosave and the session marker follow it. A draft
        another composer is writing opens read-only first, and the writer is asked: read only, or
        work on a copy (two writers would set each other's text aside on every save)."""
        elsewhere = None if read_only else self.session.open_elsewhere(draft)
        read_only = read_only or elsewhere is not None
        warning = self.session.open(draft, autosave_seconds=self.config.editor.autosave_seconds, read_only=read_only)
        if warning:
            self.notify(warning, title="Drafts", severity="warning")
        self.saved_at = None
        with contextlib.suppress(LookupError):
            screen = self.compose_screen
            if screen.ready:  # else the screen loads it when it mounts
                screen.load_draft(draft)
        self._show_saved("read only" if read_only else "")
        if elsewhere is not None:
            self.call_after_refresh(self._ask_elsewhere, draft, elsewhere)

    def _ask_elsewhere(self, draft: Draft, pid: int) -> None:
        from composer.tui.screens.dialogs import COPY, OpenElsewhereModal

        def answer(choice: str | None) -> None:
            if choice == COPY:
                copy = self._open_made(lambda: self.session.copy_of(draft), "Could not make a copy")
                if copy is None:
                    return
                self.notify(f"A copy to work on: {copy.path}. The original stays with the other composer.",
                            title="Working on a copy", timeout=8)
            else:
                self.notify("Read only: what you type here is not kept. Open it again once the other "
                            "composer has closed it.", title="Read only", severity="warning", timeout=10)

        self.push_screen(OpenElsewhereModal(draft.title or "(untitled)", pid), answer)

    def _open_made(self, make: Callable[[], Draft], failed: str) -> Draft | None:
        """Open the draft `make` gives (a copy, one from the folder); when it cannot, say why under `failed`."""
        try:
            draft = make()
        except Exception as err:
            self.notify(str(err), title=failed, severity="error", timeout=12)
            return None
        self.open_draft(draft)
        return draft

    def fresh_draft(self) -> Draft:
        """A new, unsaved draft; with a single account configured, it is ticked already."""
        return self.session.fresh(list(self.config.accounts))

    def new_draft(self) -> None:
        self.open_draft(self.fresh_draft())

    def draft_changed(self, **fields: Any) -> None:
        """The screen reports an edit (body=, purpose=, accounts=): cheap, no I/O."""
        if self._session is None:
            return
        self._session.changed(**fields)
        if self.saved_at is not None:
            self._show_saved("")
            self.saved_at = None

    def _autosave_tick(self) -> None:
        if self._session is None or self._saving:
            return
        autosaver = self._session.due()
        if autosaver is not None:
            self._saving = True
            self._autosave(autosaver)

    @work(thread=True, exclusive=False, group="autosave", exit_on_error=False, description="autosave")
    def _autosave(self, autosaver: Autosaver) -> None:
        from composer.drafts.session import autosave
        from composer.tui.messages import Saved

        try:
            error = autosave(autosaver)
        finally:
            self._saving = False
        conflict = self.session.take_conflicts()
        with contextlib.suppress(RuntimeError):
            self.call_from_thread(self.post_message, Saved(autosaver.draft.id, error, conflict))

    def save_now(self, quiet: bool = False) -> bool:
        """Write the draft at once (Ctrl+S, before $EDITOR); True when it is on disk."""
        from composer.tui.messages import Saved

        draft = self.draft
        if draft is None:
            return False
        error = self.session.save_now(skip_empty=quiet)
        if error is None:
            return True  # an empty new draft leaves no file behind
        self.post_message(Saved(draft.id, error, self.session.take_conflicts()))
        if not quiet and not error:
            self.notify(f"Saved to {draft.path}", title="Saved", timeout=3)
        return not error

    def on_saved(self, event: Saved) -> None:
        if event.conflict:  # whichever draft it was: the writer must hear where the other text went
            self.notify(event.conflict, title="Changed elsewhere: a copy is kept", severity="warning", timeout=20)
        if self.draft is None or event.draft_id != self.draft.id:
            return
        if event.error:
            self._show_saved(f"not saved: {event.error}", error=True)
            self.notify(event.error, title="Autosave failed", severity="error", timeout=10)
        else:
            self.saved_at = time.time()
            self._show_saved("saved")

    def _show_saved(self, text: str, error: bool = False) -> None:
        if (text, error) == self._saved_shown:
            return  # unchanged: no re-layout on every keystroke
        self._saved_shown = (text, error)
        with contextlib.suppress(Exception):
            self.compose_screen.top_bar.set_saved(text, error)

    def delete_draft(self, draft_id: str) -> None:
        """Move a draft to the trash; if it is the open one, a new draft takes its place."""
        if self.session.delete(draft_id):
            self.open_draft(self.fresh_draft())

    # ------------------------------------------------------------------ accounts
    def shared_http(self) -> Any:
        """The app's httpx client, shared by every account it opens."""
        return self.clients.http()

    async def open_client(self, name: str, *, config: Config | None = None) -> PlatformClient:
        """A client for account `name`; give it back with `release_client` when done."""
        return await self.clients.open(name, config or self.config)

    async def release_client(self, client: PlatformClient) -> None:
        await self.clients.release(client)

    # ------------------------------------------------------------------ screens and commands
    def action_help(self) -> None:
        from composer.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_accounts(self) -> None:
        from composer.tui.screens.accounts import AccountsScreen

        if not isinstance(self.screen, AccountsScreen):
            self.push_screen(AccountsScreen())

    def replies_session(self) -> RepliesSession:
        """The replies of this session: read once, kept (F5 on the replies screen asks again)."""
        if self._replies is None:
            from composer.dialogue.replies import RepliesSession
            from composer.dialogue.seen import SeenStore

            self._replies = RepliesSession(
                self.store, list(self.config.accounts), self.open_client, seen=SeenStore(self.store.root),
                settings=self.config.guidelines, release=self.release_client,
            )
        return self._replies

    def action_replies(self) -> None:
        from composer.tui.screens.replies import RepliesScreen

        if not isinstance(self.screen, RepliesScreen):
            self.save_now(quiet=True)
            self.push_screen(RepliesScreen())

    def action_drafts(self) -> None:
        from composer.tui.screens.drafts import NEW, DraftsScreen

        if isinstance(self.screen, DraftsScreen):
            return
        self.save_now(quiet=True)

        def chosen(result: str | None) -> None:
            if result is None:
                return
            if result == NEW:
                self.new_draft()
                return
            if self.draft is None or result != self.draft.id:
                self._open_made(lambda: self.store.load(result), "Cannot open that draft")

        self.push_screen(DraftsScreen(), chosen)

    def action_new_draft(self) -> None:
        self.save_now(quiet=True)
        self.new_draft()
        self.notify("A new draft. The last one is in your drafts (Ctrl+O).", title="New draft", timeout=4)

    def action_toggle_light(self) -> None:
        self.theme = DARK_THEME if self.theme == LIGHT_THEME else LIGHT_THEME

    def get_key_display(self, binding: Binding) -> str:
        """Textual's display of a key ("f8", "^j"), without its Unicode name look-up for a plain
        key: looking up "f8" as a character name reads about 0.7 MB of the Unicode name tables into
        memory, for the footer alone. Any other key is shown by Textual as before."""
        if binding.key_display:
            return binding.key_display
        modifiers, key = binding.parse_key()
        if not (len(key) == 1 and key.isascii() and key.isalnum()) and not (
            key[:1] == "f" and key[1:].isdigit() and key[1:].isascii()
        ):
            return super().get_key_display(binding)
        if "ctrl" in modifiers:
            modifiers.remove("ctrl")
            key = f"^{key}"
        return "+".join([*modifiers, key])

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action in the palette (Ctrl+P): ours (tui/palette.py), then Textual's but its Quit and Keys."""
        from composer.tui.palette import system_commands

        compose = None
        with contextlib.suppress(LookupError):
            compose = self.compose_screen
        yield from system_commands(self, compose)
        for command in super().get_system_commands(screen):
            if command.title.lower() not in ("quit", "keys"):
                yield command


# ---------------------------------------------------------------------------------- factories


def make_app(
    path: str | os.PathLike[str] | None = None,
    *,
    store: DraftStore | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    **options: Any,
) -> ComposerApp:
    """Build the composer. `path`: a draft file or id to open (a missing file becomes a new draft
    saved there); `options`: the rest of ComposerApp's (config, open_client, recover, warm_up, ...).
    Raises DraftError for a draft file that cannot be read."""
    draft = None
    notice = ""
    if path is not None:
        from composer.drafts import DraftStore, find_draft

        if store is None:
            store = DraftStore(data_dir)
        draft, notice = find_draft(store, path, create=True)
    return ComposerApp(store=store, data_dir=data_dir, draft=draft, notice=notice, **options)


def run(path: str | None) -> int:
    """`humane [PATH]`: run the composer in this terminal; returns the exit status."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(
            "humane: the composer needs a terminal (input or output is redirected); "
            "`humane check` and `humane post` work without one",
            file=sys.stderr,
        )
        return 2
    if path is None:  # a new draft (or the last one, offered back): the drafts code loads after the first frame
        return _run(make_app())
    from composer.drafts import DraftError, DraftNotFound

    try:
        app = make_app(path)
    except DraftError as err:
        fix = " Fix that line in the file, or see `humane drafts show` for its text." if err.line else ""
        print(f"humane: {err}.{fix}", file=sys.stderr)
        return 2
    except DraftNotFound as err:
        print(f"humane: {err}", file=sys.stderr)
        return 2
    return _run(app)


def _run(app: ComposerApp) -> int:
    result = app.run()
    return int(result or app.return_code or 0)
