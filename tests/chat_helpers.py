"""Helpers shared by the tests of the platforms added in issue 16 (X, Telegram, Discord, Slack):
the publish core end to end, and `humane accounts add` in a subprocess with the real keyring."""

from __future__ import annotations

import os
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from composer.drafts import DraftStore
from composer.platforms.base import PlatformClient
from composer.publish import flush_outbox, publish_draft
from tests.command import humane as run_humane


def humane(*args: str, secret: str | None = None) -> subprocess.CompletedProcess[str]:
    """`humane ARGS` with the test's environment (HUMANE_CONFIG, the keyring), the secret on stdin."""
    return run_humane(*args, input=(secret + "\n") if secret is not None else "", timeout=60)


def config_text() -> str:
    path = Path(os.environ["HUMANE_CONFIG"])
    return path.read_text("utf-8") if path.exists() else ""


def saved_account(name: str) -> dict[str, Any]:
    return tomllib.loads(config_text())["accounts"][name]


def data_files_hold(root: Path, secret: str) -> list[Path]:
    """Every file under `root` whose bytes hold `secret`."""
    return [p for p in root.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


async def publish_twice(tmp_path: Path, account: str, make: Callable[[], PlatformClient], text: str) -> tuple[Any, Any]:
    """Publish a draft to one account through the publish core, then publish it again: the
    deliveries of both runs (the second must not send anything)."""
    store = DraftStore(tmp_path / "drafts")
    draft = store.new(text, accounts=[account])
    store.save(draft)
    first = await publish_draft(store, draft.id, {account: make()})
    second = await publish_draft(store, draft.id, {account: make()})
    return first[account], second[account]


async def lost_answer_then_retry(tmp_path: Path, account: str, make: Callable[[], PlatformClient], text: str) -> tuple[Any, Any, DraftStore, str]:
    """Publish through the core (the test has made the server drop the first answer), then let the
    outbox retry: the delivery after the first try and after the retry."""
    store = DraftStore(tmp_path / "drafts")
    draft = store.new(text, accounts=[account])
    store.save(draft)
    first = await publish_draft(store, draft.id, {account: make()})

    async def open_client(name: str) -> PlatformClient:
        return make()

    results = await flush_outbox(store, open_client, force=True)
    assert len(results) == 1, results
    return first[account], results[0].delivery, store, draft.id
