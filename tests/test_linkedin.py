"""The LinkedIn client against FakeLinkedIn: real sockets on 127.0.0.1, the real client over httpx,
and `humane accounts add` in a subprocess with a real Secret Service."""

from __future__ import annotations

import os
import subprocess
import tomllib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from composer.platforms import client_class
from composer.platforms.base import (
    AccountInfo,
    AuthError,
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
from composer.platforms.linkedin import (
    LINKEDIN_VERSION,
    LinkedInClient,
    escape_commentary,
    post_url,
    utf16_length,
)
from tests.command import humane_command
from tests.fakes.linkedin import FakeLinkedIn, parse_little
from tests.keyring_fixture import keyring_env, keyring_service  # noqa: F401 (fixtures)
from tests.platform_helpers import Saved, expect_error, fresh_records

TOKEN = "li-SECRET-AQX93kd0-never-show-me"
TOKENS_USED = {TOKEN}


@pytest.fixture
def fake():
    with FakeLinkedIn() as server:
        server.add_member("Alice Example", token=TOKEN, sub="aB3xY9q")
        yield server


def account(url: str, **kw) -> AccountInfo:
    options = kw.pop("options", {"person": "urn:li:person:aB3xY9q", "authorized_on": date.today().isoformat()})
    return AccountInfo(name="work", platform="linkedin", server=url, options=options, **kw)


def client(fake: FakeLinkedIn, http: httpx.AsyncClient, token: str = TOKEN, **kw) -> LinkedInClient:
    TOKENS_USED.add(token)
    return LinkedInClient(account(fake.url, **kw), Secret(token), http)


def fresh(parts: list[str]) -> list[PartRecord]:
    return fresh_records(LinkedInClient, parts)


async def fails(exc_type, coro) -> PlatformError:
    return await expect_error(exc_type, coro, TOKENS_USED)


async def post(c: LinkedInClient, text: str, options: PostOptions = PostOptions()) -> list[PartRecord]:
    return await c.publish([text], fresh([text]), options, Saved())


# ---------------------------------------------------------------------- escaping


def test_registered_and_without_threads():
    cls = client_class("linkedin")
    assert cls is LinkedInClient
    assert (cls.platform, cls.label, cls.SUPPORTS_THREADS, cls.IDEMPOTENT) == ("linkedin", "LinkedIn", False, True)
    assert cls.DEFAULT_SERVER == "https://api.linkedin.com" and "60 days" in cls.SECRET_HELP


@pytest.mark.parametrize("text, escaped", [
    ("Plain words, no trouble.", "Plain words, no trouble."),
    ("Hello (world)", "Hello \\(world\\)"),
    ("a\\b|c{d}e[f]g<h>i*j_k~l@m", "a\\\\b\\|c\\{d\\}e\\[f\\]g\\<h\\>i\\*j\\_k\\~l\\@m"),
    ("#hashtags #stay, C# and #1 and x#y do not", "#hashtags #stay, C\\# and \\#1 and x\\#y do not"),
    ("#open_source", "#open\\_source"),
    ("see https://x.org/?utm_source=feed&a=~b*c#top now", "see https://x.org/?utm_source=feed&a=~b*c#top now"),
    ("https://en.wikipedia.org/wiki/Foo_(bar)", "https://en.wikipedia.org/wiki/Foo_%28bar%29"),
    ("(see https://x.org/a_b).", "\\(see https://x.org/a_b\\)."),
    ("https://mastodon.social/@alice", "https://mastodon.social/@alice"),
    ("bare example.com/a_b too", "bare example.com/a_b too"),
    ("ends https://x.org/a_", "ends https://x.org/a\\_"),
    ("@alice (a mention elsewhere)", "\\@alice \\(a mention elsewhere\\)"),
])
def test_escape_commentary(text, escaped):
    assert escape_commentary(text) == escaped


def test_fake_truncates_at_an_unescaped_reserved_character():
    """What the escaping guards against: LinkedIn keeps only the text before the character."""
    raw = parse_little("Our new guide (free) is out #guides")
    assert raw.text == "Our new guide " and raw.truncated_at == 14
    ok = parse_little(escape_commentary("Our new guide (free) is out #guides"))
    assert ok.text == "Our new guide (free) is out #guides" and ok.truncated_at is None and ok.hashtags == ["guides"]
    # A backslash inside a link would break it: the link would end before it.
    assert parse_little("https://x.org/a\\_b").links == ["https://x.org/a"]


_PIECES = st.sampled_from([
    "a", "Z", " ", "\n", "é", "日本", "😀", "(", ")", "[", "]", "{", "}", "<", ">", "|", "\\", "@", "#", "*",
    "_", "~", "#tag", " #Tag2 ", "https://x.org/p_(1)?a=b#f", " example.com/a_b ", "@bob", "C#", ".", ",",
    "example.com", "https://", ":", "/", "?", "'", "!", "a@b.com", "＃tag", "\u200d",
])


@example("a.https://x.org/p_(1)?a=b#f")  # a word glued before a link with a scheme
@example("https://x.org/p_(1)?a=b#f@.#")  # reserved characters and punctuation at a link's end
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_escaped_text_reaches_linkedin_whole(text):
    """Whatever the writer types, LinkedIn shows all of it: nothing truncated, nothing added
    but the percent-encoding of brackets inside links."""
    parsed = parse_little(escape_commentary(text))
    assert parsed.truncated_at is None
    shown = parsed.text
    for c in "\\|{}[]()<>":
        shown = shown.replace(f"%{ord(c):02X}", c)
    assert shown == text


# ---------------------------------------------------------------------- login, verify


async def test_login_with_a_pasted_token(fake, http):
    asked = []

    def ask(prompt, secret):
        asked.append((prompt, secret))
        return f" Bearer {TOKEN}\n"

    secret, acct = await LinkedInClient.login(http, AccountInfo("work", "linkedin", server=fake.url + "/"), ask)
    assert asked == [("LinkedIn access token", True)]
    assert secret == Secret(TOKEN)
    assert acct.server == fake.url and acct.handle == "Alice Example"
    assert acct.options["person"] == "urn:li:person:aB3xY9q"
    assert acct.options["authorized_on"] == datetime.now(UTC).date().isoformat()
    assert TOKEN not in repr(acct)


async def test_login_with_an_expired_token_says_so(fake, http):
    fake.expire(TOKEN)
    err = await fails(AuthError, LinkedInClient.login(http, AccountInfo("work", "linkedin", server=fake.url),
                                                      lambda p, s: TOKEN))
    assert "has expired" in err.message and "HTTP 401" in err.message
    assert "OAuth 2.0 tools" in err.hint and "humane accounts add work --platform linkedin" in err.hint


async def test_verify_shows_when_the_token_expires(fake, http):
    added = date.today() - timedelta(days=10)
    c = client(fake, http, options={"authorized_on": added.isoformat()})
    identity = await c.verify()
    assert identity.id == "urn:li:person:aB3xY9q" and identity.handle == "Alice Example"
    assert identity.expires_at == (added + timedelta(days=60)).isoformat()
    assert dict(identity.details) == {"person": "urn:li:person:aB3xY9q"}
    req = fake.requests("GET", "/v2/userinfo")[0]
    assert req.header("authorization") == f"Bearer {TOKEN}"


async def test_a_401_after_sixty_days_says_the_token_expired(fake, http):
    added = date.today() - timedelta(days=61)
    fake.expire(TOKEN)
    c = client(fake, http, options={"authorized_on": added.isoformat(), "person": "urn:li:person:aB3xY9q"})
    for call in (c.verify(), post(c, "hello")):
        err = await fails(AuthError, call)
        assert f"It was added on {added.isoformat()}, so it expired on {(added + timedelta(days=60)).isoformat()}" \
            in err.message
        assert "Create token" in err.hint
    assert fake.all_posts() == []


async def test_a_revoked_token_within_sixty_days(fake, http):
    fake.revoke(TOKEN)
    err = await fails(AuthError, client(fake, http).verify())
    assert "revoked by the user" in err.message and "probably revoked" in err.message


async def test_a_token_without_the_posting_scope(fake, http):
    token = fake.add_member("Alice Example", scopes="openid profile")
    err = await fails(AuthError, post(client(fake, http, token=token), "hello"))
    assert "HTTP 403" in err.message and "w_member_social" in err.hint


# ---------------------------------------------------------------------- publishing


async def test_a_post_with_every_reserved_character_arrives_whole(fake, http):
    text = ("Notes from the meetup (day 2): 3*4 > 10 & C# tips_and_tricks ~ {braces} [links] "
            "https://example.org/wiki/Foo_(bar)?utm_source=li #community @everyone \\o/")
    saved = Saved()
    done = await client(fake, http).publish([text], fresh([text]), PostOptions(), saved)
    (stored,) = fake.all_posts()
    assert stored["truncated_at"] is None
    assert stored["text"] == text.replace("Foo_(bar)", "Foo_%28bar%29")
    assert stored["links"] == ["https://example.org/wiki/Foo_%28bar%29?utm_source=li"]
    assert stored["hashtags"] == ["community"]
    assert stored["visibility"] == "PUBLIC"
    assert done[0].id == stored["urn"] and done[0].url == f"https://www.linkedin.com/feed/update/{stored['urn']}/"
    assert saved.last == done
    req = fake.requests("POST", "/rest/posts")[0]
    assert req.header("linkedin-version") == LINKEDIN_VERSION and len(LINKEDIN_VERSION) == 6
    assert req.header("x-restli-protocol-version") == "2.0.0"
    assert req.json["author"] == "urn:li:person:aB3xY9q"
    assert req.json["distribution"] == {"feedDistribution": "MAIN_FEED", "targetEntities": [],
                                        "thirdPartyDistributionChannels": []}
    assert req.json["lifecycleState"] == "PUBLISHED"


async def test_without_a_saved_member_id_it_is_looked_up(fake, http):
    c = client(fake, http, options={})
    await post(c, "hi")
    assert fake.all_posts()[0]["author"] == "urn:li:person:aB3xY9q"
    assert len(fake.requests("GET", "/v2/userinfo")) == 1


async def test_visibility(fake, http):
    await post(client(fake, http, visibility="connections"), "for my network")
    assert fake.all_posts()[0]["visibility"] == "CONNECTIONS"
    err = await fails(Rejected, post(client(fake, http), "x", PostOptions(visibility="unlisted")))
    assert "unlisted" in err.message and "connections" in err.hint
    assert len(fake.all_posts()) == 1


async def test_refused_before_sending(fake, http):
    c = client(fake, http)
    long = "word " * 600 + "end"  # 3003
    err = await fails(Rejected, post(c, long))
    assert "3003 characters" in err.message and "no threads" in err.message and "by 3" in err.hint
    # Escaping counts: 2990 characters with 12 parentheses are 3002 as sent.
    tight = "x" * 2978 + "()" * 6
    assert utf16_length(tight) == 2990
    err = await fails(Rejected, post(c, tight))
    assert "3002 characters" in err.message and "2990 before the escaping" in err.message
    err = await fails(Rejected, post(c, "cw", PostOptions(content_warning="spoilers")))
    assert "no content warnings" in err.message
    err = await fails(Rejected, c.publish(["a", "b"], fresh(["a", "b"]), PostOptions(), Saved()))
    assert "split into 2 parts" in err.message
    await fails(Rejected, post(c, "   "))
    assert not fake.requests("POST")
    assert c.split("x" * 5000, await c.limits()) == ["x" * 5000]
    assert await c.limits() == Limits(max_chars=3000)


async def test_exactly_3000_is_accepted(fake, http):
    text = "😀" * 1500  # 3000 UTF-16 code units
    await post(client(fake, http), text)
    assert fake.all_posts()[0]["text"] == text


async def test_the_servers_length_error_is_shown(fake, http):
    fake.inject("status", path="/rest/posts", status=400, body={
        "message": "ShareCommentary text length (3100 characters) exceeded the maximum allowed (3000 characters)",
        "status": 400})
    err = await fails(Rejected, post(client(fake, http), "hello"))
    assert "exceeded the maximum allowed (3000 characters)" in err.message


async def test_a_duplicate_of_another_post_is_refused_not_taken_as_sent(fake, http):
    """Another draft's post with the same words (last week's reminder) is never recorded as this
    draft's (issue 18): LinkedIn refuses the text, and the writer is told where the other post is."""
    first = await post(client(fake, http), "Same words twice")
    err = await fails(Rejected, post(client(fake, http), "Same words twice"))
    assert "already posted the same text" in err.message and first[0].url in err.message
    assert "mark it as sent" in err.hint
    assert len(fake.all_posts()) == 1
    assert len(fake.requests("POST", "/rest/posts")) == 2


async def test_a_record_already_sent_is_not_sent_again(fake, http):
    done = await post(client(fake, http), "once")
    assert await client(fake, http).publish(["once"], done, PostOptions(), Saved()) == done
    assert len(fake.requests("POST", "/rest/posts")) == 1


async def test_a_retired_api_version(http):
    with FakeLinkedIn(oldest_version="209901") as fake:
        token = fake.add_member("Alice Example")
        err = await fails(Rejected, post(client(fake, http, token=token, options={}), "hi"))
        assert f"version {LINKEDIN_VERSION}" in err.message and "Update Humane Composer" in err.hint
        assert fake.all_posts() == []


# ---------------------------------------------------------------------- faults


@pytest.mark.parametrize("kind, kw, error, words, ambiguous", [
    ("status", {"status": 500, "body": {"message": "Internal Server Error", "status": 500}}, TransientError,
     "HTTP 500: Internal Server Error", True),
    ("html", {"status": 502}, TransientError, "HTTP 502: 502 Bad Gateway", True),
    ("status", {"status": 504, "body": "Gateway Timeout"}, TransientError, "HTTP 504", True),
    ("malformed-json", {}, TransientError, "did not say which post", True),
    ("drop-before", {}, TransientError, "did not answer in full", True),
    ("status", {"status": 401, "body": {"serviceErrorCode": 65600, "message": "Invalid access token", "status": 401}},
     AuthError, "HTTP 401: Invalid access token", None),
    ("status", {"status": 429, "body": {"message": "Resource level throttle limit", "status": 429},
                "headers": {"Retry-After": "30"}}, RateLimited, "Try again in 31 s", None),
])
async def test_faults_map_to_shared_errors(fake, http, kind, kw, error, words, ambiguous):
    fake.inject(kind, path="/rest/posts", **kw)
    err = await fails(error, post(client(fake, http), "hello"))
    assert words in err.message, err.message
    assert err.hint
    if ambiguous is not None:
        assert err.ambiguous is ambiguous
    if error is RateLimited:
        assert err.retry_after == 30


async def test_latency_is_waited_out_and_a_slow_server_times_out(fake):
    fake.inject("latency", path="/rest/posts", seconds=0.2)
    async with new_http_client() as http:
        await post(client(fake, http), "slow but fine")
    fake.inject("latency", path="/rest/posts", seconds=1.0)
    async with new_http_client(timeout=httpx.Timeout(0.3)) as http:
        err = await fails(TransientError, post(client(fake, http), "too slow"))
    assert err.ambiguous and "ReadTimeout" in err.message


async def test_a_dropped_answer_then_retry_leaves_exactly_one_post(fake, http):
    """THE test: LinkedIn makes the post and the answer is lost; the retry sends the same text
    again, LinkedIn answers DUPLICATE_POST naming the post, and the part is marked sent with it."""
    text = "Our library lends tools now (really!) #libraries"
    records, saved = fresh([text]), Saved()
    fake.inject("drop-after-commit", path="/rest/posts", method="POST")
    err = await fails(TransientError, client(fake, http).publish([text], records, PostOptions(), saved))
    assert err.ambiguous
    (stored,) = fake.all_posts()
    assert saved.last[0].tried_at  # the try was stamped before it went out
    done = await client(fake, http).publish([text], saved.last, PostOptions(), saved)
    assert done[0].id == stored["urn"] and done[0].url == post_url(stored["urn"])
    assert len(fake.all_posts()) == 1 and fake.all_posts()[0]["text"] == text
    assert saved.last == done


async def test_the_token_never_shows(fake, http):
    c = client(fake, http)
    assert TOKEN not in repr(c) and TOKEN not in str(c.secret)
    fake.inject("status", path="/rest/posts", status=500, body={"message": f"bad header Bearer {TOKEN}"})
    err = await fails(TransientError, post(c, "hi"))
    assert "Bearer <token>" in err.message
    fake.inject("status", path="/v2/userinfo", status=401, body={"message": TOKEN})
    await fails(AuthError, c.verify())


def test_fake_follows_the_documented_api(fake):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = {"author": "urn:li:person:aB3xY9q", "commentary": "hi", "visibility": "PUBLIC",
            "distribution": {"feedDistribution": "MAIN_FEED"}, "lifecycleState": "PUBLISHED"}
    r = httpx.post(fake.url + "/rest/posts", json=body, headers=auth)
    assert r.status_code == 400 and r.json()["code"] == "VERSION_MISSING"
    r = httpx.post(fake.url + "/rest/posts", json=body, headers={**auth, "LinkedIn-Version": "202001",
                                                                 "X-Restli-Protocol-Version": "2.0.0"})
    assert r.status_code == 426 and r.json()["code"] == "NONEXISTENT_VERSION"
    headers = {**auth, "LinkedIn-Version": LINKEDIN_VERSION}
    r = httpx.post(fake.url + "/rest/posts", json=body, headers=headers)
    assert r.status_code == 400 and "2.0.0" in r.json()["message"]
    headers["X-Restli-Protocol-Version"] = "2.0.0"
    r = httpx.post(fake.url + "/rest/posts", json={**body, "author": "urn:li:person:other"}, headers=headers)
    assert r.status_code == 403
    r = httpx.post(fake.url + "/rest/posts", json={**body, "commentary": "x" * 3001}, headers=headers)
    assert r.status_code == 400 and r.json()["errorDetails"]["inputErrors"][0]["code"] == "FIELD_ARRAY_SIZE_TOO_HIGH"
    r = httpx.post(fake.url + "/rest/posts", json={**body, "commentary": "Cut here (and lost"}, headers=headers)
    assert r.status_code == 201 and r.content == b"" and r.headers["x-restli-id"].startswith("urn:li:share:")
    assert fake.posts[r.headers["x-restli-id"]]["text"] == "Cut here "  # truncated, still 201
    r = httpx.post(fake.url + "/rest/posts", json={**body, "commentary": "Cut here (and lost"}, headers=headers)
    assert r.status_code == 422 and r.json()["errorDetails"]["inputErrors"][0]["code"] == "DUPLICATE_POST"
    assert "Content is a duplicate of urn:li:share:" in r.json()["message"]
    r = httpx.get(fake.url + "/v2/userinfo")
    assert r.status_code == 401 and r.json() == {"serviceErrorCode": 65600, "message": "Invalid access token",
                                                 "status": 401}
    mention = parse_little("Thanks @[Bob Smith](urn:li:person:b0b) and {hashtag|#|Tools}!")
    assert mention.text == "Thanks Bob Smith and #Tools!" and mention.truncated_at is None


# ---------------------------------------------------------------------- humane accounts add


@pytest.mark.keyring
def test_accounts_add_linkedin_keeps_the_token_in_the_keyring(fake, keyring_env):
    from composer.accounts import SecretStore

    env = dict(os.environ)
    r = subprocess.run([humane_command(), "accounts", "add", "li", "--platform", "linkedin", "--server", fake.url,
                        "--secret-stdin"], input=TOKEN + "\n", capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 0, r.stderr
    assert "Added LinkedIn account 'li': Alice Example on" in r.stdout  # a name, not an @handle
    config_text = Path(os.environ["HUMANE_CONFIG"]).read_text("utf-8")
    assert TOKEN not in config_text and TOKEN not in r.stdout + r.stderr
    saved = tomllib.loads(config_text)["accounts"]["li"]
    assert saved["platform"] == "linkedin" and saved["server"] == fake.url
    assert saved["person"] == "urn:li:person:aB3xY9q"
    added = date.fromisoformat(saved["authorized_on"])
    assert SecretStore().get("li").reveal() == TOKEN
    r = subprocess.run([humane_command(), "accounts", "verify", "li"], capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 0, r.stderr
    assert f"credentials expire: {(added + timedelta(days=60)).isoformat()}" in r.stdout
    fake.expire(TOKEN)
    r = subprocess.run([humane_command(), "accounts", "verify", "li"], capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 1 and "expired" in r.stderr and "Create token" in r.stderr and TOKEN not in r.stderr
