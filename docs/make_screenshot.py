"""Regenerate docs/screenshot.svg: the composer with a sample post, two accounts and its findings.

Run: python3 docs/make_screenshot.py   (no network, no keyring: nothing is published)."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLE = (
    "You won't believe what our library did with its old card catalogue!!!\n\n"
    "The drawers now hold seeds: borrow a packet in spring, bring back a few from your harvest in "
    "autumn. Opening day is Saturday at 10, https://library.example.org/seeds #SeedLibrary"
)


async def main() -> None:
    from composer.config import AccountConfig, Config
    from composer.drafts import DraftStore
    from composer.tui.app import make_app

    with tempfile.TemporaryDirectory() as tmp:
        config = Config(accounts={
            "social": AccountConfig("social", "mastodon", server="https://mastodon.example"),
            "sky": AccountConfig("sky", "bluesky", handle="reader.bsky.social"),
        })
        store = DraftStore(Path(tmp))
        draft = store.new(body=SAMPLE, purpose="")
        draft.accounts = ["social", "sky"]
        store.save(draft)
        app = make_app(str(store.path(draft.id)), config=config, store=store, recover=False,
                       cursor_blink=False)
        async with app.run_test(size=(120, 34)) as pilot:
            await pilot.pause(1.0)
            await app.workers.wait_for_complete()
            await pilot.pause(0.5)
            app.save_screenshot(filename="screenshot.svg", path=str(ROOT / "docs"))


if __name__ == "__main__":
    asyncio.run(main())
