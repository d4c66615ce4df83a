"""The X client against FakeX: real sockets on 127.0.0.1, the real client over httpx, OAuth 2.0
with PKCE and rotating refresh tokens, the publish core with a real draft store, and
`humane accounts add` with the real keyring."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import httpx
import pytest

from composer.platforms import client_class
from composer.platforms.base import (
    AccountInfo,
    AuthError,
    NeedsCheck,
    PlatformError,
    PostOptions,
    RateLimited,
    Rejected,
    Secret,
    TransientError,
)
from composer.platforms.http import new_http_client
from composer.platforms.tokens import token_fields as parse_secret
from composer.platforms.tokens import token_secret
from composer.platforms.x import XClient
from tests.chat_helpers import (
    config_text,
    data_files_hold,
    humane,
    lost_answer_then_retry,
    publish_twice,
    saved_account,
)
from tests.fakes.x import FakeX
from tests.keyring_fixture import keyring_env, keyring_service  # noqa: F401 (fixtures)
from tests.platform_helpers import Saved, expect_error, fresh_records

LONG = " ".join(f"Part of the story {i}: the garden shares seeds & tools with <everyone>." for i in range(20))
USER = "1500000000000000001"


@pytest.fixture
def x():
    with FakeX() as server:
        server.client_id, _ = server.add_app()
        server.access_token, server.refresh_token = server.tokens_for(server.client_id)
        yield server


def secret_of(server: FakeX, **more) -> Secret:
    return token_secret({"access_token": server.access_token, "refresh_token": server.refresh_token,
                         "client_id": server.client_id, "expires_at": "2099-01-01T00:00:00+00:00", **more})


def client(server: FakeX, http: httpx.AsyncClient, secret: Secret | None = None, saved: list | None = None) -> XClient:
    info = AccountInfo("x", "x", server=server.url, handle="alice_grows", options={"user_id": USER})
    return XClient(info, secret or secret_of(server), http, on_secret_change=saved.append if saved is not None else None)


def tokens(server: FakeX) -> list[str]:
    return [*server.access, *server.refresh]


async def fails(exc_type, coro, server: FakeX) -> PlatformError:
    return await expect_error(exc_type, coro, tokens(server))


async def post(c: XClient, parts: list[str], saved: Saved | None = None, records=None):
    return await c.publish(parts, records or fresh_records(XClient, parts), PostOptions(), saved or Saved())


def test_registered_with_a_login():
    cls = client_class("x")
    assert cls is XClient and cls.label == "X" and cls.DEFAULT_SERVER == "https://api.x.com"
    assert (cls.NEEDS_SERVER, cls.NEEDS_HANDLE, cls.SUPPORTS_THREADS, cls.IDEMPOTENT) == (False, False, True, True)


# ---------------------------------------------------------------------- login


async def test_login_with_client_id_and_refresh_token_rotates_it_at_once(x, http):
    pasted = f"{x.client_id}:{x.refresh_token}"
    sec, acct = await XClient.login(http, AccountInfo("x", "x", server=x.url), lambda p, s: pasted)
    token = parse_secret(sec)
    assert token["client_id"] == x.client_id and token["refresh_token"] != x.refresh_token
    assert x.refresh_token not in x.refresh and token["refresh_token"] in x.refresh  # the old one is dead
    assert acct.handle == "alice_grows" and acct.options["user_id"] == USER


async def test_login_with_a_confidential_app_uses_basic_auth(x, http):
    client_id, client_secret = x.add_app(confidential=True)
    _, refresh = x.tokens_for(client_id)
    sec, _ = await XClient.login(http, AccountInfo("x", "x", server=x.url),
                                 lambda p, s: f"{client_id}:{client_secret}:{refresh}")
    assert parse_secret(sec)["client_secret"] == client_secret
    (req,) = x.requests("POST", "/2/oauth2/token")
    assert req.header("authorization").startswith("Basic ")


async def test_login_with_an_access_token_alone(x, http):
    sec, acct = await XClient.login(http, AccountInfo("x", "x", server=x.url), lambda p, s: x.access_token)
    assert parse_secret(sec) == {"access_token": x.access_token} and acct.handle == "alice_grows"
    assert not x.requests("POST", "/2/oauth2/token")


async def test_login_through_the_browser_with_pkce(x, http):
    asked: list[tuple[str, bool]] = []

    def ask(prompt: str, secret: bool) -> str:
        asked.append((prompt, secret))
        if len(asked) == 1:
            return ""  # Enter: log in through the browser
        if "Client ID" in prompt:
            return x.client_id
        if "Client Secret" in prompt:
            return ""
        url = re.search(r"(http://\S+/i/oauth2/authorize\?\S+)", prompt).group(1)
        return x.approve(url)

    sec, acct = await XClient.login(http, AccountInfo("x", "x", server=x.url), ask)
    token = parse_secret(sec)
    assert token["access_token"] in x.access and token["refresh_token"] in x.refresh
    assert acct.handle == "alice_grows" and [s for _, s in asked] == [True, False, True, False]
    assert "http://127.0.0.1:8976/callback" in asked[-1][0]


async def test_a_pasted_address_of_another_login_is_refused(x, http):
    answers = iter(["", x.client_id, ""])

    def ask(prompt: str, secret: bool) -> str:
        if "authorize" in prompt:
            return "http://127.0.0.1:8976/callback?state=other&code=abc"
        return next(answers)

    err = await fails(AuthError, XClient.login(http, AccountInfo("x", "x", server=x.url), ask), x)
    assert "state does not match" in err.message


async def test_a_dead_refresh_token_is_an_auth_error(x, http):
    pasted = f"{x.client_id}:{'r' * 40}"
    err = await expect_error(AuthError, XClient.login(http, AccountInfo("x", "x", server=x.url), lambda p, s: pasted),
                             [*tokens(x), "r" * 40])
    assert "Value passed for the token was invalid" in err.message and "--platform x" in err.hint


# ---------------------------------------------------------------------- tokens while posting


async def test_an_expired_token_is_refreshed_and_the_new_one_saved_before_posting(x, http):
    saved: list[Secret] = []
    old = secret_of(x, expires_at="2020-01-01T00:00:00+00:00")
    done = await post(client(x, http, old, saved), ["Fresh token, one post."])
    (new,) = saved
    token = parse_secret(new)
    assert token["access_token"] != x.access_token and token["refresh_token"] in x.refresh
    assert x.refresh_token not in x.refresh and done[0].sent
    (req,) = x.requests("POST", "/2/tweets")
    assert req.header("authorization") == f"Bearer {token['access_token']}"


async def test_a_401_refreshes_once_and_sends_once(x, http):
    saved: list[Secret] = []
    x.expire(x.access_token)  # X ended it early; the stored expiry still says it is good
    done = await post(client(x, http, None, saved), ["After a 401."])
    assert len(saved) == 1 and done[0].sent and len(x.posts()) == 1
    assert [r.path for r in x.requests()] == ["/2/tweets", "/2/oauth2/token", "/2/tweets"]


async def test_an_access_token_alone_that_expired_says_how_to_log_in_again(x, http):
    x.expire(x.access_token)
    err = await fails(AuthError, post(client(x, http, Secret(x.access_token)), ["hi"]), x)
    assert "HTTP 401: Unauthorized" in err.message and "humane accounts add x --platform x" in err.hint


# ---------------------------------------------------------------------- publishing


async def test_a_post_and_its_link(x, http):
    saved = Saved()
    done = await post(client(x, http), ["Seeds & tools on Saturday <3 https://garden.example/swap"], saved)
    (tweet,) = x.posts()
    assert tweet["text"] == "Seeds & tools on Saturday <3 https://garden.example/swap" and tweet["reply_to"] is None
    assert done[0].id == tweet["id"] and done[0].url == f"https://x.com/alice_grows/status/{tweet['id']}"
    assert "tried_at" in saved.history[0][0].extra and "tried_at" not in done[0].extra


async def test_a_long_post_is_a_thread_of_replies(x, http):
    c = client(x, http)
    parts = c.split(LONG, await c.limits())
    assert len(parts) > 1
    done = await post(c, parts)
    tweets = x.posts()
    assert [t["text"] for t in tweets] == parts
    assert [t["reply_to"] for t in tweets] == [None] + [t["id"] for t in tweets[:-1]]
    assert [r.id for r in done] == [t["id"] for t in tweets]


async def test_weighted_length_is_refused_before_sending(x, http):
    err = await fails(Rejected, post(client(x, http), ["庭" * 141]), x)
    assert "282 characters" in err.message and "CJK and emoji count as 2" in err.message
    assert not x.requests("POST", "/2/tweets")


async def test_a_duplicate_of_an_older_post_is_refused_with_xs_words(x, http):
    await post(client(x, http), ["Same words"])
    saved = Saved()
    err = await fails(Rejected, post(client(x, http), ["Same words"], saved), x)
    assert "duplicate content" in err.message and "change the text" in err.hint
    assert "tried_at" not in saved.last[0].extra and len(x.posts()) == 1


@pytest.mark.parametrize("kind, kw, error, ambiguous", [
    ("status", {"status": 503, "body": {"title": "Service Unavailable", "detail": "Service Unavailable"}},
     TransientError, True),
    ("html", {"status": 502}, TransientError, True),
    ("drop-after-commit", {}, TransientError, True),
    ("malformed-json", {}, TransientError, True),
    ("status", {"status": 400, "body": {"title": "Invalid Request", "detail": "One or more parameters to your "
                                        "request was invalid.", "errors": [{"message": "bad text"}]}}, Rejected, None),
    ("status", {"status": 403, "body": {"title": "Forbidden", "detail": "You are not permitted to perform this "
                                        "action."}}, AuthError, None),
])
async def test_faults_map_to_shared_errors(x, http, kind, kw, error, ambiguous):
    x.inject(kind, path="/2/tweets", method="POST", **kw)
    saved = Saved()
    err = await fails(error, post(client(x, http), ["hello"], saved), x)
    assert err.hint
    if ambiguous:
        assert err.ambiguous and "tried_at" in saved.last[0].extra
    else:
        assert "tried_at" not in saved.last[0].extra


async def test_a_rate_limit_waits_until_the_reset(x, http):
    x.rate_limit()
    saved = Saved()
    err = await fails(RateLimited, post(client(x, http), ["hello"], saved), x)
    assert 100 < err.retry_after <= 120 and "tried_at" not in saved.last[0].extra


async def test_a_401_that_refreshing_cannot_cure(x, http):
    x.inject("status", path="/2/tweets", method="POST", times=2, status=401,
             body={"title": "Unauthorized", "detail": "Unauthorized", "status": 401})
    saved = Saved()
    err = await fails(AuthError, post(client(x, http, None, []), ["hello"], saved), x)
    assert "HTTP 401" in err.message and "tried_at" not in saved.last[0].extra and not x.posts()


async def test_latency_is_waited_out(x):
    x.inject("latency", path="/2/tweets", seconds=0.2)
    async with new_http_client() as http:
        assert (await post(client(x, http), ["slow but fine"]))[0].sent


# ---------------------------------------------------------------------- retries never post twice


async def test_a_dropped_answer_is_found_among_the_recent_posts(x, http):
    c = client(x, http)
    parts = c.split(LONG, await c.limits())
    x.inject("drop-after-commit", path="/2/tweets", method="POST")
    saved = Saved()
    await fails(TransientError, post(c, parts, saved), x)
    assert len(x.posts()) == 1
    done = await post(client(x, http), parts, saved, saved.last)
    tweets = x.posts()
    assert len(tweets) == len(parts) and [r.id for r in done] == [t["id"] for t in tweets]
    (lookup,) = x.requests("GET", rf"/2/users/{USER}/tweets")
    assert lookup.query["tweet.fields"] == ["created_at,referenced_tweets,text"] and "start_time" in lookup.query


async def test_a_dropped_reply_is_found_as_a_reply_to_the_part_before(x, http):
    c = client(x, http)
    parts = ["First & foremost: <seeds>.", "Second https://garden.example/a-very-long-link-to-the-swap-page"]
    saved = Saved()
    first = await post(c, parts[:1], saved)
    x.inject("drop-after-commit", path="/2/tweets", method="POST")
    await fails(TransientError, c.publish(parts, first + fresh_records(XClient, parts[1:]), PostOptions(), saved), x)
    done = await client(x, http).publish(parts, saved.last, PostOptions(), saved)
    assert len(x.posts()) == 2 and [r.id for r in done] == [t["id"] for t in x.posts()]


async def test_a_lookup_that_cannot_see_it_yet_ends_in_needs_check_not_a_second_post(x, http):
    x.inject("drop-after-commit", path="/2/tweets", method="POST")
    saved = Saved()
    await fails(TransientError, post(client(x, http), ["Only once"], saved), x)
    x.hidden_from_timeline(x.posts()[0]["id"])
    err = await fails(NeedsCheck, post(client(x, http), ["Only once"], saved, saved.last), x)
    assert "already posted" in err.message and "https://x.com/alice_grows" in err.hint
    assert len(x.posts()) == 1


async def test_through_the_core_a_thread_with_a_lost_answer_is_posted_once(x, tmp_path):
    x.inject("drop-after-commit", path="/2/tweets", method="POST")
    async with new_http_client() as http:
        first, after, _, _ = await lost_answer_then_retry(tmp_path, "x", lambda: client(x, http), LONG)
    assert first.status == "queued" and first.uncertain and after.status == "sent"
    tweets = x.posts()
    assert len(tweets) == len(after.parts) > 1 and [p.id for p in after.parts] == [t["id"] for t in tweets]


async def test_re_publishing_the_same_draft_sends_nothing_twice(x, tmp_path):
    async with new_http_client() as http:
        first, second = await publish_twice(tmp_path, "x", lambda: client(x, http), LONG)
    assert first.status == second.status == "sent"
    assert len(x.posts()) == len(first.parts) > 1 and second.parts == first.parts


async def test_the_tokens_never_show(x, http):
    c = client(x, http)
    assert all(t not in repr(c) + str(c.secret) for t in tokens(x))
    x.inject("status", path="/2/tweets", method="POST", status=400,
             body={"title": "Invalid Request", "detail": f"token {x.access_token} refresh {x.refresh_token}"})
    err = await fails(Rejected, post(c, ["hi"]), x)
    assert "<token>" in err.message


# ---------------------------------------------------------------------- humane accounts add


@pytest.mark.keyring
def test_accounts_add_keeps_the_tokens_in_the_keyring_and_saves_the_rotated_one(x, keyring_env, tmp_path):
    from composer.accounts import SecretStore

    r = humane("accounts", "add", "x", "--platform", "x", "--server", x.url, "--secret-stdin",
               secret=f"{x.client_id}:{x.refresh_token}")
    assert r.returncode == 0, r.stderr
    assert "Added X account 'x': @alice_grows (Alice Gardener)" in r.stdout
    assert saved_account("x")["user_id"] == USER
    kept = parse_secret(SecretStore().get("x"))
    assert kept["refresh_token"] in x.refresh
    x.expire(kept["access_token"])
    draft = tmp_path / "note.md"
    draft.write_text("+++\npurpose = \"Tell the garden group about Saturday\"\n+++\nSeeds swap on Saturday & Sunday.\n")
    r = humane("post", str(draft), "--to", "x")
    assert r.returncode == 0, r.stdout + r.stderr
    assert x.posts()[-1]["text"].strip() == "Seeds swap on Saturday & Sunday." and x.refreshes == 2
    rotated = parse_secret(SecretStore().get("x"))
    assert rotated["refresh_token"] != kept["refresh_token"] and rotated["refresh_token"] in x.refresh
    home = Path(os.environ["HUMANE_CONFIG"]).parent.parent
    every = [x.refresh_token, *kept.values(), *rotated.values()]
    secrets = [s for s in every if isinstance(s, str) and s != x.client_id and len(s) > 20]
    assert all(data_files_hold(root, s) == [] for root in (home, tmp_path) for s in secrets)
    assert all(s not in config_text() + r.stdout + r.stderr for s in secrets)
    r = humane("accounts", "verify", "x")
    assert r.returncode == 0 and "@alice_grows" in r.stdout, r.stderr
    assert json.loads(SecretStore().get("x").reveal())["client_id"] == x.client_id


# ---------------------------------------------------------------------- images


def x_images(tmp_path, n=2):
    from composer import registry
    from composer.drafts.model import ImageRef
    from composer.media.prepare import prepare
    from tests.images_helpers import photo

    media = registry.get("x").media
    alts = ["A bicycle leaning on a blue fence.", "Seed packets on a table."]
    return [prepare(ImageRef(str(photo(tmp_path / f"p{i}.jpg", (800, 600))), alt), None, media)
            for i, alt in enumerate(alts[:n])]


async def test_images_are_uploaded_with_their_alt_text_and_attached(x, http, tmp_path):
    from tests.images_helpers import assert_clean

    images = x_images(tmp_path)
    done = await x_post_with_images(client(x, http), "Swap day photos", images)
    (tweet,) = x.posts()
    assert done[0].id == tweet["id"] and len(tweet["media"]) == 2
    assert [x.media[m]["alt"] for m in tweet["media"]] == [i.alt for i in images]
    for m in tweet["media"]:
        assert_clean(x.media[m]["data"])


async def test_a_dropped_answer_with_images_is_found_and_not_posted_again(x, http, tmp_path):
    images = x_images(tmp_path, 1)
    x.inject("drop-after-commit", path="/2/tweets", method="POST")
    saved = Saved()
    text = ["Only once, with a photo"]
    await fails(TransientError, XClient.publish(client(x, http), text, fresh_records(XClient, text), PostOptions(),
                                                saved, [images]), x)
    done = await client(x, http).publish(text, saved.last, PostOptions(), saved, [images])
    assert len(x.posts()) == 1 and done[0].id == x.posts()[0]["id"]
    assert len(x.requests("POST", "/2/media/upload")) == 1  # the post found: nothing uploaded again


async def x_post_with_images(c, text, images):
    return await c.publish([text], fresh_records(XClient, [text]), PostOptions(), Saved(), [images])
