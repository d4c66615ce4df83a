"""The Threads client against FakeThreads: real sockets on 127.0.0.1, the real client over httpx,
and `humane accounts add` in a subprocess with a real Secret Service."""

from __future__ import annotations

import json
import os
import subprocess
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from composer.guidelines.length import measure
from composer.platforms import client_class
from composer.platforms.base import (
    AccountInfo,
    AuthError,
    Limits,
    NeedsCheck,
    PartRecord,
    PlatformError,
    PostOptions,
    RateLimited,
    Rejected,
    Secret,
    TransientError,
    digest,
)
from composer.platforms.http import new_http_client
from composer.platforms.threads import ThreadsClient
from tests.command import humane_command
from tests.fakes.threads import FakeThreads, meta_length
from tests.keyring_fixture import keyring_env, keyring_service  # noqa: F401 (fixtures)
from tests.platform_helpers import Saved, expect_error, fresh_records

TOKEN = "THAA-SECRET-th9f8e7d6c-never-show"
TOKENS_USED = {TOKEN}

THREAD = [
    "Why our town library matters, a thread. It lends tools too: https://library.example.org/tools",
    "Thanks to everyone who came on Saturday. #libraries",
    "Next time: seeds.",
]


@pytest.fixture
def fake():
    with FakeThreads() as server:
        server.add_user("alice", token=TOKEN)
        yield server


def secret(token: str = TOKEN, *, age: timedelta = timedelta(hours=1)) -> Secret:
    issued = datetime.now(UTC) - age
    return Secret(json.dumps({"access_token": token, "issued_at": issued.isoformat(timespec="seconds"),
                              "expires_at": (issued + timedelta(days=60)).isoformat(timespec="seconds")}))


def client(fake: FakeThreads, http: httpx.AsyncClient, token: str = TOKEN, *, age=timedelta(hours=1),
           changes: list | None = None, **kw) -> ThreadsClient:
    TOKENS_USED.add(token)
    options = kw.pop("options", {"user_id": fake.user("alice").id})
    c = ThreadsClient(AccountInfo("th", "threads", server=fake.url, options=options, **kw), secret(token, age=age),
                      http, on_secret_change=changes.append if changes is not None else None)
    c.poll_delays = (0.01, 0.02, 0.05)
    return c


def fresh(parts: list[str]) -> list[PartRecord]:
    return fresh_records(ThreadsClient, parts)


async def fails(exc_type, coro) -> PlatformError:
    return await expect_error(exc_type, coro, TOKENS_USED)


def assert_one_thread(fake: FakeThreads, parts: list[str], records: list[PartRecord]) -> None:
    posts = fake.posts()
    assert [p["text"] for p in posts] == parts, "exactly one post per part, in order"
    assert [p["id"] for p in posts] == [r.id for r in records]
    assert [p["reply_to"] for p in posts] == [None] + [r.id for r in records[:-1]]
    assert [r.url for r in records] == [p["permalink"] for p in posts]


# ---------------------------------------------------------------------- login, verify, refresh


def test_registered():
    cls = client_class("threads")
    assert cls is ThreadsClient
    assert (cls.platform, cls.label, cls.SUPPORTS_THREADS, cls.DEFAULT_SERVER) == (
        "threads", "Threads", True, "https://graph.threads.net")


async def test_login_with_a_pasted_token(fake, http):
    before = datetime.now(UTC).replace(microsecond=0)
    sec, acct = await ThreadsClient.login(http, AccountInfo("th", "threads", server=fake.url),
                                          lambda p, s: f"Bearer {TOKEN}\n")
    data = json.loads(sec.reveal())
    assert data["access_token"] == TOKEN
    issued = datetime.fromisoformat(data["issued_at"])
    assert before <= issued <= datetime.now(UTC)
    assert datetime.fromisoformat(data["expires_at"]) - issued == timedelta(days=60)
    assert acct.handle == "alice" and acct.options == {"user_id": fake.user("alice").id}
    assert not fake.requests("GET", "/refresh_access_token")
    assert TOKEN not in repr(sec) and TOKEN not in repr(acct)


