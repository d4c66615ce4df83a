"""The Mastodon client against FakeMastodon: real sockets on 127.0.0.1, the real client over httpx."""

from __future__ import annotations

import asyncio
import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from composer.platforms import client_class
from composer.platforms.base import (
    AccountInfo,
    AuthError,
    InsecureURL,
    Limits,
    PartRecord,
    PlatformError,
    PostOptions,
    RateLimited,
    Rejected,
    Secret,
    TransientError,
)
from composer.platforms.http import new_http_client
from composer.platforms.mastodon import TOKEN_PROMPT, MastodonClient
from tests.fakes.mastodon import FakeMastodon, graphemes, mastodon_length
from tests.platform_helpers import Saved, expect_error, fresh_records

TOKEN = "tok-SECRET-5f3a9c1e-do-not-leak"

THREAD = [
    "Why our town library matters, a thread.\n\nIt lends tools too: see "
    "https://library.example.org/collections/tools-and-seeds/index.html?lang=en for the list.",
    "Thanks to @bob@elsewhere.example and @alice for the photos. #libraries",
    "Come by on Saturday & say hi <3",
]


# ---------------------------------------------------------------------- fixtures


@pytest.fixture
def fake():
    with FakeMastodon() as server:
        server.add_account("alice", token=TOKEN)
        yield server


def account(server_url: str, **kw) -> AccountInfo:
    return AccountInfo(name="main", platform="mastodon", server=server_url, **kw)


def client(fake: FakeMastodon, http: httpx.AsyncClient, token: str = TOKEN, **kw) -> MastodonClient:
    TOKENS_USED.add(token)
    return MastodonClient(account(fake.url, **kw), Secret(token), http)


def fresh(parts: list[str]) -> list[PartRecord]:
    return fresh_records(MastodonClient, parts)


TOKENS_USED: set[str] = {TOKEN}


async def fails(exc_type, coro) -> PlatformError:
    return await expect_error(exc_type, coro, TOKENS_USED)


def assert_one_thread(fake: FakeMastodon, parts: list[str], records: list[PartRecord]) -> None:
    posts = fake.posts("alice")
    assert [p["text"] for p in posts] == parts, "exactly one post per part, in order"
    assert [p["id"] for p in posts] == [r.id for r in records]
    assert [p["in_reply_to_id"] for p in posts] == [None] + [r.id for r in records[:-1]]
    assert all(r.url and r.url.endswith(r.id) for r in records)


# ---------------------------------------------------------------------- registry, login


def test_registered_under_its_platform_name():
    cls = client_class("mastodon")
    assert cls is MastodonClient
    assert (cls.platform, cls.label, cls.NEEDS_SERVER) == ("mastodon", "Mastodon", True)


async def test_login_with_pasted_personal_token(fake, http):
    asked = []

    def ask(prompt: str, secret: bool) -> str:
        asked.append((prompt, secret))
        return f"  Bearer {TOKEN}\n"

    secret, acct = await MastodonClient.login(http, account(fake.url + "/"), ask)
    assert asked == [(TOKEN_PROMPT, True)]
    assert secret == Secret(TOKEN)
    assert acct.server == fake.url and acct.handle == "alice@127.0.0.1"
    assert not fake.requests("POST", "/api/v1/apps")


async def test_login_with_bad_pasted_token_says_how_to_fix(fake, http):
    err = await fails(AuthError, MastodonClient.login(http, account(fake.url), lambda p, s: "wrong"))
    assert "The access token is invalid" in err.message and "humane accounts add" in err.hint


