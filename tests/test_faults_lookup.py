"""Issue 18, items 1, 6 and 8: after an unclear failure, the look-up before re-sending only ever
takes what this part's own tries made. A same-text post made earlier (a weekly reminder, a post
written on the site, another draft) is never recorded as this draft's; when it cannot be told, the
answer is "needs check"; when the look-up misses, the retry re-sends with the part's own key.
The real Mastodon client against FakeMastodon on 127.0.0.1."""

from __future__ import annotations

import time

import pytest

from composer.platforms.base import AccountInfo, NeedsCheck, PostOptions, Secret, TransientError
from composer.platforms.mastodon import MastodonClient
from tests.fakes.mastodon import FakeMastodon, iso
from tests.platform_helpers import Saved, expect_error, fresh_records

TOKEN = "tok-LOOKUP-6c1d2e-never-shown"
WEEKLY = "Reminder: the reading group meets on Thursday at the library, 7 pm."

UNCLEAR = [
    pytest.param("status", {"status": 500, "body": {"error": "boom"}}, id="500"),
    pytest.param("html", {"status": 502}, id="502-html"),
    pytest.param("malformed-json", {}, id="garbled"),
    pytest.param("drop-before", {}, id="dropped"),
    pytest.param("status", {"status": 200, "body": {"id": ["a"], "url": ["a"]}}, id="200-id-is-a-list"),
    pytest.param("status", {"status": 200, "body": {"id": "1", "url": ["a"]}}, id="200-url-is-a-list"),
    pytest.param("status", {"status": 200, "body": {"id": True}}, id="200-id-is-a-bool"),
]


@pytest.fixture
def fake():
    with FakeMastodon() as server:
        server.add_account("alice", token=TOKEN)
        yield server


def client(fake: FakeMastodon, http) -> MastodonClient:
    return MastodonClient(AccountInfo(name="main", platform="mastodon", server=fake.url), Secret(TOKEN), http)


async def publish(fake, http, text: str, records, saved: Saved, **options):
    return await client(fake, http).publish([text], records, PostOptions(**options), saved)


async def unclear(fake, http, text: str, kind: str, kw: dict, **options) -> Saved:
    """A first try of `text` that fails unclearly; the saved records, stamped."""
    fake.inject(kind, path="/api/v1/statuses", method="POST", **kw)
    saved = Saved()
    err = await expect_error(TransientError, publish(fake, http, text, fresh_records(MastodonClient, [text]), saved,
                                                     **options), [TOKEN])
    assert err.ambiguous, err.message
    assert saved.last[0].tried_at and saved.last[0].id is None
    return saved


def backdate(fake: FakeMastodon, status_id: str, seconds: float) -> None:
    with fake.lock:
        fake.statuses[status_id]["created_at"] = iso(time.time() - seconds)


async def earlier_post(fake, http, text: str = WEEKLY, seconds: float = 60, **options) -> str:
    """The same text, published by another draft `seconds` ago: its status id."""
    done = await publish(fake, http, text, fresh_records(MastodonClient, [text]), Saved(), **options)
    backdate(fake, done[0].id, seconds)
    return done[0].id


@pytest.mark.parametrize("kind, kw", UNCLEAR)
async def test_a_same_text_post_made_earlier_is_not_taken_for_this_one(fake, http, kind, kw):
    """Before: the retry recorded the other draft's post as sent and published nothing.
    After: the post is published, and its own URL is recorded."""
    other = await earlier_post(fake, http)
    saved = await unclear(fake, http, WEEKLY, kind, kw)
    first_key = saved.last[0].key
    done = await publish(fake, http, WEEKLY, saved.last, saved)
    posts = fake.posts("alice")
    assert len(posts) == 2, "this draft's post was published"
    assert done[0].id != other and done[0].id == posts[-1]["id"]
    assert done[0].url and done[0].url.endswith(done[0].id)
    # The fallback behind the look-up re-sent with the part's own key (issue 18, item 6).
    keys = [r.header("Idempotency-Key") for r in fake.requests("POST", "/api/v1/statuses")]
    assert keys[-2:] == [first_key, first_key]


async def test_a_post_written_on_the_site_just_before_is_not_taken_either(fake, http):
    other = await earlier_post(fake, http, seconds=5, content_warning="books")
    saved = await unclear(fake, http, WEEKLY, "status", {"status": 500}, content_warning="books")
    done = await publish(fake, http, WEEKLY, saved.last, saved, content_warning="books")
    assert done[0].id != other and len(fake.posts("alice")) == 2


