"""Publishing is concurrent: one draft to five accounts takes about as long as to one.

Five accounts (three Mastodon, two Bluesky), each on its own fake server on 127.0.0.1 that answers
every request after 200 ms (`FakeServer(latency=0.2)`). Each run publishes a fresh draft through
the real path: `composer.accounts.open_client` (secret from the keyring, client built) and
`composer.publish.publish_draft` (keys saved in the draft file, the posts sent, results written).
Timed: opening the clients + publishing. Prints the median of RUNS runs to one account and to all
five, and their ratio (target <= 1.3).

The secrets live in an in-memory keyring backend defined below (handed to `SecretStore`), not in
gnome-keyring: a Secret Service call costs 10-50 ms and is not what this measures.

    python3 bench/publish.py [--runs N] [--quick]

The exit status is 1 when the ratio misses the target. `--quick` (one run of each) only checks
that the script works: one run is too few to judge, so it prints the verdict and exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LATENCY = 0.2
TARGET = 1.3


async def setup(servers: dict, store) -> dict:
    """Log every account in once (not timed) and return the config's accounts."""
    from composer.config import AccountConfig
    from composer.platforms import client_class
    from composer.platforms.http import new_http_client

    accounts = {}
    async with new_http_client() as http:
        for name, (platform, server, secret, handle) in servers.items():
            base = AccountConfig(name=name, platform=platform, server=server.url, handle=handle)
            cls = client_class(platform)
            got, info = await cls.login(http, base, lambda prompt, hidden, s=secret: s)
            store.set(name, got)
            options = {k: v for k, v in info.options.items() if k != "login_warning"}
            accounts[name] = AccountConfig(name=name, platform=platform, server=info.server, handle=info.handle,
                                           options=options)
    return accounts


async def publish_once(names: list[str], config, store, drafts, n: int) -> float:
    from composer.accounts import open_client
    from composer.platforms.http import new_http_client
    from composer.publish import publish_draft

    draft = drafts.new(body=f"Benchmark post number {n}: the reading group meets on Thursday.",
                       purpose="to measure how long publishing takes")
    drafts.save(draft)
    async with new_http_client() as http:
        start = time.perf_counter()
        clients = await asyncio.gather(*(open_client(a, config=config, http=http, store=store) for a in names))
        results = await publish_draft(drafts, draft.id, dict(zip(names, clients)))
        elapsed = time.perf_counter() - start
    bad = {a: d.error for a, d in results.items() if d.status != "sent"}
    if bad:
        raise SystemExit(f"publish failed: {bad}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="one run of each (a smoke test; no verdict in the exit status)")
    args = parser.parse_args()
    if args.quick:
        args.runs = 1

    tmp = Path(tempfile.mkdtemp(prefix="humane-bench-publish-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    os.environ["HUMANE_CONFIG"] = str(tmp / "config.toml")
    os.environ["HUMANE_DATA_DIR"] = str(tmp / "data")

    from composer.accounts import SecretStore
    from composer.config import Config
    from composer.drafts import DraftStore
    from tests.fakes.bluesky import FakeBluesky
    from tests.fakes.keyring import memory_backend
    from tests.fakes.mastodon import FakeMastodon

    store = SecretStore(memory_backend())
    fakes = []
    servers = {}
    for i in range(3):
        m = FakeMastodon().start()
        servers[f"masto{i}"] = ("mastodon", m, m.add_account("alice"), None)
        fakes.append(m)
    for i in range(2):
        b = FakeBluesky().start()
        b.add_account("alice.test", app_password="abcd-efgh-ijkl-mnop")
        servers[f"sky{i}"] = ("bluesky", b, "abcd-efgh-ijkl-mnop", "alice.test")
        fakes.append(b)
    try:
        accounts = asyncio.run(setup(servers, store))
        for f in fakes:
            f.latency = LATENCY  # from now on every answer takes 200 ms
        config = Config(accounts=accounts)
        drafts = DraftStore(tmp / "data")
        names = list(accounts)
        asyncio.run(publish_once(names[:1], config, store, drafts, 0))  # warm-up (imports, first connections)
        one, five = [], []
        for run in range(args.runs):
            one.append(asyncio.run(publish_once(names[:1], config, store, drafts, 2 * run + 1)))
            five.append(asyncio.run(publish_once(names, config, store, drafts, 2 * run + 2)))
        requests = {name: len(servers[name][1].log) for name in names}
    finally:
        for f in fakes:
            f.stop()

    m1, m5 = statistics.median(one), statistics.median(five)
    ratio = m5 / m1
    print(f"server latency per request:     {LATENCY * 1000:.0f} ms")
    print(f"runs:                           {args.runs} each")
    print(f"publish to 1 account (median):  {m1 * 1000:.0f} ms  (runs: {', '.join(f'{t * 1000:.0f}' for t in one)})")
    print(f"publish to 5 accounts (median): {m5 * 1000:.0f} ms  (runs: {', '.join(f'{t * 1000:.0f}' for t in five)})")
    print(f"ratio 5/1:                      {ratio:.2f}  (target <= {TARGET})  {'OK' if ratio <= TARGET else 'TOO SLOW'}")
    print(f"requests per server:            {requests}")
    print("secrets: in-memory keyring backend (bench only), not the Secret Service")
    return 0 if ratio <= TARGET or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