@pytest.mark.parametrize("metadata, scopes", [
    (True, "profile write:statuses write:media read:statuses read:notifications"),          # 4.3+: discovery lists `profile`
    (False, "read:accounts write:statuses write:media read:statuses read:notifications"),   # older servers
])
async def test_login_through_the_browser(http, metadata, scopes):
    with FakeMastodon(oauth_metadata=metadata) as fake:
        fake.add_account("alice")
        prompts = []

        def ask(prompt: str, secret: bool) -> str:
            prompts.append((prompt, secret))
            if len(prompts) == 1:
                return ""  # Enter: log in through the browser
            url = re.search(r"https?://\S+/oauth/authorize\?\S+", prompt).group()
            return fake.approve(url, "alice")

        secret, acct = await MastodonClient.login(http, account(fake.url), ask)
        assert acct.handle == "alice@127.0.0.1"
        assert prompts[1][1] is False and "approve" in prompts[1][0]
        query = parse_qs(urlsplit(re.search(r"\S+/oauth/authorize\?\S+", prompts[1][0]).group()).query)
        assert query["redirect_uri"] == ["urn:ietf:wg:oauth:2.0:oob"]
        assert query["scope"] == [scopes] and query["code_challenge_method"] == ["S256"]
        (app,) = fake.apps.values()
        assert app.scopes == set(scopes.split())
        token = fake.tokens[secret.reveal()]
        assert token.username == "alice" and token.scopes == set(scopes.split())
        form = fake.requests("POST", "/oauth/token")[0].form
        assert form["code_verifier"][0] and form["grant_type"] == ["authorization_code"]
        # The token really works: it posts.
        posted = await MastodonClient(acct, secret, http).publish(["hello"], fresh(["hello"]), PostOptions(), Saved())
        assert posted[0].id == fake.posts()[0]["id"]


async def test_login_with_a_wrong_code(fake, http):
    answers = iter(["", "not-the-code"])
    err = await fails(AuthError, MastodonClient.login(http, account(fake.url), lambda p, s: next(answers)))
    assert "did not accept the code" in err.message and "invalid_grant" in err.message
    assert "paste the new code" in err.hint


async def test_login_without_a_server_or_over_plain_http(http):
    err = await fails(Rejected, MastodonClient.login(http, AccountInfo("main", "mastodon"), lambda p, s: TOKEN))
    assert "no Mastodon server address" in err.message and "--server" in err.hint
    await fails(InsecureURL, MastodonClient.login(http, account("http://mastodon.example"), lambda p, s: TOKEN))


# ---------------------------------------------------------------------- verify, limits


async def test_verify(fake, http):
    fake.account("alice").privacy = "unlisted"
    identity = await client(fake, http).verify()
    assert identity.id == fake.account("alice").id
    assert identity.handle == "alice@127.0.0.1" and identity.display_name == "Alice"
    assert identity.url == f"{fake.url}/@alice"
    assert dict(identity.details) == {"visibility": "unlisted", "language": "en"}
    assert fake.requests("GET", "/api/v1/accounts/verify_credentials")[0].header("authorization") == f"Bearer {TOKEN}"


async def test_verify_with_a_bad_or_revoked_token(fake, http):
    err = await fails(AuthError, client(fake, http, token="nope").verify())
    assert "HTTP 401: The access token is invalid" in err.message
    assert "humane accounts add main --platform mastodon" in err.hint and "Preferences" in err.hint
    fake.revoke(TOKEN)
    await fails(AuthError, client(fake, http).verify())


async def test_verify_with_a_token_that_may_only_post(fake, http):
    token = fake.add_account("alice", scopes="write:statuses")
    err = await fails(AuthError, client(fake, http, token=token).verify())
    assert "outside the authorized scopes" in err.message and "read:accounts" in err.hint


async def test_limits_from_v2_then_cached(http):
    with FakeMastodon(max_characters=1000, url_cost=30) as fake:
        c = client(fake, http)
        assert await c.limits() == Limits(max_chars=1000, url_cost=30)
        assert await c.limits() == Limits(max_chars=1000, url_cost=30)
        assert len(fake.requests("GET")) == 1
        assert "authorization" not in fake.requests("GET")[0].headers  # public endpoint: no token sent


async def test_limits_from_v1_when_v2_is_missing(http):
    with FakeMastodon(v2=False, max_characters=700) as fake:
        assert await client(fake, http).limits() == Limits(max_chars=700, url_cost=23)
        assert [r.path for r in fake.requests("GET")] == ["/api/v2/instance", "/api/v1/instance"]