async def test_a_dropped_answer_finds_its_own_post_not_the_earlier_one(fake, http):
    other = await earlier_post(fake, http)
    saved = await unclear(fake, http, WEEKLY, "drop-after-commit", {})
    assert len(fake.posts("alice")) == 2  # the try reached the server
    done = await publish(fake, http, WEEKLY, saved.last, saved)
    posts = fake.posts("alice")
    assert len(posts) == 2, "nothing posted twice"
    assert done[0].id == posts[-1]["id"] != other


async def test_two_fitting_posts_since_the_first_try_need_the_writer(fake, http):
    saved = await unclear(fake, http, WEEKLY, "drop-after-commit", {})
    # Meanwhile another draft with the same text went out too: which one is this draft's?
    await publish(fake, http, WEEKLY, fresh_records(MastodonClient, [WEEKLY]), Saved())
    err = await expect_error(NeedsCheck, publish(fake, http, WEEKLY, saved.last, saved), [TOKEN])
    assert "2 posts with the same text" in err.message and "mark it as sent" in err.hint
    assert len(fake.posts("alice")) == 2, "nothing sent in doubt"


async def test_a_fitting_post_without_a_time_needs_the_writer(fake, http):
    saved = await unclear(fake, http, WEEKLY, "drop-after-commit", {})
    with fake.lock:
        for status in fake.statuses.values():
            status["created_at"] = None
    err = await expect_error(NeedsCheck, publish(fake, http, WEEKLY, saved.last, saved), [TOKEN])
    assert "does not say when" in err.message
    assert len(fake.posts("alice")) == 1


async def test_more_posts_since_than_the_look_up_reads_need_the_writer(fake, http):
    saved = await unclear(fake, http, WEEKLY, "status", {"status": 500})
    for i in range(121):
        await publish(fake, http, f"post {i}", fresh_records(MastodonClient, [f"post {i}"]), Saved())
    err = await expect_error(NeedsCheck, publish(fake, http, WEEKLY, saved.last, saved), [TOKEN])
    assert "more than 120 posts" in err.message
    assert not any(p["text"] == WEEKLY for p in fake.posts("alice"))


async def test_a_later_try_keeps_the_first_tries_time(fake, http):
    saved = await unclear(fake, http, WEEKLY, "status", {"status": 500})
    first = saved.last[0].tried_at
    fake.inject("status", path="/api/v1/statuses", method="POST", status=503)
    await expect_error(TransientError, publish(fake, http, WEEKLY, saved.last, saved), [TOKEN])
    assert saved.last[0].tried_at == first and "." in first  # milliseconds


@pytest.mark.parametrize("body", [{"id": ["a"], "url": ["a"]}, {"id": {"x": 1}}, {"id": "9", "uri": 5}])
async def test_a_wrong_typed_answer_is_unclear_not_sent(fake, http, body):
    """Before: recorded as sent with the URL "['a']". After: unclear; the retry finds nothing and
    sends with the same key, so exactly one post."""
    saved = await unclear(fake, http, "hello", "status", {"status": 200, "body": body})
    assert saved.last[0].url is None
    done = await publish(fake, http, "hello", saved.last, saved)
    posts = fake.posts("alice")
    assert len(posts) == 1 and done[0].id == posts[0]["id"] and done[0].url == posts[0]["url"]


# ---------------------------------------------------------------------- LinkedIn


async def linkedin_publish(fake, http, text: str, records, saved: Saved):
    from composer.platforms.linkedin import LinkedInClient

    member = fake.member("Alice Example")
    account = AccountInfo(name="li", platform="linkedin", server=fake.url,
                          options={"person": f"urn:li:person:{member.sub}"})
    return await LinkedInClient(account, Secret(LI_TOKEN), http).publish([text], records, PostOptions(), saved)


LI_TOKEN = "AQX-LOOKUP-li-8d7c6b5a4f3e-never-shown"


@pytest.fixture
def linkedin():
    from tests.fakes.linkedin import FakeLinkedIn

    with FakeLinkedIn() as server:
        server.add_member("Alice Example", token=LI_TOKEN)
        yield server


