"""(No tests here.) Shared pieces for the composer's Pilot and snapshot tests: configs, an in-process platform client,
and waiting for the app to settle (no sleeps that merely hope)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

from composer.config import AccountConfig, Config, EditorSettings
from composer.drafts import DraftStore
from composer.platforms.base import (
    AccountInfo,
    Identity,
    Limits,
    PartRecord,
    PlatformClient,
    PlatformError,
    PostOptions,
    Secret,
)
from composer.tui.app import ComposerApp, make_app

SIZE = (120, 36)


def config(*accounts: tuple[str, str], undo: float = 0.3, autosave: float = 0.2, theme: str = "textual-dark") -> Config:
    """A config with accounts given as (name, platform)."""
    accs = {
        name: AccountConfig(
            name=name,
            platform=platform,
            server="http://127.0.0.1:9" if platform == "mastodon" else None,
            handle=f"{name}.example" if platform == "bluesky" else None,
        )
        for name, platform in accounts
    }
    return Config(
        path=None,
        accounts=accs,
        editor=EditorSettings(autosave_seconds=autosave, theme=theme, undo_seconds=undo),
    )


class FakeHttp:
    """Stands in for the httpx client an in-process fake never uses (only closed)."""

    closed = False

    async def aclose(self) -> None:
        self.closed = True


class InProcessClient(PlatformClient):
    """A platform client that answers at once, or raises `error` (an instance of a PlatformError)."""

    platform = "mastodon"
    label = "Fake"
    sent: list[tuple[str, list[str]]] = []
    """Every (account, parts) published by any instance (reset per test)."""

    def __init__(self, name: str, platform: str = "mastodon", error: PlatformError | None = None) -> None:
        super().__init__(AccountInfo(name=name, platform=platform), Secret("s3cret-token"), FakeHttp())  # type: ignore[arg-type]
        self.platform = platform  # type: ignore[misc]
        self.error = error

    async def verify(self) -> Identity:
        if self.error is not None:
            raise self.error
        return Identity(id="1", handle=f"@{self.account.name}@fake.example")

    async def limits(self) -> Limits:
        return Limits(max_chars=500)

    async def publish(self, parts, records, options: PostOptions, checkpoint) -> list[PartRecord]:
        if self.error is not None:
            raise self.error
        done = []
        for i, (_part, record) in enumerate(zip(parts, records)):
            done.append(record.done(id=f"{i + 1}", url=f"https://fake.example/@{self.account.name}/{i + 1}"))
            await checkpoint(list(done) + list(records[len(done):]))
        InProcessClient.sent.append((self.account.name, list(parts)))
        return done


def opener(errors: dict[str, PlatformError] | None = None, calls: list[str] | None = None) -> Callable[..., Any]:
    errors = errors or {}

    async def open_client(name: str, *, config: Config | None = None) -> PlatformClient:
        if calls is not None:
            calls.append(name)
        platform = config.accounts[name].platform if config and name in config.accounts else "mastodon"
        return InProcessClient(name, platform, errors.get(name))

    return open_client


def build(tmp_path: Path, cfg: Config | None = None, **kwargs: Any) -> ComposerApp:
    InProcessClient.sent = []
    kwargs.setdefault("warm_up", False)
    kwargs.setdefault("cursor_blink", False)
    kwargs.setdefault("recover", False)
    return make_app(config=cfg or config(), store=DraftStore(tmp_path / "data"), **kwargs)


async def until(pilot: Any, condition: Callable[[], Any], timeout: float = 5.0, what: str = "condition") -> Any:
    """Let the app run until `condition()` is truthy; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


def started(app: ComposerApp) -> bool:
    """The composer is fully up: a draft is open and the sidebar and publish panel are mounted."""
    try:
        screen = app.compose_screen
    except LookupError:
        return False
    return app.draft is not None and screen.side_ready and screen.ready


@asynccontextmanager
async def running(app: ComposerApp, size: tuple[int, int] = SIZE) -> AsyncIterator[Any]:
    """`app.run_test()` that yields once the composer is fully up (the sidebar mounts after the first frame)."""
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: started(app), what="the composer to start")
        yield pilot


async def type_text(pilot: Any, text: str) -> None:
    keys: list[str] = []
    for ch in text:
        keys.append({" ": "space", "\n": "enter"}.get(ch, ch))
    await pilot.press(*keys)


async def fill(pilot: Any, screen: Any, purpose: str, body: str) -> None:
    """Set up a draft quickly through the widgets' own editing calls (real Changed messages, no
    key-by-key typing: that is what the typing tests are for)."""
    screen.purpose.insert_text_at_cursor(purpose)
    screen.editor.focus()
    screen.editor.insert(body)
    await pilot.pause()


def analysed(app: ComposerApp) -> Callable[[], bool]:
    """True once the sidebar shows the analysis of the current text."""
    screen = app.compose_screen

    def check() -> bool:
        a = screen.analysis
        return a is not None and a.revision == screen.revision and a.text == screen.editor.text

    return check


async def wait_analysed(pilot: Any, app: ComposerApp) -> None:
    await pilot.pause()  # let pending Changed messages bump the revision first
    await until(pilot, analysed(app), what="the sidebar to show the current text's analysis")


def categories(app: ComposerApp) -> set[str]:
    a = app.compose_screen.analysis
    return {f.category for f in a.report.findings} if a else set()


def status_texts(app: ComposerApp, names: Sequence[str]) -> dict[str, str]:
    panel = app.compose_screen.panel
    return {n: panel.status_of(n) for n in names}


@contextmanager
def home_and_sky(tmp_path: Path) -> Iterator[tuple[ComposerApp, Any, Any, tuple[str, str]]]:
    """(app, mastodon, bluesky, (token, app password)): a composer with accounts `home` (a fake
    Mastodon) and `sky` (a fake Bluesky), reached by the real clients over HTTP; the secrets, for
    checking that nothing shows them."""
    from composer.platforms.base import AccountInfo, Secret
    from composer.platforms.bluesky import BlueskyClient
    from composer.platforms.http import new_http_client
    from composer.platforms.mastodon import MastodonClient
    from tests.fakes.bluesky import FakeBluesky
    from tests.fakes.mastodon import FakeMastodon

    app_password = "abcd-efgh-ijkl-mnop"
    with FakeMastodon() as mastodon, FakeBluesky() as bluesky:
        token = mastodon.add_account("alice")
        bluesky.add_account("alice.test", "main-password", app_password=app_password)

        async def open_client(name: str, *, config: Any = None) -> Any:
            http = new_http_client()
            if name == "home":
                return MastodonClient(AccountInfo(name, "mastodon", server=mastodon.url), Secret(token), http)
            info = AccountInfo(name, "bluesky", server=bluesky.url, handle="alice.test")
            secret, info = await BlueskyClient.login(http, info, lambda prompt, hidden: app_password)
            return BlueskyClient(info, secret, http)

        app = build(tmp_path, config(("home", "mastodon"), ("sky", "bluesky"), undo=0.1), open_client=open_client)
        yield app, mastodon, bluesky, (token, app_password)