async def test_limits_of_pleroma_count_urls_in_full(http):
    with FakeMastodon(flavour="pleroma", max_characters=5000) as fake:
        assert await client(fake, http).limits() == Limits(max_chars=5000, url_cost=None)


async def test_limits_default_when_the_server_says_nothing(http):
    with FakeMastodon(v2=False, v1=False) as fake:
        assert await client(fake, http).limits() == Limits(max_chars=500, url_cost=23)


async def test_limits_when_the_server_is_down(fake, http):
    fake.inject("html", path="/api/v2/instance", status=503)
    err = await fails(TransientError, client(fake, http).limits())
    assert "HTTP 503" in err.message and "Bad Gateway" in err.message


# ---------------------------------------------------------------------- publishing


async def test_a_single_post(fake, http):
    records, saved = fresh(["Hello, world"]), Saved()
    done = await client(fake, http).publish(["Hello, world"], records, PostOptions(), saved)
    (post,) = fake.posts()
    assert done[0].id == post["id"] and done[0].url == post["url"] and done[0].key == records[0].key
    assert not done[0].extra  # the try stamp is gone once the id is known
    (req,) = fake.requests("POST", "/api/v1/statuses")
    assert req.header("idempotency-key") == records[0].key
    assert req.json == {"status": "Hello, world"}  # no empty or null keys (Pleroma breaks on them)
    assert saved.last == done


async def test_a_thread_of_three_with_visibility_language_and_warning(fake, http):
    records, saved = fresh(THREAD), Saved()
    opts = PostOptions(visibility="unlisted", language="de", content_warning="Long thread")
    done = await client(fake, http).publish(THREAD, records, opts, saved)
    assert_one_thread(fake, THREAD, done)
    for post in fake.posts():
        assert (post["visibility"], post["language"], post["spoiler_text"]) == ("unlisted", "de", "Long thread")
    keys = [r.header("idempotency-key") for r in fake.requests("POST", "/api/v1/statuses")]
    assert keys == [r.key for r in records]
    sent_counts = [sum(1 for r in state if r.sent) for state in saved.history]
    assert sent_counts == sorted(sent_counts) and sent_counts[-1] == 3  # progress saved part by part
    assert saved.last == done


async def test_account_defaults_apply_when_the_post_has_none(fake, http):
    c = client(fake, http, visibility="private", language="fr")
    await c.publish(["Bonjour"], fresh(["Bonjour"]), PostOptions(), Saved())
    assert fake.requests("POST", "/api/v1/statuses")[0].json == {
        "status": "Bonjour", "visibility": "private", "language": "fr"}


async def test_parts_already_sent_are_skipped_and_the_thread_continues(fake, http):
    first = await client(fake, http).publish(THREAD[:1], fresh(THREAD[:1]), PostOptions(), Saved())
    records = first + fresh(THREAD[1:])
    done = await client(fake, http).publish(THREAD, records, PostOptions(), Saved())
    assert_one_thread(fake, THREAD, done)
    assert len(fake.requests("POST", "/api/v1/statuses")) == 3


async def test_an_unknown_visibility_is_refused_before_sending(fake, http):
    err = await fails(Rejected, client(fake, http).publish(["x"], fresh(["x"]), PostOptions(visibility="friends"), Saved()))
    assert "friends" in err.message and "unlisted" in err.hint
    assert not fake.requests("POST")


async def test_over_the_limit_is_rejected_with_the_servers_words(fake, http):
    text = "word " * 120
    records, saved = fresh([text]), Saved()
    err = await fails(Rejected, client(fake, http).publish([text], records, PostOptions(), saved))
    assert "Text character limit of 500 exceeded" in err.message and "Shorten" in err.hint
    # Nothing was posted: the retry may use a fresh key (Pleroma would replay this 422 for 6 hours).
    assert saved.last[0].key != records[0].key and "tried_at" not in saved.last[0].extra


