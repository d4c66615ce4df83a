"""What a screen may ask of the app it runs in: the `Host` protocol.

Screens type `self.app` as a `Host` instead of importing `ComposerApp`, so imports in `tui/` point
one way (app.py -> screens -> widgets, and all of them -> the core) and a screen can be tested in
any app that offers these few things.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from composer.config import Config
    from composer.dialogue.replies import RepliesSession
    from composer.drafts import Draft, DraftSession, DraftStore
    from composer.platforms.base import PlatformClient


class Host(Protocol):
    """The composer app as its screens see it (`composer.tui.app.ComposerApp` is one)."""

    analyzer: Callable[..., Any] | None
    """Replaces composer.guidelines.analyze (tests pin findings with it); None: the real one."""
    cursor_blink: bool

    @property
    def config(self) -> Config: ...

    @config.setter
    def config(self, value: Config) -> None:
        """Settings changed while the app runs (a finding's words allowed as "mine to share")."""

    @property
    def config_error(self) -> str: ...

    @property
    def session(self) -> DraftSession: ...

    @property
    def store(self) -> DraftStore: ...

    @property
    def draft(self) -> Draft | None: ...

    def draft_changed(self, **fields: Any) -> None: ...

    def save_now(self, quiet: bool = False) -> bool: ...

    def delete_draft(self, draft_id: str) -> None: ...

    def open_draft(self, draft: Draft) -> None: ...

    def replies_session(self) -> RepliesSession:
        """The replies of this session (read once, kept until the writer asks again)."""

    async def open_client(self, name: str, *, config: Config | None = None) -> PlatformClient: ...

    async def release_client(self, client: PlatformClient) -> None: ...

    def reload_config(self, path: Any = None) -> bool:
        """Read config.toml again; its accounts show at once (False: the file cannot be used)."""
        ...

    def account_added(self, name: str) -> None:
        """An account was added (F3): the settings are read again and the open draft offers it."""
        ...

    def account_removed(self, name: str) -> None:
        """An account was removed (F3): the settings are read again."""
        ...

    def warm_up_checks(self) -> None:
        """Load the checks in a thread, once (the writer has started; they are about to run)."""
        ...