async def test_login_with_a_bad_token(fake, http):
    err = await fails(AuthError, ThreadsClient.login(http, AccountInfo("th", "threads", server=fake.url),
                                                     lambda p, s: "nope"))
    assert "code 190" in err.message and "Invalid OAuth access token" in err.message
    assert "humane accounts add th --platform threads" in err.hint


async def test_verify_a_young_token_does_not_refresh(fake, http):
    identity = await client(fake, http).verify()
    assert identity.id == fake.user("alice").id and identity.handle == "alice" and identity.display_name == "Alice"
    assert identity.url == "https://www.threads.net/@alice"
    assert identity.expires_at and datetime.fromisoformat(identity.expires_at) > datetime.now(UTC) + timedelta(days=58)
    assert not fake.requests("GET", "/refresh_access_token")
    assert fake.requests("GET", "/v1.0/me")[0].header("authorization") == f"Bearer {TOKEN}"


async def test_a_token_a_day_old_is_refreshed_and_saved(fake, http):
    fake.age(TOKEN, 30)
    changes: list[Secret] = []
    c = client(fake, http, age=timedelta(hours=30), changes=changes)
    identity = await c.verify()
    (new,) = changes
    data = json.loads(new.reveal())
    assert data["access_token"] != TOKEN and data["access_token"] in fake.tokens
    assert datetime.fromisoformat(data["expires_at"]) - datetime.fromisoformat(data["issued_at"]) == \
        timedelta(seconds=5_183_944)
    assert identity.expires_at == data["expires_at"] and c.secret == new
    (refresh,) = fake.requests("GET", "/refresh_access_token")
    assert refresh.query["grant_type"] == ["th_refresh_token"] and refresh.query["access_token"] == [TOKEN]
    me = fake.requests("GET", "/v1.0/me")[-1]
    assert me.header("authorization") == f"Bearer {data['access_token']}"
    await c.verify()  # once per client
    assert len(fake.requests("GET", "/refresh_access_token")) == 1
    TOKENS_USED.add(data["access_token"])


async def test_a_refused_refresh_keeps_the_old_token(fake, http):
    changes: list[Secret] = []
    c = client(fake, http, age=timedelta(days=3), changes=changes)  # we think it is old; Meta says it is new
    await c.verify()
    assert changes == [] and json.loads(c.secret.reveal())["access_token"] == TOKEN
    assert len(fake.requests("GET", "/refresh_access_token")) == 1


async def test_a_bare_token_is_refreshed_on_first_use(fake, http):
    fake.age(TOKEN, 48)
    changes: list[Secret] = []
    c = ThreadsClient(AccountInfo("th", "threads", server=fake.url), Secret(TOKEN), http,
                      on_secret_change=changes.append)
    await c.verify()
    assert len(changes) == 1 and json.loads(changes[0].reveal())["issued_at"]


async def test_an_expired_token(fake, http):
    fake.expire(TOKEN)
    for age in (timedelta(hours=1), timedelta(days=70)):
        c = client(fake, http, age=age)
        for call in (c.verify(), c.publish(["hi"], fresh(["hi"]), PostOptions(), Saved())):
            err = await fails(AuthError, call)
            assert "Session has expired" in err.message and "long-lived" in err.hint
    assert fake.posts() == [] and fake.containers == {}


async def test_a_token_without_the_publish_scope(fake, http):
    token = fake.add_user("alice", scopes="threads_basic")
    err = await fails(AuthError, client(fake, http, token=token).publish(["hi"], fresh(["hi"]), PostOptions(), Saved()))
    assert "code 10" in err.message and "threads_content_publish" in err.hint


# ---------------------------------------------------------------------- publishing