async def test_a_reply_to_a_deleted_part(fake, http):
    first = await client(fake, http).publish(THREAD[:1], fresh(THREAD[:1]), PostOptions(), Saved())
    fake.delete(first[0].id)
    err = await fails(Rejected, client(fake, http).publish(THREAD[:2], first + fresh(THREAD[1:2]), PostOptions(), Saved()))
    assert "Part 2 of 2 replies to a post that is gone" in err.message


async def test_server_length_rule_counts_urls_mentions_and_the_warning():
    url = "https://example.org/" + "a" * 80
    assert mastodon_length(f"see {url}", "", 23) == 4 + 23
    assert mastodon_length("hi @bob@far.example.social", "", 23) == len("hi @bob")
    assert mastodon_length("👩‍👩‍👧‍👦 ok", "CW: ", 23) == graphemes("CW: ") + 4
    with FakeMastodon() as fake:
        token = fake.add_account("alice")
        async with new_http_client() as http:
            ok = "x" * 476 + " " + url  # 477 + 23 = 500: fits only because the URL costs 23
            await client(fake, http, token=token).publish([ok], fresh([ok]), PostOptions(), Saved())
            assert len(fake.posts()) == 1
            await fails(Rejected, client(fake, http, token=token).publish(
                [ok], fresh([ok]), PostOptions(content_warning="!"), Saved()))
            assert len(fake.posts()) == 1


# ---------------------------------------------------------------------- faults


@pytest.mark.parametrize("kind, kw, error, words, ambiguous", [
    ("status", {"status": 500, "body": {"error": "boom"}}, TransientError, "HTTP 500: boom", True),
    ("html", {"status": 502}, TransientError, "HTTP 502: 502 Bad Gateway", True),
    ("status", {"status": 503, "body": "Service Unavailable"}, TransientError, "HTTP 503", True),
    ("malformed-json", {}, TransientError, "not JSON", True),
    ("drop-before", {}, TransientError, "did not answer in full", True),
    ("drop-after-commit", {}, TransientError, "did not answer in full", True),
    ("status", {"status": 401, "body": {"error": "The access token is invalid"}}, AuthError,
     "HTTP 401: The access token is invalid", None),
    ("status", {"status": 429, "body": {"error": "Too many requests"}, "headers": {"Retry-After": "7"}},
     RateLimited, "Try again in 8 s", None),
])
async def test_faults_on_posting_map_to_shared_errors(fake, http, kind, kw, error, words, ambiguous):
    fake.inject(kind, path="/api/v1/statuses", **kw)
    saved = Saved()
    err = await fails(error, client(fake, http).publish(["hello"], fresh(["hello"]), PostOptions(), saved))
    assert words in err.message, err.message
    assert err.hint
    if error is TransientError:
        assert err.ambiguous is ambiguous
        assert "tried_at" in saved.last[0].extra  # the retry will check before sending
    if error is RateLimited:
        assert err.retry_after == 7


async def test_the_servers_own_rate_limit(http):
    with FakeMastodon(rate_limit=2) as fake:
        token = fake.add_account("alice")
        c = client(fake, http, token=token)
        await c.verify()
        await c.publish(["one"], fresh(["one"]), PostOptions(), Saved())
        assert fake.requests("POST")[0] and len(fake.posts()) == 1
        err = await fails(RateLimited, c.publish(["two"], fresh(["two"]), PostOptions(), Saved()))
        assert 250 < err.retry_after <= 300  # from X-RateLimit-Reset, an ISO-8601 time (no Retry-After)
        assert len(fake.posts()) == 1


async def test_a_slow_server_times_out(fake):
    fake.inject("latency", path="/api/v1/statuses", seconds=1.0)
    async with new_http_client(timeout=httpx.Timeout(0.3)) as http:
        err = await fails(TransientError, client(fake, http).publish(["hi"], fresh(["hi"]), PostOptions(), Saved()))
    assert err.ambiguous and "ReadTimeout" in err.message


