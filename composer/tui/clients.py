"""How the composer reaches an account: `Clients` opens a platform client for an account and takes
it back, all of them over one httpx client (made on first use: httpx stays off the start-up path),
or through the opener a test hands in."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from composer.config import Config
    from composer.platforms.base import PlatformClient

OpenClient = Callable[..., Awaitable["PlatformClient"]]
"""`async open_client(name, *, config) -> PlatformClient` (composer.accounts.open_client)."""


class Clients:
    """The app's way to its accounts."""

    def __init__(self, opener: OpenClient | None = None) -> None:
        self._opener = opener
        self._http: Any = None
        """One httpx client for every account opened (made on first use, closed by `close`)."""

    def http(self) -> Any:
        """The shared httpx client."""
        if self._http is None:
            from composer.platforms.http import new_http_client

            self._http = new_http_client()
        return self._http

    async def open(self, name: str, config: Config) -> PlatformClient:
        """A client for account `name`; give it back with `release` when done."""
        if self._opener is not None:
            return await self._opener(name, config=config)
        from composer.accounts import open_client

        return await open_client(name, config=config, http=self.http())

    async def release(self, client: PlatformClient) -> None:
        """Done with `client`: its own httpx client is closed; the shared one stays open."""
        http = getattr(client, "http", None)
        if http is not None and http is not self._http:
            with contextlib.suppress(Exception):
                await http.aclose()

    async def close(self) -> None:
        """The app is closing: the shared httpx client goes."""
        if self._http is not None:
            http, self._http = self._http, None
            with contextlib.suppress(Exception):
                await http.aclose()