def li_fresh(text: str):
    from composer.platforms.linkedin import LinkedInClient

    return fresh_records(LinkedInClient, [text])


async def test_linkedin_a_duplicate_of_an_older_post_after_an_unclear_try_is_not_sent(linkedin, http):
    """Before: "sent", with last week's post's URL. After: refused, naming that post; nothing recorded."""
    from composer.platforms.base import Rejected

    await linkedin_publish(linkedin, http, WEEKLY, li_fresh(WEEKLY), Saved())
    with linkedin.lock:
        (older,) = linkedin.posts.values()
        older["createdAt"] -= 7 * 24 * 3600 * 1000
    linkedin.inject("drop-before", path="/rest/posts", method="POST")
    saved = Saved()
    await expect_error(TransientError, linkedin_publish(linkedin, http, WEEKLY, li_fresh(WEEKLY), saved), [LI_TOKEN])
    assert saved.last[0].tried_at
    err = await expect_error(Rejected, linkedin_publish(linkedin, http, WEEKLY, saved.last, saved), [LI_TOKEN])
    assert older["urn"] in err.message
    assert saved.last[0].id is None


async def test_linkedin_a_duplicate_whose_time_cannot_be_read_needs_the_writer(linkedin, http):
    linkedin.inject("drop-after-commit", path="/rest/posts", method="POST")
    saved = Saved()
    await expect_error(TransientError, linkedin_publish(linkedin, http, WEEKLY, li_fresh(WEEKLY), saved), [LI_TOKEN])
    linkedin.inject("status", path="/rest/posts/.*", method="GET", status=500)
    err = await expect_error(NeedsCheck, linkedin_publish(linkedin, http, WEEKLY, saved.last, saved), [LI_TOKEN])
    assert "mark it as sent" in err.hint and saved.last[0].id is None
    # Once the time can be read, the retry finds this draft's own post.
    done = await linkedin_publish(linkedin, http, WEEKLY, saved.last, saved)
    assert done[0].id == linkedin.all_posts()[0]["urn"] and len(linkedin.all_posts()) == 1


# ---------------------------------------------------------------------- Threads


TH_TOKEN = "THAA-LOOKUP-th-1a2b3c4d5e-never-shown"


@pytest.fixture
def threads():
    from tests.fakes.threads import FakeThreads

    with FakeThreads() as server:
        server.add_user("alice", token=TH_TOKEN)
        yield server


async def threads_publish(fake, http, text: str, records, saved: Saved):
    import json
    from datetime import UTC, datetime, timedelta

    from composer.platforms.threads import ThreadsClient

    issued = datetime.now(UTC) - timedelta(hours=1)
    secret = Secret(json.dumps({"access_token": TH_TOKEN, "issued_at": issued.isoformat(timespec="seconds"),
                                "expires_at": (issued + timedelta(days=60)).isoformat(timespec="seconds")}))
    account = AccountInfo("th", "threads", server=fake.url, options={"user_id": fake.user("alice").id})
    return await ThreadsClient(account, secret, http).publish([text], records, PostOptions(), saved)


def th_fresh(text: str):
    from composer.platforms.threads import ThreadsClient

    return fresh_records(ThreadsClient, [text])


async def test_threads_a_lost_publish_finds_its_own_post_not_an_earlier_same_text_one(threads, http):
    """Before: the earliest same-text post of the last 10 minutes was taken (another draft's).
    After: only a post made after this part's container counts."""
    from tests.fakes.threads import stamp

    await threads_publish(threads, http, WEEKLY, th_fresh(WEEKLY), Saved())
    with threads.lock:
        (older,) = threads.media.values()
        older["timestamp"] = stamp(time.time() - 300)
    threads.inject("drop-after-commit", path=r"/v1.0/\d+/threads_publish", method="POST")
    saved = Saved()
    await expect_error(TransientError, threads_publish(threads, http, WEEKLY, th_fresh(WEEKLY), saved), [TH_TOKEN])
    done = await threads_publish(threads, http, WEEKLY, saved.last, saved)
    posts = threads.posts()
    assert len(posts) == 2 and done[0].id == posts[-1]["id"] != older["id"]