async def test_a_single_post_in_two_steps(fake, http):
    saved = Saved()
    records = fresh(["Hello, Threads"])
    done = await client(fake, http).publish(["Hello, Threads"], records, PostOptions(), saved)
    (post,) = fake.posts()
    assert done[0].id == post["id"] and done[0].url == post["permalink"] and done[0].key == records[0].key
    container = done[0].extra["container"]
    assert post["container"] == container
    # The container id was saved before anything was published.
    first = saved.history[0][0]
    assert first.extra["container"] == container and first.id is None
    paths = [(r.method, r.path) for r in fake.log]
    user = fake.user("alice").id
    assert paths == [
        ("POST", f"/v1.0/{user}/threads"),
        ("GET", f"/v1.0/{container}"),
        ("POST", f"/v1.0/{user}/threads_publish"),
        ("GET", f"/v1.0/{post['id']}"),
    ]
    create, _, publish, _ = fake.log
    assert create.form == {"media_type": ["TEXT"], "text": ["Hello, Threads"]}
    assert publish.query == {"creation_id": [container]}


async def test_a_long_post_becomes_a_reply_chain_within_both_limits(fake, http):
    c = client(fake, http)
    text = " ".join(f"Point {i}: more at https://example.org/notes/{i} and more words." for i in range(14))
    parts = c.split(text, await c.limits())
    assert len(parts) >= 3
    assert all(measure(p, "threads").fits for p in parts)
    done = await c.publish(parts, fresh(parts), PostOptions(), Saved())
    assert_one_thread(fake, parts, done)
    assert await c.limits() == Limits(max_chars=500, max_links=5)


async def test_the_thread_continues_after_parts_already_sent(fake, http):
    first = await client(fake, http).publish(THREAD[:1], fresh(THREAD[:1]), PostOptions(), Saved())
    done = await client(fake, http).publish(THREAD, first + fresh(THREAD[1:]), PostOptions(), Saved())
    assert_one_thread(fake, THREAD, done)
    assert len(fake.containers) == 3


async def test_a_container_in_progress_is_waited_for(http):
    with FakeThreads(in_progress_reads=2) as fake:
        fake.add_user("alice", token=TOKEN)
        done = await client(fake, http).publish(["patience"], fresh(["patience"]), PostOptions(), Saved())
        assert len(fake.requests("GET", r"/v1.0/\d+")) == 4  # 3 status reads, then the permalink
        assert done[0].id == fake.posts()[0]["id"]


async def test_a_container_still_in_progress_is_published_on_retry_not_made_again(http):
    with FakeThreads(in_progress_reads=10) as fake:
        fake.add_user("alice", token=TOKEN)
        saved = Saved()
        err = await fails(TransientError, client(fake, http).publish(["slow"], fresh(["slow"]), PostOptions(), saved))
        assert not err.ambiguous and "still preparing" in err.message
        (container,) = fake.containers
        assert saved.last[0].extra["container"] == container and fake.posts() == []
        fake.containers[container].reads_left = 1
        done = await client(fake, http).publish(["slow"], saved.last, PostOptions(), saved)
        assert len(fake.containers) == 1 and fake.posts()[0]["container"] == container
        assert done[0].id == fake.posts()[0]["id"]


async def test_refused_before_sending(fake, http):
    c = client(fake, http)
    cases = [
        (["x" * 501], "501 characters", {}),
        (["😀" * 126], "504 characters", {}),
        ([" ".join(f"https://e.org/{i}" for i in range(6))], "6 links", {}),
        (["fine", "   "], "Part 2 of 2 is empty", {}),
        (["cw"], "no content warnings", {"content_warning": "spoilers"}),
        (["vis"], "'unlisted' cannot be kept", {"visibility": "unlisted"}),
    ]
    for parts, words, opts in cases:
        err = await fails(Rejected, c.publish(parts, fresh(parts), PostOptions(**opts), Saved()))
        assert words in err.message, err.message
    assert not fake.requests("POST")
    assert meta_length("😀" * 125) == 500
    await c.publish(["😀" * 125], fresh(["😀" * 125]), PostOptions(), Saved())
    assert len(fake.posts()) == 1


