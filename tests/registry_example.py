"""The client module of a platform that does not exist, written as issue 16's will be: with its one
registry entry (in tests/test_registry.py, added to the registry in a fresh interpreter, as if it
were written in composer/registry.py) it is all a platform takes. It "posts" to a list."""

from __future__ import annotations

from typing import ClassVar

from composer.platforms.base import Identity, PartRecord, PlatformClient, Sending, TransientError

POSTED: list[tuple[str, str | None]] = []
"""(text, the id it answers) of every message sent, in order."""


class ChatroomClient(PlatformClient):
    platform: ClassVar[str] = "chatroom"

    async def identify(self) -> Identity:
        if self.secret.reveal() != "good-bot-token":
            raise TransientError(f"the room said: unknown token {self.secret.reveal()}")
        return Identity(id="bot-1", handle=self.account.handle or "#garden")

    async def send_part(self, part: Sending) -> PartRecord:
        POSTED.append((part.text, part.previous.id if part.previous else None))
        return part.record.done(str(len(POSTED)), f"https://chat.example/m/{len(POSTED)}")