async def test_threads_two_fitting_posts_need_the_writer(threads, http):
    threads.inject("drop-after-commit", path=r"/v1.0/\d+/threads_publish", method="POST")
    saved = Saved()
    await expect_error(TransientError, threads_publish(threads, http, WEEKLY, th_fresh(WEEKLY), saved), [TH_TOKEN])
    await threads_publish(threads, http, WEEKLY, th_fresh(WEEKLY), Saved())  # another draft, meanwhile
    err = await expect_error(NeedsCheck, threads_publish(threads, http, WEEKLY, saved.last, saved), [TH_TOKEN])
    assert "2 of your recent posts" in err.message and len(threads.posts()) == 2


# ---------------------------------------------------------------------- Bluesky: the fallback's key


async def test_bluesky_a_retry_whose_look_up_misses_sends_the_same_record_key(http):
    """Item 6 for Bluesky: after an unclear failure the retry looks the key up (getRecord) and, when
    the record is not there, creates it under the SAME key, so a try that did land meanwhile can
    never become a second post. A change that made retries use a fresh key fails here."""
    from composer.platforms.bluesky import BlueskyClient
    from tests.fakes.bluesky import FakeBluesky
    from tests.test_bluesky import APP_PW, login, new_records

    with FakeBluesky() as fake:
        fake.add_account("alice.test", app_password=APP_PW)
        client = await login(fake, http)
        create = r"/xrpc/com\.atproto\.repo\.createRecord"
        fake.inject("status", path=create, method="POST", status=502, body={"error": "BadGateway"})
        saved = Saved()
        records = new_records(["hello, sky"])
        err = await expect_error(TransientError, client.publish(["hello, sky"], records, PostOptions(), saved), [APP_PW])
        assert err.ambiguous and not fake.posts()
        # The publisher wrote the keys to the draft before the first try: the retry starts from them.
        done = await client.publish(["hello, sky"], saved.last if saved.history else records, PostOptions(), saved)
        keys = [r.json["rkey"] for r in fake.requests("POST", create)]
        assert keys == [records[0].key, records[0].key], keys
        assert [p.rkey for p in fake.posts()] == [records[0].key] and done[0].key == records[0].key
        assert fake.requests("GET", r"/xrpc/com\.atproto\.repo\.getRecord"), "the retry looked first"
        assert isinstance(client, BlueskyClient)


# ---------------------------------------------------------------------- X


@pytest.fixture
def xfake():
    from tests.fakes.x import FakeX

    with FakeX() as server:
        server.client_id, _ = server.add_app()
        server.access_token, server.refresh_token = server.tokens_for(server.client_id)
        yield server


async def x_publish(server, http, text: str, records, saved: Saved):
    from tests.test_x import client

    return await client(server, http).publish([text], records, PostOptions(), saved)


def x_fresh(text: str):
    from composer.platforms.x import XClient

    return fresh_records(XClient, [text])


async def test_x_an_earlier_same_text_post_is_not_taken_for_this_one(xfake, http):
    """Before: the look-up took any same-text post of the 15 minutes before the try (the earliest),
    and X's "duplicate" answer then also took it: "sent" with another post's address. After: the
    earlier post is not this draft's, and X's refusal of the same text is said as such."""
    from composer.platforms.base import Rejected
    from tests.test_x import tokens

    await x_publish(xfake, http, WEEKLY, x_fresh(WEEKLY), Saved())
    with xfake.lock:
        (older,) = xfake.tweets
        older["created"] -= 300
    xfake.inject("status", path="/2/tweets", method="POST", status=503, body={"title": "Service Unavailable"})
    saved = Saved()
    await expect_error(TransientError, x_publish(xfake, http, WEEKLY, x_fresh(WEEKLY), saved), tokens(xfake))
    assert saved.last[0].tried_at
    err = await expect_error(Rejected, x_publish(xfake, http, WEEKLY, saved.last, saved), tokens(xfake))
    assert "duplicate" in err.message.lower() and saved.last[0].id is None
    assert len(xfake.tweets) == 1


async def test_x_a_lost_answer_finds_its_own_post(xfake, http):
    from tests.test_x import tokens

    xfake.inject("drop-after-commit", path="/2/tweets", method="POST")
    saved = Saved()
    await expect_error(TransientError, x_publish(xfake, http, WEEKLY, x_fresh(WEEKLY), saved), tokens(xfake))
    done = await x_publish(xfake, http, WEEKLY, saved.last, saved)
    assert done[0].id == xfake.tweets[0]["id"] and len(xfake.tweets) == 1