async def test_malformed_json_on_a_read_is_not_ambiguous(fake, http):
    fake.inject("malformed-json", path="/api/v1/accounts/verify_credentials")
    err = await fails(TransientError, client(fake, http).verify())
    assert not err.ambiguous and "not JSON" in err.message and "Mastodon server" in err.hint


async def test_a_server_that_is_not_there(http):
    with FakeMastodon() as fake:
        url = fake.url
    saved = Saved()
    c = MastodonClient(account(url), Secret(TOKEN), http)
    err = await fails(TransientError, c.publish(["hi"], fresh(["hi"]), PostOptions(), saved))
    assert not err.ambiguous and "Could not reach Mastodon" in err.message
    assert "tried_at" not in saved.last[0].extra


async def test_no_redirect_is_followed_with_the_token(fake):
    with FakeMastodon() as other:
        fake.inject("status", path="/api/v1/accounts/verify_credentials", status=302,
                    headers={"Location": other.url + "/api/v1/accounts/verify_credentials"}, times=2)
        # Even with an httpx client that would follow redirects, the request is not followed.
        for follow in (False, True):
            async with new_http_client(follow_redirects=follow) as http:
                err = await fails(Rejected, client(fake, http).verify())
                assert "redirect" in err.message and other.url in err.message
        assert other.requests() == []


async def test_plain_http_to_another_host_is_refused_before_any_request():
    sent = []

    async def hook(request):
        sent.append(request)

    async with new_http_client(event_hooks={"request": [hook]}) as http:
        c = MastodonClient(account("http://mastodon.example"), Secret(TOKEN), http)
        for call in (c.verify(), c.limits(), c.publish(["hi"], fresh(["hi"]), PostOptions(), Saved())):
            err = await fails(InsecureURL, call)
            assert "plain http" in err.message and "https://" in err.hint
    assert sent == []


# ---------------------------------------------------------------------- retry safety


@pytest.mark.parametrize("flavour", ["mastodon", "mastodon-500-on-repeat", "pleroma"])
@pytest.mark.parametrize("dropped", [0, 1])
async def test_commit_then_drop_then_retry_leaves_one_thread(http, flavour, dropped):
    """THE test: the server commits part `dropped` and the answer is lost; a retry with the
    records the publisher saved leaves exactly one thread."""
    with FakeMastodon(flavour="pleroma" if flavour == "pleroma" else "mastodon",
                      repeat_500=flavour.endswith("500-on-repeat")) as fake:
        token = fake.add_account("alice")
        records, saved = fresh(THREAD), Saved()
        opts = PostOptions(content_warning="libraries")
        if dropped == 1:  # part 1 goes through first, as a try that was interrupted after it
            first = await client(fake, http, token=token).publish(THREAD[:1], records[:1], opts, saved)
            records = first + records[1:]
        fake.inject("drop-after-commit", path="/api/v1/statuses", method="POST", times=1)
        err = await fails(TransientError, client(fake, http, token=token).publish(THREAD, records, opts, saved))
        assert err.ambiguous
        assert len(fake.posts()) == dropped + 1  # the dropped part is on the server
        state = saved.last
        assert state[dropped].id is None and "tried_at" in state[dropped].extra

        posts_before = len(fake.requests("POST", "/api/v1/statuses"))
        done = await client(fake, http, token=token).publish(THREAD, state, opts, saved)
        assert_one_thread(fake, THREAD, done)
        # The dropped part was found, not sent again: only the parts after it were posted.
        assert len(fake.requests("POST", "/api/v1/statuses")) - posts_before == len(THREAD) - dropped - 1
        assert fake.requests("GET", r"/api/v1/accounts/\d+/statuses")

        # And one more retry with the final records changes nothing.
        again = await client(fake, http, token=token).publish(THREAD, done, opts, saved)
        assert again == done and len(fake.posts()) == len(THREAD)


async def test_a_try_that_never_reached_the_server_is_sent_on_retry(fake, http):
    fake.inject("drop-before", path="/api/v1/statuses", method="POST")
    saved = Saved()
    await fails(TransientError, client(fake, http).publish(THREAD, fresh(THREAD), PostOptions(), saved))
    assert fake.posts() == []
    done = await client(fake, http).publish(THREAD, saved.last, PostOptions(), saved)
    assert_one_thread(fake, THREAD, done)


