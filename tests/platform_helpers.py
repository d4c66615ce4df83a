"""Helpers shared by the platform client tests (Mastodon, LinkedIn, Threads, Micropub)."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable

import pytest

from composer.platforms.base import PartRecord, PlatformClient, PlatformError, digest


class Saved:
    """Stands in for the publisher: keeps what each checkpoint would have written to the draft."""

    def __init__(self) -> None:
        self.history: list[list[PartRecord]] = []

    async def __call__(self, records: list[PartRecord]) -> None:
        self.history.append(list(records))

    @property
    def last(self) -> list[PartRecord]:
        return self.history[-1]


def fresh_records(client_class: type[PlatformClient], parts: Iterable[str]) -> list[PartRecord]:
    """New records (a fresh key per part), as the publisher makes them before a first try."""
    return [PartRecord(key=client_class.new_part_key(), digest=digest(p)) for p in parts]


async def expect_error(exc_type: type[PlatformError], coro: Awaitable, tokens: Iterable[str]) -> PlatformError:
    """Await `coro`, expect `exc_type`, and check that no token shows in anything the error says."""
    with pytest.raises(exc_type) as info:
        await coro
    err = info.value
    for text in (str(err), err.message, err.hint, repr(err), err.explain()):
        for token in tokens:
            assert token not in text, f"a token leaked into {type(err).__name__}: {text}"
    return err
