"""publish_draft and flush_outbox against an in-process fake PlatformClient.

The fake keeps a "server" (posts by idempotency key, like Mastodon's Idempotency-Key or a Bluesky
record key), can fail before or after committing a part, and records every call, so the tests can
check exactly-once delivery and that retries reuse the keys saved before the first request.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from composer.drafts import Delivery, Draft, DraftStore
from composer.drafts.outbox import pending
from composer.platforms.base import (
    AccountInfo,
    AuthError,
    Limits,
    NeedsCheck,
    PartRecord,
    PlatformClient,
    PostOptions,
    RateLimited,
    Rejected,
    Secret,
    TransientError,
    digest,
)
from composer.publish import MAX_ATTEMPTS, flush_outbox, publish_draft, reset_delivery, run_publish

T0 = datetime(2030, 5, 1, 12, 0, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> datetime:
        return self.t


@dataclass
class FakeServer:
    posts: dict[str, dict[str, Any]] = field(default_factory=dict)
    """key -> post; a key seen again returns the same post (idempotency)."""
    order: list[str] = field(default_factory=list)


class FakeClient(PlatformClient):
    """Script actions, one per publish() call:
    "ok"; an exception instance (raised before anything is sent); ("before", n, exc): send parts
    before n, then raise; ("after", n, exc): commit part n on the server, then raise (lost answer)."""

    platform = "mastodon"
    label = "Fake"

    def __init__(self, name: str, server: FakeServer | None = None, script: Sequence[Any] = (),
                 *, max_chars: int = 40, latency: float = 0.0, limits_error: Exception | None = None) -> None:
        super().__init__(AccountInfo(name=name, platform="mastodon", visibility="unlisted", language="en"),
                         Secret("not-a-real-token"), http=None)  # type: ignore[arg-type]
        self.server = server or FakeServer()
        self.script = list(script)
        self.max_chars = max_chars
        self.latency = latency
        self.limits_error = limits_error
        self.calls: list[list[PartRecord]] = []
        self.options: list[PostOptions] = []
        self.events: list[tuple[str, str]] = []
        self.on_first_request: Any = None

    async def verify(self) -> Any:  # pragma: no cover - not used here
        raise NotImplementedError

    async def limits(self) -> Limits:
        if self.limits_error:
            raise self.limits_error
        return Limits(max_chars=self.max_chars)

    def split(self, text: str, limits: Limits, options: PostOptions | None = None) -> list[str]:
        self.split_options = options
        return [p for p in text.split("\n\n") if p.strip()]

    async def publish(self, parts, records, options, checkpoint):  # type: ignore[override]
        self.calls.append(list(records))
        self.options.append(options)
        self.events.append(("start", self.account.name))
        if self.on_first_request:
            self.on_first_request(list(records))
        action = self.script.pop(0) if self.script else "ok"
        if isinstance(action, Exception):
            raise action
        out = list(records)
        for i, (text, rec) in enumerate(zip(parts, records)):
            if rec.sent:
                continue
            if self.latency:
                await asyncio.sleep(self.latency)
            if isinstance(action, tuple) and action[0] == "before" and action[1] == i:
                raise action[2]
            assert rec.digest == digest(text)
            post = self.server.posts.get(rec.key)
            if post is None:
                post = {"id": f"{len(self.server.posts) + 1}", "text": text,
                        "reply_to": out[i - 1].id if i else None}
                self.server.posts[rec.key] = post
                self.server.order.append(rec.key)
            if isinstance(action, tuple) and action[0] == "after" and action[1] == i:
                raise action[2]
            out[i] = rec.done(post["id"], f"https://fake.example/{self.account.name}/{post['id']}")
            await checkpoint(out)
        self.events.append(("end", self.account.name))
        return out


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "data")


def make(store: DraftStore, body: str = "Hello, friends.", **kw: Any) -> Draft:
    d = store.new(body=body, purpose="say hello")
    for k, v in kw.items():
        setattr(d, k, v)
    store.save(d)
    return d


def dropped() -> TransientError:
    return TransientError("The connection broke before the server answered.", ambiguous=True)


async def test_publishes_to_all_accounts_concurrently(store: DraftStore) -> None:
    d = make(store, "one\n\ntwo", content_warning="cw")
    # 0.25 s a part: both start before either ends even when a loaded disk makes each one's
    # fsynced writes slow (at 0.05 s this failed now and then under load).
    a, b = FakeClient("a", latency=0.25), FakeClient("b", latency=0.25)
    shared_events: list[tuple[str, str]] = []
    a.events = b.events = shared_events
    updates: list[tuple[str, str]] = []
    result = await publish_draft(store, d.id, {"a": a, "b": b},
                                 on_update=lambda acc, dl: updates.append((acc, dl.status)))
    assert {k: v.status for k, v in result.items()} == {"a": "sent", "b": "sent"}
    # Both started before either finished: they ran at the same time.
    assert [e[0] for e in shared_events[:2]] == ["start", "start"]
    assert result["a"].url == "https://fake.example/a/1"
    assert [p.id for p in result["a"].parts] == ["1", "2"]
    assert a.server.posts[result["a"].parts[1].key]["reply_to"] == "1"
    assert a.options[0] == PostOptions(visibility="unlisted", language="en", content_warning="cw")
    assert a.split_options == a.options[0]  # the content warning counts when splitting
    saved = store.load(d.id)
    assert saved.deliveries == result
    assert saved.accounts == ["a", "b"] and saved.status == "sent"
    for acc in "ab":
        seq = [s for x, s in updates if x == acc]
        assert seq[0] == "sending" and seq[-1] == "sent" and seq.count("sending") == 3  # start + 2 parts


async def test_keys_are_on_disk_before_the_first_request(store: DraftStore) -> None:
    d = make(store, "p1\n\np2")
    client = FakeClient("a")
    seen: list[Delivery] = []
    client.on_first_request = lambda recs: seen.append(store.load(d.id).deliveries["a"])
    await publish_draft(store, d.id, {"a": client})
    assert seen[0].status == "sending" and seen[0].attempts == 1
    assert [p.key for p in seen[0].parts] == [r.key for r in client.calls[0]]
    assert [p.digest for p in seen[0].parts] == [digest("p1"), digest("p2")]


async def test_transient_failure_queues_with_backoff_and_retry_reuses_keys(store: DraftStore) -> None:
    d = make(store)
    clock = Clock()
    client = FakeClient("a", script=[TransientError("Server down (503).", hint="It will be retried.")])
    r = await publish_draft(store, d.id, {"a": client}, now=clock, rng=random.Random(1))
    q = r["a"]
    assert q.status == "queued" and q.error == "Server down (503). It will be retried." and q.error_kind == "transient"
    assert T0 + timedelta(seconds=15) <= q.next_try <= T0 + timedelta(seconds=30)
    assert client.server.posts == {} and not q.uncertain
    clock.t = q.next_try
    r2 = await publish_draft(store, d.id, {"a": client}, now=clock)
    assert r2["a"].status == "sent" and r2["a"].attempts == 2
    assert [x.key for x in client.calls[0]] == [x.key for x in client.calls[1]]
    assert len(client.server.posts) == 1


async def test_lost_answer_then_retry_posts_exactly_once(store: DraftStore) -> None:
    d = make(store, "first\n\nsecond\n\nthird")
    client = FakeClient("a", script=[("after", 1, dropped())])
    r = await publish_draft(store, d.id, {"a": client})
    q = r["a"]
    assert q.status == "queued" and q.uncertain
    assert [p.sent for p in q.parts] == [True, False, False]  # part 1 checkpointed, part 2 unknown
    assert len(client.server.posts) == 2  # part 2 did reach the server
    r2 = await publish_draft(store, d.id, {"a": client})
    assert r2["a"].status == "sent" and not r2["a"].uncertain
    assert len(client.server.posts) == 3  # exactly once each
    assert [p.id for p in r2["a"].parts] == ["1", "2", "3"]
    assert client.calls[1][0].sent and not client.calls[1][1].sent  # the retry skipped part 1


async def test_rate_limit_uses_retry_after(store: DraftStore) -> None:
    d = make(store)
    clock = Clock()
    client = FakeClient("a", script=[RateLimited("Too many posts.", retry_after=120)])
    r = await publish_draft(store, d.id, {"a": client}, now=clock)
    assert r["a"].status == "queued" and r["a"].error_kind == "rate-limited"
    assert r["a"].next_try == T0 + timedelta(seconds=120)


@pytest.mark.parametrize(
    "error, kind",
    [(AuthError("The token was revoked.", hint="Log in again."), "auth"),
     (Rejected("The server refused the post: too long."), "rejected")],
)
async def test_auth_and_rejected_fail_with_explanation(store: DraftStore, error: Exception, kind: str) -> None:
    d = make(store)
    client = FakeClient("a", script=[error])
    r = await publish_draft(store, d.id, {"a": client})
    assert r["a"].status == "failed" and r["a"].error_kind == kind
    assert r["a"].error == error.explain()  # type: ignore[attr-defined]
    assert r["a"].next_try is None
    assert store.load(d.id).status == "failed"


async def test_needs_check_is_not_retried_until_reset(store: DraftStore) -> None:
    d = make(store)
    client = FakeClient("a", script=[NeedsCheck("The site did not answer; it may have posted.")])
    r = await publish_draft(store, d.id, {"a": client})
    assert r["a"].status == "failed" and r["a"].error_kind == "needs-check" and r["a"].uncertain
    r2 = await publish_draft(store, d.id, {"a": client})
    assert len(client.calls) == 1 and r2["a"].status == "failed"
    assert pending(store) == []  # it waits for the writer, not the outbox
    reset_delivery(store, d.id, "a")
    r3 = await publish_draft(store, d.id, {"a": client})
    assert r3["a"].status == "sent" and len(client.calls) == 2
    assert client.calls[1][0].key != client.calls[0][0].key  # reset means new keys


async def test_edited_after_partial_send_is_not_resent(store: DraftStore) -> None:
    d = make(store, "alpha\n\nbeta")
    client = FakeClient("a", script=[("before", 1, TransientError("Timeout."))])
    r = await publish_draft(store, d.id, {"a": client})
    assert r["a"].status == "queued" and r["a"].sent_parts == 1
    store.update(d.id, lambda dr: setattr(dr, "body", "alpha\n\nbeta, edited"))
    r2 = await publish_draft(store, d.id, {"a": client})
    assert r2["a"].status == "failed" and r2["a"].error_kind == "edited"
    assert "1 of 2 parts went out to a" in r2["a"].error and "humane outbox reset" in r2["a"].error
    assert len(client.calls) == 1 and len(client.server.posts) == 1
    assert [p.sent for p in r2["a"].parts] == [True, False]  # the record of what went out is kept


async def test_edited_after_an_uncertain_try_is_not_resent(store: DraftStore) -> None:
    d = make(store, "only part")
    client = FakeClient("a", script=[("after", 0, dropped())])
    await publish_draft(store, d.id, {"a": client})
    store.update(d.id, lambda dr: setattr(dr, "body", "only part, fixed"))
    r = await publish_draft(store, d.id, {"a": client})
    assert r["a"].error_kind == "edited" and "may have reached a" in r["a"].error
    assert len(client.server.posts) == 1


async def test_edited_after_a_clean_failure_gets_new_keys(store: DraftStore) -> None:
    d = make(store, "too long text")
    client = FakeClient("a", script=[Rejected("Too long.")])
    await publish_draft(store, d.id, {"a": client})
    store.update(d.id, lambda dr: setattr(dr, "body", "short"))
    r = await publish_draft(store, d.id, {"a": client})
    assert r["a"].status == "sent"
    assert client.calls[0][0].key != client.calls[1][0].key
    assert [p["text"] for p in client.server.posts.values()] == ["short"]


async def test_sent_is_never_sent_again(store: DraftStore) -> None:
    d = make(store)
    client = FakeClient("a")
    await publish_draft(store, d.id, {"a": client})
    store.update(d.id, lambda dr: setattr(dr, "body", "changed after sending"))
    r = await publish_draft(store, d.id, {"a": client})
    assert r["a"].status == "sent" and len(client.calls) == 1


async def test_two_publishes_at_once_send_once(store: DraftStore) -> None:
    d = make(store, "x\n\ny")
    server = FakeServer()
    c1, c2 = FakeClient("a", server, latency=0.05), FakeClient("a", server, latency=0.05)
    r1, r2 = await asyncio.gather(publish_draft(store, d.id, {"a": c1}), publish_draft(store, d.id, {"a": c2}))
    assert len(server.posts) == 2  # two parts, once
    assert len(c1.calls) + len(c2.calls) == 1
    assert "sent" in (r1["a"].status, r2["a"].status)


async def test_limits_failure_queues_and_empty_body_fails(store: DraftStore) -> None:
    d = make(store)
    r = await publish_draft(store, d.id, {"a": FakeClient("a", limits_error=TransientError("Offline."))})
    assert r["a"].status == "queued" and r["a"].attempts == 1
    e = make(store, "  \n\n ")
    r = await publish_draft(store, e.id, {"a": FakeClient("a")})
    assert r["a"].status == "failed" and r["a"].error_kind == "empty"


async def test_parts_for_and_a_broken_callback(store: DraftStore) -> None:
    d = make(store, "whole text")

    async def parts_for(client: PlatformClient, text: str) -> list[str]:
        return [text[:5], text[5:]]

    def explode(account: str, delivery: Delivery) -> None:
        raise RuntimeError("UI bug")

    client = FakeClient("a")
    r = await publish_draft(store, d.id, {"a": client}, parts_for=parts_for, on_update=explode)
    assert r["a"].status == "sent"
    assert [p["text"] for p in client.server.posts.values()] == ["whole", " text"]


async def test_gives_up_after_max_attempts(store: DraftStore) -> None:
    d = make(store)
    client = FakeClient("a", script=[TransientError("Down.")] * MAX_ATTEMPTS)
    for _ in range(MAX_ATTEMPTS):
        r = await publish_draft(store, d.id, {"a": client})
    assert r["a"].status == "failed" and r["a"].attempts == MAX_ATTEMPTS
    assert "Gave up after" in r["a"].error


async def test_unexpected_client_bug_is_contained(store: DraftStore) -> None:
    d = make(store)
    bad = FakeClient("bad", script=[ValueError("oops")])
    good = FakeClient("good")
    r = await publish_draft(store, d.id, {"bad": bad, "good": good})
    assert r["good"].status == "sent"
    assert r["bad"].status == "failed" and r["bad"].error_kind == "needs-check" and r["bad"].uncertain


async def test_cancelled_publish_leaves_sending_and_flush_finishes_it(store: DraftStore) -> None:
    d = make(store, "one\n\ntwo")
    server = FakeServer()
    slow = FakeClient("a", server, latency=0.3)
    task = asyncio.create_task(publish_draft(store, d.id, {"a": slow}))
    await asyncio.sleep(0.45)  # part 1 sent and checkpointed, part 2 in flight
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    left = store.load(d.id).deliveries["a"]
    assert left.status == "sending" and [p.sent for p in left.parts] == [True, False]
    assert [i.status for i in pending(store)] == ["sending"]
    fresh = FakeClient("a", server)

    async def open_client(name: str) -> PlatformClient:
        return fresh

    results = await flush_outbox(store, open_client)
    assert [(x.account, x.delivery.status) for x in results] == [("a", "sent")]
    assert [r.key for r in fresh.calls[0]] == [p.key for p in left.parts]
    assert len(server.posts) == 2


async def test_flush_retries_only_what_is_due(store: DraftStore) -> None:
    clock = Clock()
    server = FakeServer()
    due = make(store, "due")
    later = make(store, "later")
    for draft, when in ((due, T0 - timedelta(seconds=1)), (later, T0 + timedelta(hours=1))):
        def queue(dr: Draft, when: datetime = when) -> None:
            dr.deliveries["a"] = Delivery(account="a", status="queued", attempts=1, next_try=when,
                                          error="Offline.", error_kind="transient")
        store.update(draft.id, queue)
    opened: list[str] = []

    async def open_client(name: str) -> PlatformClient:
        opened.append(name)
        return FakeClient(name, server)

    seen: list[tuple[str, str, str]] = []
    results = await flush_outbox(store, open_client, now=clock,
                                 on_update=lambda did, acc, dl: seen.append((did, acc, dl.status)))
    assert [(r.draft_id, r.delivery.status) for r in results] == [(due.id, "sent")]
    assert (due.id, "a", "sent") in seen and opened == ["a"]
    assert store.load(later.id).deliveries["a"].status == "queued"
    results = await flush_outbox(store, open_client, now=clock, force=True)
    assert [(r.draft_id, r.delivery.status) for r in results] == [(later.id, "sent")]
    assert await flush_outbox(store, open_client, now=clock, force=True) == []
    assert sorted(p["text"] for p in server.posts.values()) == ["due", "later"]


async def test_flush_reports_accounts_it_cannot_open(store: DraftStore) -> None:
    d = make(store)
    store.update(d.id, lambda dr: dr.deliveries.__setitem__("gone", Delivery(account="gone", status="queued")))

    async def open_client(name: str) -> PlatformClient:
        raise KeyError(f"There is no account named {name!r}.")

    results = await flush_outbox(store, open_client)
    assert len(results) == 1 and results[0].delivery is None
    assert "no account named 'gone'" in results[0].problem
    assert store.load(d.id).deliveries["gone"].status == "queued"


async def test_secret_never_reaches_the_draft_file(store: DraftStore) -> None:
    d = make(store)
    await publish_draft(store, d.id, {"a": FakeClient("a", script=[AuthError("Bad token.")])})
    assert b"not-a-real-token" not in store.path(d.id).read_bytes()


async def test_run_publish_opens_each_account_says_why_not_and_gives_the_clients_back(store: DraftStore) -> None:
    from composer.accounts import UnknownAccount

    d = make(store)
    a = FakeClient("a")
    released: list[str] = []
    problems: list[tuple[str, str]] = []

    async def opener(name: str) -> FakeClient:
        if name == "gone":
            raise UnknownAccount("gone", ["a"])
        return a

    async def release(client: FakeClient) -> None:
        released.append(client.account.name)

    run = await run_publish(store, d, ["a", "gone", "a"], opener, release=release,
                            on_problem=lambda acc, why: problems.append((acc, why)))
    assert list(run.deliveries) == ["a"] and run.deliveries["a"].status == "sent"
    assert list(run.problems) == ["gone"] and "no account named 'gone'" in run.problems["gone"]
    assert problems == [("gone", run.problems["gone"])]
    assert released == ["a"]  # given back even though another account failed to open
    assert store.load(d.id).deliveries["a"].status == "sent" and "gone" not in store.load(d.id).deliveries


async def test_run_publish_again_leaves_accounts_already_sent_alone(store: DraftStore) -> None:
    """A re-publish opens no client for an account the draft already went out to (without a
    keyring, opening it would fail and its true "published" would turn into an error)."""
    d = make(store)
    first = await run_publish(store, d, ["a"], lambda name: _opened(FakeClient(name)))
    assert first.deliveries["a"].status == "sent"
    d = store.load(d.id)
    opened: list[str] = []

    async def opener(name: str) -> FakeClient:
        opened.append(name)
        if name == "a":
            raise RuntimeError("keyring locked")
        return FakeClient(name)

    again = await run_publish(store, d, ["a", "b"], opener)
    assert opened == ["b"]
    assert again.problems == {}
    assert again.deliveries["a"].status == "sent" and again.deliveries["a"].url == first.deliveries["a"].url
    assert again.deliveries["b"].status == "sent"


async def _opened(client: FakeClient) -> FakeClient:
    return client