async def test_without_the_check_a_repeat_would_answer_500(http):
    """Why the client looks before re-sending: on mastodon#40399 servers the same key answers 500."""
    with FakeMastodon(repeat_500=True) as fake:
        token = fake.add_account("alice")
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "k1"}
        first = await http.post(fake.url + "/api/v1/statuses", json={"status": "hi"}, headers=headers)
        again = await http.post(fake.url + "/api/v1/statuses", json={"status": "hi"}, headers=headers)
        assert (first.status_code, again.status_code, len(fake.posts())) == (200, 500, 1)


async def test_mastodon_returns_the_same_status_for_a_repeated_key(fake, http):
    records = fresh(["hi"])
    a = await client(fake, http).publish(["hi"], records, PostOptions(), Saved())
    # A try that lost its stamp (say, an older publisher) repeats the key: same status, no duplicate.
    b = await client(fake, http).publish(["hi"], records, PostOptions(), Saved())
    assert a[0].id == b[0].id and len(fake.posts()) == 1


async def test_an_edited_part_after_an_ambiguous_try_needs_the_writer(fake, http):
    fake.inject("drop-after-commit", path="/api/v1/statuses", method="POST")
    saved = Saved()
    await fails(TransientError, client(fake, http).publish(["first words"], fresh(["first words"]), PostOptions(), saved))
    err = await fails(Rejected, client(fake, http).publish(["other words"], saved.last, PostOptions(), saved))
    assert "changed after a try" in err.message and "Check your profile" in err.hint
    assert len(fake.posts()) == 1


async def test_pleroma_409_while_the_same_request_is_in_flight(http):
    with FakeMastodon(flavour="pleroma", commit_delay=0.6) as fake:
        token = fake.add_account("alice")
        records = fresh(["hello"])
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": records[0].key}
        slow = asyncio.create_task(http.post(fake.url + "/api/v1/statuses", json={"status": "hello"}, headers=headers))
        await asyncio.sleep(0.2)
        saved = Saved()
        err = await fails(TransientError, client(fake, http, token=token).publish(["hello"], records, PostOptions(), saved))
        assert err.ambiguous and "HTTP 409" in err.message and "still processing" in err.message
        assert (await slow).status_code == 200
        # The retry finds the post the first request made.
        done = await client(fake, http, token=token).publish(["hello"], saved.last, PostOptions(), saved)
        assert len(fake.posts()) == 1 and done[0].id == fake.posts()[0]["id"]


async def test_pleroma_replayed_failure_gets_a_new_key(http):
    with FakeMastodon(flavour="pleroma", max_characters=20) as fake:
        token = fake.add_account("alice")
        records = fresh(["short"])
        # An earlier request with this key failed, and Pleroma cached that answer.
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": records[0].key}
        cached = await http.post(fake.url + "/api/v1/statuses", json={"status": "x" * 30}, headers=headers)
        assert cached.status_code == 422
        saved = Saved()
        done = await client(fake, http, token=token).publish(["short"], records, PostOptions(), saved)
        assert done[0].key != records[0].key and fake.posts()[0]["text"] == "short"
        replay = fake.requests("POST", "/api/v1/statuses")[1]
        assert replay.header("idempotency-key") == records[0].key


# ---------------------------------------------------------------------- secrets


