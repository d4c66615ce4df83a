"""Reading the replies is cheap: requests per listing, and how long one takes.

A fake Mastodon on 127.0.0.1 that answers every request after 50 ms (`FakeServer(latency=0.05)`),
POSTS published posts (drafts in a temporary data folder) with REPLIES replies each, one in five of
them obscene or carrying someone's phone number (folded). Timed through the real path
(`RepliesSession.load`, the Mastodon client over HTTP): the first listing (the servers asked: one
context request per post, one page of notifications, one credentials check), and a second look in
the same session (nothing asked). Prints requests and the median of RUNS runs.

    python3 bench/replies.py [--runs N] [--posts N] [--replies N] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LATENCY = 0.05


async def run(posts: int, replies: int, runs: int) -> None:
    from composer.dialogue.replies import RepliesSession
    from composer.drafts import DraftStore
    from composer.platforms.base import AccountInfo, Secret
    from composer.platforms.http import new_http_client
    from composer.platforms.mastodon import MastodonClient
    from composer.publish import publish_draft
    from tests.fakes.mastodon import FakeMastodon

    with tempfile.TemporaryDirectory() as tmp, FakeMastodon(rate_limit=100_000) as server:
        token = server.add_account("alice")
        store = DraftStore(Path(tmp) / "data")
        async with new_http_client() as http:

            async def open_client(name: str) -> MastodonClient:
                return MastodonClient(AccountInfo(name, "mastodon", server=server.url), Secret(token), http)

            for n in range(posts):
                draft = store.new(body=f"Post number {n} about the reading group.", purpose="to tell friends",
                                  accounts=["home"])
                store.save(draft)
                out = await publish_draft(store, draft.id, {"home": await open_client("home")})
                mine = out["home"].parts[0].id
                for r in range(replies):
                    text = ("@alice you absolute shit" if r % 5 == 1 else
                            "@alice call her on +1 415 555 2671" if r % 5 == 3 else f"@alice thanks for post {n}!")
                    server.say(f"reader{r}", text, in_reply_to=mine)
            server.latency = LATENCY
            first, second, asked = [], [], []
            for _ in range(runs):
                session = RepliesSession(store, ["home"], open_client)
                before = len(server.requests())
                t = time.perf_counter()
                listing = await session.load()
                first.append(time.perf_counter() - t)
                asked.append(len(server.requests()) - before)
                t = time.perf_counter()
                await session.load()
                second.append(time.perf_counter() - t)
            folded = sum(1 for i in listing.items if i.folded)
    print(f"{posts} posts x {replies} replies ({len(listing.items)} listed, {folded} folded), "
          f"server latency {LATENCY * 1000:.0f} ms")
    print(f"first listing: {statistics.median(asked):.0f} requests, median {statistics.median(first) * 1000:.0f} ms")
    print(f"second look in the same session: 0 requests, median {statistics.median(second) * 1000:.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--replies", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="one small run: only checks that the script works")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.posts, args.replies = 1, 3, 5
    asyncio.run(run(args.posts, args.replies, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