async def test_the_fake_enforces_the_limits_the_client_checks(fake):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    url = f"{fake.url}/v1.0/me/threads"
    r = httpx.post(url, data={"media_type": "TEXT", "text": "x" * 501}, headers=auth)
    assert r.status_code == 400 and r.json()["error"]["type"] == "THApiException" and r.json()["error"]["code"] == 100
    links = " ".join(f"https://e.org/{i}" for i in range(6))
    r = httpx.post(url, data={"media_type": "TEXT", "text": links}, headers=auth)
    assert r.json()["error"]["error_user_title"] == "THREADS_API__LINK_LIMIT_EXCEEDED"
    r = httpx.post(url, data={"media_type": "TEXT", "text": "reply", "reply_to_id": "1"}, headers=auth)
    assert r.status_code == 400 and r.json()["error"]["error_subcode"] == 4279009
    r = httpx.post(url, params={"media_type": "TEXT", "text": "ok", "access_token": TOKEN})
    cid = r.json()["id"]
    assert httpx.get(f"{fake.url}/v1.0/{cid}", params={"fields": "status"}, headers=auth).json()["status"] == "FINISHED"
    fake.expire_container(cid)
    r = httpx.post(f"{fake.url}/v1.0/me/threads_publish", params={"creation_id": cid}, headers=auth)
    assert r.status_code == 400 and "expired" in r.json()["error"]["message"]
    r = httpx.get(f"{fake.url}/v1.0/me", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401 and r.json()["error"]["code"] == 190


@pytest.mark.parametrize("kind, kw, error, words", [
    ("status", {"status": 500, "body": {"error": {"message": "An unknown error occurred", "type": "OAuthException",
                                                   "code": 1, "is_transient": True}}},
     TransientError, "HTTP 500, code 1: An unknown error occurred"),
    ("html", {"status": 502}, TransientError, "HTTP 502: 502 Bad Gateway"),
    ("malformed-json", {}, TransientError, "not JSON"),
    ("drop-before", {}, TransientError, "did not answer in full"),
    ("status", {"status": 400, "body": {"error": {"message": "Application request limit reached",
                                                   "type": "OAuthException", "code": 4}}},
     RateLimited, "code 4: Application request limit reached"),
    ("status", {"status": 429, "body": {"error": {"message": "Too many calls", "code": 613}},
                "headers": {"Retry-After": "12"}}, RateLimited, "Too many calls"),
    ("status", {"status": 401, "body": {"error": {"message": "Error validating access token", "type": "OAuthException",
                                                   "code": 190}}}, AuthError, "code 190"),
    ("status", {"status": 400, "body": {"error": {"message": "Invalid parameter", "type": "THApiException",
                                                   "code": 100, "error_subcode": 2207051}}},
     Rejected, "code 100: Invalid parameter"),
])
async def test_faults_on_making_the_container(fake, http, kind, kw, error, words):
    fake.inject(kind, path=r"/v1.0/\d+/threads", method="POST", **kw)
    err = await fails(error, client(fake, http).publish(["hello"], fresh(["hello"]), PostOptions(), Saved()))
    assert words in err.message, err.message
    assert err.hint
    if isinstance(err, TransientError):
        assert not err.ambiguous  # a container alone is never a post
    if kind == "status" and kw["status"] == 429:
        assert err.retry_after == 12
    assert fake.posts() == []


@pytest.mark.parametrize("kind, kw", [
    ("status", {"status": 503, "body": {"error": {"message": "Service unavailable", "code": 2}}}),
    ("html", {"status": 504}),
    ("drop-after-commit", {}),
])
async def test_faults_on_publishing_are_ambiguous(fake, http, kind, kw):
    fake.inject(kind, path=r"/v1.0/\d+/threads_publish", **kw)
    err = await fails(TransientError, client(fake, http).publish(["hello"], fresh(["hello"]), PostOptions(), Saved()))
    assert err.ambiguous


async def test_latency_is_waited_out_and_a_slow_publish_times_out(fake):
    fake.inject("latency", seconds=0.2, times=4)  # every request of one post
    async with new_http_client() as http:
        await client(fake, http).publish(["slow"], fresh(["slow"]), PostOptions(), Saved())
    fake.inject("latency", path=r"/v1.0/\d+/threads_publish", seconds=1.0)
    saved = Saved()
    async with new_http_client(timeout=httpx.Timeout(0.3)) as http:
        err = await fails(TransientError, client(fake, http).publish(["late"], fresh(["late"]), PostOptions(), saved))
    assert err.ambiguous and "ReadTimeout" in err.message
    async with new_http_client() as http:  # the publish went through after all: found, not repeated
        done = await client(fake, http).publish(["late"], saved.last, PostOptions(), saved)
    assert [p["text"] for p in fake.posts()] == ["slow", "late"] and done[0].id == fake.posts()[1]["id"]


async def test_a_post_without_a_permalink_is_still_sent(fake, http):
    """Meta omits `permalink` for media flagged for copyright: the post is sent, without a URL."""
    fake.no_permalink = True
    done = await client(fake, http).publish(["quoted lyrics"], fresh(["quoted lyrics"]), PostOptions(), Saved())
    assert done[0].id == fake.posts()[0]["id"] and done[0].url is None


# ---------------------------------------------------------------------- retry safety


@pytest.mark.parametrize("flavour", ["status", "media"])
@pytest.mark.parametrize("dropped", [0, 1, 2])
async def test_a_dropped_publish_then_retry_leaves_exactly_one_thread(http, flavour, dropped):
    """THE test: Threads publishes part `dropped` and the answer is lost; the retry reads the saved
    container, finds it PUBLISHED, finds its post, and continues the thread after it."""
    with FakeThreads(published_container=flavour) as fake:
        fake.add_user("alice", token=TOKEN)
        records, saved = fresh(THREAD), Saved()
        if dropped:
            first = await client(fake, http).publish(THREAD[:dropped], records[:dropped], PostOptions(), saved)
            records = first + records[dropped:]
        fake.inject("drop-after-commit", path=r"/v1.0/\d+/threads_publish", method="POST")
        err = await fails(TransientError, client(fake, http).publish(THREAD, records, PostOptions(), saved))
        assert err.ambiguous
        assert len(fake.posts()) == dropped + 1
        state = saved.last
        assert state[dropped].id is None and state[dropped].extra["container"]
        publishes = len(fake.requests("POST", r"/v1.0/\d+/threads_publish"))

        done = await client(fake, http).publish(THREAD, state, PostOptions(), saved)
        assert_one_thread(fake, THREAD, done)
        assert len(fake.containers) == len(THREAD)  # the dropped part's container was reused, not remade
        assert len(fake.requests("POST", r"/v1.0/\d+/threads_publish")) - publishes == len(THREAD) - dropped - 1
        again = await client(fake, http).publish(THREAD, done, PostOptions(), saved)
        assert again == done and len(fake.posts()) == len(THREAD)


async def test_a_dropped_container_answer_makes_a_new_container_and_one_post(fake, http):
    fake.inject("drop-after-commit", path=r"/v1.0/\d+/threads", method="POST")
    saved = Saved()
    records = fresh(["only once"])
    err = await fails(TransientError, client(fake, http).publish(["only once"], records, PostOptions(), saved))
    assert not err.ambiguous and len(fake.containers) == 1 and fake.posts() == []
    done = await client(fake, http).publish(["only once"], records, PostOptions(), saved)
    assert len(fake.containers) == 2 and len(fake.posts()) == 1 and done[0].id == fake.posts()[0]["id"]


async def test_a_saved_finished_container_is_published_not_remade(fake, http):
    fake.inject("drop-before", path=r"/v1.0/\d+/threads_publish", method="POST")
    saved = Saved()
    await fails(TransientError, client(fake, http).publish(["finished"], fresh(["finished"]), PostOptions(), saved))
    (container,) = fake.containers
    done = await client(fake, http).publish(["finished"], saved.last, PostOptions(), saved)
    assert len(fake.containers) == 1 and fake.posts()[0]["container"] == container and done[0].sent


@pytest.mark.parametrize("how", ["expired", "error", "gone"])
async def test_an_expired_failed_or_vanished_container_is_replaced(fake, http, how):
    fake.inject("drop-before", path=r"/v1.0/\d+/threads_publish", method="POST")
    saved = Saved()
    await fails(TransientError, client(fake, http).publish(["again"], fresh(["again"]), PostOptions(), saved))
    (old,) = fake.containers
    if how == "expired":
        fake.expire_container(old)
    elif how == "error":
        fake.fail_container(old)
    else:
        del fake.containers[old]
    done = await client(fake, http).publish(["again"], saved.last, PostOptions(), saved)
    (post,) = fake.posts()
    assert post["container"] != old and done[0].extra["container"] == post["container"]


async def test_published_but_not_found_needs_the_writer(fake, http):
    fake.inject("drop-after-commit", path=r"/v1.0/\d+/threads_publish", method="POST")
    saved = Saved()
    await fails(TransientError, client(fake, http).publish(["gone"], fresh(["gone"]), PostOptions(), saved))
    fake.media.clear()  # the writer deleted it meanwhile
    err = await fails(NeedsCheck, client(fake, http).publish(["gone"], saved.last, PostOptions(), saved))
    assert "Check your Threads profile" in err.hint
    assert len(fake.requests("POST", r"/v1.0/\d+/threads_publish")) == 1


async def test_an_edited_part_after_it_went_out(fake, http):
    fake.inject("drop-after-commit", path=r"/v1.0/\d+/threads_publish", method="POST")
    saved = Saved()
    await fails(TransientError, client(fake, http).publish(["first words"], fresh(["first words"]), PostOptions(), saved))
    err = await fails(Rejected, client(fake, http).publish(["other words"], saved.last, PostOptions(), saved))
    assert "changed after" in err.message and len(fake.posts()) == 1


async def test_an_edited_part_whose_container_was_never_published_is_remade(fake, http):
    fake.inject("drop-before", path=r"/v1.0/\d+/threads_publish", method="POST")
    saved = Saved()
    await fails(TransientError, client(fake, http).publish(["draft one"], fresh(["draft one"]), PostOptions(), saved))
    done = await client(fake, http).publish(["draft two"], saved.last, PostOptions(), saved)
    assert [p["text"] for p in fake.posts()] == ["draft two"] and done[0].digest == digest("draft two")


async def test_the_token_never_shows(fake, http):
    c = client(fake, http)
    assert TOKEN not in repr(c) and TOKEN not in str(c.secret)
    fake.inject("status", path=r"/v1.0/\d+/threads", status=400,
                body={"error": {"message": f"bad token {TOKEN}", "code": 100}})
    err = await fails(Rejected, c.publish(["hi"], fresh(["hi"]), PostOptions(), Saved()))
    assert "bad token <token>" in err.message


# ---------------------------------------------------------------------- humane accounts add


@pytest.mark.keyring
def test_accounts_add_threads_keeps_the_token_json_in_the_keyring(fake, keyring_env):
    from composer.accounts import SecretStore

    env = dict(os.environ)
    r = subprocess.run([humane_command(), "accounts", "add", "th", "--platform", "threads", "--server", fake.url,
                        "--secret-stdin"], input=TOKEN + "\n", capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 0, r.stderr
    assert "Added Threads account 'th': @alice (Alice)" in r.stdout
    config_text = Path(os.environ["HUMANE_CONFIG"]).read_text("utf-8")
    assert TOKEN not in config_text and TOKEN not in r.stdout + r.stderr
    saved = tomllib.loads(config_text)["accounts"]["th"]
    assert saved["platform"] == "threads" and saved["handle"] == "alice"
    assert saved["user_id"] == fake.user("alice").id
    kept = json.loads(SecretStore().get("th").reveal())
    assert kept["access_token"] == TOKEN and kept["issued_at"] and kept["expires_at"]
    r = subprocess.run([humane_command(), "accounts", "verify", "th"], capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 0, r.stderr
    assert f"credentials expire: {kept['expires_at']}" in r.stdout
    assert "profile: https://www.threads.net/@alice" in r.stdout