@pytest.mark.parametrize("flavour, max_chars", [("mastodon", 500), ("pleroma", 600)])
async def test_split_fits_the_server_with_the_warning_on_every_part(http, flavour, max_chars):
    """Parts from `split` are accepted by the server's own rule: its limit, its URL cost (23 on
    Mastodon, in full on Pleroma), and the content warning that every part carries."""
    pytest.importorskip("composer.guidelines.length")
    with FakeMastodon(flavour=flavour, max_characters=max_chars) as fake:
        c = client(fake, http, token=fake.add_account("alice"))
        limits = await c.limits()
        text = " ".join(f"word{i} https://example.org/{'p' * 40}/{i}" for i in range(60))
        opts = PostOptions(content_warning="A long warning of some forty characters.")
        parts = c.split(text, limits, opts)
        assert len(parts) > 2
        done = await c.publish(parts, fresh(parts), opts, Saved())
        assert len(done) == len(fake.posts()) == len(parts)
        if flavour == "mastodon":  # the room was used, not wasted
            assert max(mastodon_length(p, opts.content_warning, 23) for p in parts) > 400
        with pytest.raises(Rejected, match="content warning"):
            c.split(text, limits, PostOptions(content_warning="w" * (max_chars - 5)))
        # A long warning on a short post that fits in one part is fine: no thread, no repeat.
        long_cw = PostOptions(content_warning="w" * (max_chars - 10))
        assert c.split("Short.", limits, long_cw) == ["Short."]
        done = await c.publish(["Short."], fresh(["Short."]), long_cw, Saved())
        assert fake.posts()[-1]["text"] == "Short."


async def test_the_token_never_shows(fake, http):
    c = client(fake, http)
    assert TOKEN not in repr(c) and TOKEN not in str(c.secret) and TOKEN not in repr(c.secret)
    # A server (or proxy) that echoes the token in its error page: the message leaves it out.
    fake.inject("status", path="/api/v1/statuses", status=500, body={"error": f"bad header Bearer {TOKEN}"})
    err = await fails(TransientError, c.publish(["hi"], fresh(["hi"]), PostOptions(), Saved()))
    assert "bad header Bearer <token>" in err.message
    fake.inject("status", path="/api/v1/accounts/verify_credentials", status=401, body={"error": TOKEN})
    await fails(AuthError, c.verify())


# ---------------------------------------------------------------------- the fake itself


def test_fake_follows_the_documented_api(fake):
    """What other clients (and a real server) rely on: form bodies, 401 with WWW-Authenticate,
    404 for a missing in_reply_to_id, Mastodon's 422 wording, rate-limit headers, author-only lists."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = httpx.post(fake.url + "/api/v1/statuses", data={"status": "form body", "visibility": "direct"}, headers=auth)
    assert r.status_code == 200 and r.json()["visibility"] == "direct" and r.json()["content"] == "<p>form body</p>"
    assert r.headers["x-ratelimit-limit"] == "300" and r.headers["x-ratelimit-remaining"].isdigit()
    r = httpx.post(fake.url + "/api/v1/statuses", data={"status": "x"})
    assert r.status_code == 401 and r.json() == {"error": "The access token is invalid"}
    assert "invalid_token" in r.headers["www-authenticate"]
    r = httpx.post(fake.url + "/api/v1/statuses", json={"status": "x", "in_reply_to_id": "999"}, headers=auth)
    assert r.status_code == 404
    r = httpx.post(fake.url + "/api/v1/statuses", json={"status": "  "}, headers=auth)
    assert r.status_code == 422 and r.json() == {"error": "Validation failed: Text can't be blank"}
    aid = fake.account("alice").id
    assert httpx.get(f"{fake.url}/api/v1/accounts/{aid}/statuses").json() == []  # direct: author only
    assert len(httpx.get(f"{fake.url}/api/v1/accounts/{aid}/statuses", headers=auth).json()) == 1


def test_fake_pleroma_flavour_breaks_on_nulls_and_counts_urls_in_full():
    with FakeMastodon(flavour="pleroma", max_characters=40) as fake:
        auth = {"Authorization": f"Bearer {fake.add_account('alice')}"}
        r = httpx.post(fake.url + "/api/v1/statuses", json={"status": "x", "spoiler_text": None}, headers=auth)
        assert r.status_code == 400
        url = "https://example.org/" + "a" * 30
        r = httpx.post(fake.url + "/api/v1/statuses", json={"status": url}, headers=auth)
        assert r.status_code == 422 and r.json() == {"error": "The status is over the character limit"}
        assert httpx.get(fake.url + "/api/v2/instance").status_code == 404
