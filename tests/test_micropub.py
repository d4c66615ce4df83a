"""The Micropub client against FakeMicropub: real sockets on 127.0.0.1, the real client over httpx,
the publish core with a real draft store, and `humane accounts add` in a subprocess."""

from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path

import httpx
import pytest

from composer.drafts import DraftStore
from composer.platforms import client_class
from composer.platforms.base import (
    AccountInfo,
    AuthError,
    InsecureURL,
    NeedsCheck,
    PartRecord,
    PlatformError,
    PostOptions,
    RateLimited,
    Rejected,
    Secret,
    TransientError,
)
from composer.platforms.http import new_http_client
from composer.platforms.micropub import MicropubClient, discover, find_endpoint
from composer.publish import flush_outbox, publish_draft, reset_delivery
from tests.command import humane_command
from tests.fakes.micropub import FakeMicropub
from tests.keyring_fixture import keyring_env, keyring_service  # noqa: F401 (fixtures)
from tests.platform_helpers import Saved, expect_error, fresh_records

TOKEN = "mp-SECRET-7c1d0e-never-shown"
TOKENS_USED = {TOKEN}


@pytest.fixture
def site():
    with FakeMicropub() as server:
        server.add_token(TOKEN)
        yield server


def client(site: FakeMicropub, http: httpx.AsyncClient, token: str = TOKEN, **kw) -> MicropubClient:
    TOKENS_USED.add(token)
    options = kw.pop("options", {"endpoint": site.endpoint})
    return MicropubClient(AccountInfo("blog", "micropub", server=site.url, options=options, **kw), Secret(token), http)


def fresh(text: str) -> list[PartRecord]:
    return fresh_records(MicropubClient, [text])


async def fails(exc_type, coro) -> PlatformError:
    return await expect_error(exc_type, coro, TOKENS_USED)


async def post(c: MicropubClient, text: str, options: PostOptions = PostOptions(), saved: Saved | None = None):
    return await c.publish([text], fresh(text), options, saved or Saved())


# ---------------------------------------------------------------------- discovery


def test_registered_not_idempotent_and_without_threads():
    cls = client_class("micropub")
    assert cls is MicropubClient
    assert (cls.platform, cls.NEEDS_SERVER, cls.SUPPORTS_THREADS, cls.IDEMPOTENT) == ("micropub", True, False, False)


@pytest.mark.parametrize("headers, html, expected", [
    (['<https://a.example/mp>; rel="micropub"'], "", "https://a.example/mp"),
    (['<https://a.example/auth>; rel="authorization_endpoint", </mp?x=1>; rel="micropub"'], "",
     "https://site.example/mp?x=1"),
    (['<https://a.example/x>; rel="me micropub"'], "", "https://a.example/x"),
    ([], '<html><head><link rel="stylesheet" href="s.css"><LINK REL="Me Micropub" HREF="endpoint"></head>',
     "https://site.example/blog/endpoint"),
    ([], '<head><base href="https://cdn.example/x/"><link rel=micropub href="../mp"></head>', "https://cdn.example/mp"),
    (['<https://from-header.example/mp>; rel=micropub'], '<link rel="micropub" href="https://from-html.example/">',
     "https://from-header.example/mp"),
    ([], '<a rel="micropub" href="/not-a-link-element">', None),
    (['<https://a.example/t>; rel="token_endpoint"'], "<p>nothing</p>", None),
])
def test_find_endpoint(headers, html, expected):
    assert find_endpoint("https://site.example/blog/", headers, html) == expected


@pytest.mark.parametrize("discovery", ["both", "header", "html"])
@pytest.mark.parametrize("redirect", [False, True])
async def test_discovery_from_the_home_page(http, discovery, redirect):
    with FakeMicropub(discovery=discovery, redirect=redirect) as site:
        assert await discover(http, site.url) == site.endpoint
        assert all("authorization" not in r.headers for r in site.requests())  # no token to the page


async def test_discovery_keeps_an_endpoint_query(http):
    with FakeMicropub(endpoint_path="/index.php?micropub=endpoint") as site:
        token = site.add_token()
        c = client(site, http, token=token, options={})
        assert await c.endpoint() == site.endpoint
        await post(c, "hello from php")
        assert site.posts()[0]["content"] == "hello from php"
        config = await c.config()
        assert config["media-endpoint"] == site.url + "/media"
        q = site.requests("GET", "/index.php")[-1].query
        assert q == {"micropub": ["endpoint"], "q": ["config"]}


async def test_discovery_failures_say_what_to_do(http):
    with FakeMicropub(discovery="none") as site:
        err = await fails(Rejected, discover(http, site.url))
        assert "does not announce a Micropub endpoint" in err.message and '<link rel="micropub"' in err.hint
        err = await fails(Rejected, discover(http, site.url + "/missing"))
        assert "HTTP 404: Not Found" in err.message
        site.inject("html", path="/", status=503)
        err = await fails(TransientError, discover(http, site.url))
        assert "HTTP 503" in err.message
    await fails(InsecureURL, discover(http, "http://blog.example"))
    with FakeMicropub(discovery="header") as site:
        site.inject("status", path="/", status=200, headers={"Link": '<http://blog.example/mp>; rel="micropub"'},
                    body="<html></html>")
        err = await fails(InsecureURL, discover(http, site.url))
        assert "Micropub endpoint" in err.message and "plain http" in err.message


# ---------------------------------------------------------------------- login, verify


async def test_login_discovers_the_endpoint_and_checks_the_token(site, http):
    asked = []

    def ask(prompt, secret):
        asked.append((prompt, secret))
        return TOKEN + "\n"

    sec, acct = await MicropubClient.login(http, AccountInfo("blog", "micropub", server=site.url + "/"), ask)
    assert asked and asked[0][1] is True and "127.0.0.1" in asked[0][0]
    assert sec == Secret(TOKEN)
    assert acct.server == site.url and acct.options["endpoint"] == site.endpoint
    assert acct.handle == site.url.split("//")[1]
    (q,) = site.requests("GET", "/micropub")
    assert q.query == {"q": ["config"]} and q.header("authorization") == f"Bearer {TOKEN}"


async def test_login_with_a_bad_token(site, http):
    err = await fails(AuthError, MicropubClient.login(http, AccountInfo("blog", "micropub", server=site.url),
                                                      lambda p, s: "wrong"))
    assert "HTTP 403: forbidden" in err.message and "create scope" in err.hint


async def test_login_without_a_site(http):
    err = await fails(Rejected, MicropubClient.login(http, AccountInfo("blog", "micropub"), lambda p, s: TOKEN))
    assert "no Micropub site address" in err.message and "--server" in err.hint


async def test_verify_reads_the_config_where_offered(site, http):
    identity = await client(site, http).verify()
    assert identity.id == site.url and identity.url == site.url
    assert dict(identity.details) == {"endpoint": site.endpoint, "media_endpoint": site.url + "/media"}


async def test_a_query_not_offered_reads_as_an_empty_config(site, http):
    site.inject("status", path="/micropub", method="GET", status=400, body={"error": "invalid_request"})
    identity = await client(site, http).verify()
    assert dict(identity.details) == {"endpoint": site.endpoint}


@pytest.mark.parametrize("fault, error, words", [
    ({"kind": "html", "status": 500}, TransientError, "HTTP 500"),
    ({"kind": "status", "status": 404, "body": "Not Found"}, Rejected, "HTTP 404"),
    ({"kind": "malformed-json"}, Rejected, "not Micropub's JSON"),
    ({"kind": "status", "status": 301, "body": "", "headers": {"Location": "/elsewhere"}}, Rejected, "redirect"),
])
async def test_a_config_error_is_reported_not_taken_for_no_config(site, http, fault, error, words):
    """Issue 18: "verify" succeeded on a 301 or an error page, with a token the site never saw."""
    kind = fault.pop("kind")
    site.inject(kind, path="/micropub", method="GET", times=2, **fault)
    err = await fails(error, client(site, http).verify())
    assert words in err.message


async def test_a_server_without_q_config(http):
    with FakeMicropub(config=False) as site:
        token = site.add_token()
        c = client(site, http, token=token)
        assert await c.config() == {}
        await c.verify()


# ---------------------------------------------------------------------- publishing


async def test_a_post_is_form_encoded_and_its_url_comes_from_location(site, http):
    saved = Saved()
    text = "Hello, my own site! Ünïcode & symbols (all kept)."
    done = await post(client(site, http), text, saved=saved)
    (entry,) = site.posts()
    assert entry["content"] == text
    assert done[0].id == done[0].url == entry["url"] and not done[0].extra
    (req,) = site.requests("POST", "/micropub")
    assert req.header("content-type").startswith("application/x-www-form-urlencoded")
    assert req.form == {"h": ["entry"], "content": [text]}
    assert req.header("authorization") == f"Bearer {TOKEN}"
    assert "tried_at" in saved.history[0][0].extra  # stamped before the request
    assert saved.last == done


@pytest.mark.parametrize("accepted, relative", [(True, False), (False, True), (True, True)])
async def test_202_and_relative_locations(http, accepted, relative):
    with FakeMicropub(accepted=accepted, relative_location=relative) as site:
        token = site.add_token()
        done = await post(client(site, http, token=token), "later")
        assert done[0].url == site.posts()[0]["url"]
        assert (done[0].extra.get("accepted") == "true") is accepted


async def test_a_created_post_without_location_is_sent_without_url(site, http):
    site.inject("status", path="/micropub", method="POST", status=201, body=None)
    done = await post(client(site, http), "no location")
    assert done[0].sent and done[0].url is None and done[0].extra == {"no_location": "true"}


async def test_a_token_without_the_create_scope(site, http):
    token = site.add_token(scope="media")
    saved = Saved()
    err = await fails(AuthError, post(client(site, http, token=token), "hi", saved=saved))
    assert "insufficient_scope" in err.message and "it needs: create" in err.message and "create scope" in err.hint
    assert "tried_at" not in saved.last[0].extra  # definitive: a retry may send


async def test_refused_before_sending(site, http):
    c = client(site, http)
    err = await fails(Rejected, c.publish(["a", "b"], fresh("a") + fresh("b"), PostOptions(), Saved()))
    assert "no threads" in err.message
    err = await fails(Rejected, post(c, "x", PostOptions(content_warning="spoilers")))
    assert "no content warnings" in err.message
    err = await fails(Rejected, post(c, "x", PostOptions(visibility="private")))
    assert "'private'" in err.message
    await fails(Rejected, post(c, " \n "))
    assert not site.requests("POST")
    long = "word " * 5000
    assert c.split(long, await c.limits()) == [long]


async def test_an_invalid_request_is_rejected_and_may_be_resent(site, http):
    site.inject("status", path="/micropub", method="POST", status=400,
                body={"error": "invalid_request", "error_description": "content is required"})
    saved = Saved()
    err = await fails(Rejected, post(client(site, http), "hi", saved=saved))
    assert "HTTP 400: invalid_request — content is required" in err.message
    assert "tried_at" not in saved.last[0].extra


@pytest.mark.parametrize("kind, kw, error, ambiguous", [
    ("status", {"status": 500, "body": {"error": "server_error"}}, NeedsCheck, True),
    ("html", {"status": 502}, NeedsCheck, True),
    ("status", {"status": 504, "body": "Gateway Timeout"}, NeedsCheck, True),
    ("drop-before", {}, NeedsCheck, True),
    ("drop-after-commit", {}, NeedsCheck, True),
    ("malformed-json", {}, NeedsCheck, True),
    ("status", {"status": 429, "body": {"error": "slow down"}, "headers": {"Retry-After": "9"}}, RateLimited, None),
    ("status", {"status": 401, "body": {"error": "unauthorized"}}, AuthError, None),
])
async def test_faults_map_to_shared_errors(site, http, kind, kw, error, ambiguous):
    site.inject(kind, path="/micropub", method="POST", **kw)
    saved = Saved()
    err = await fails(error, post(client(site, http), "hello", saved=saved))
    assert err.hint
    if ambiguous is not None:  # the writer checks at once: no message promises a retry that checks
        assert "mark it as sent" in err.hint and "retry checks" not in err.explain()
        assert "tried_at" in saved.last[0].extra
    else:
        assert "tried_at" not in saved.last[0].extra
    if error is RateLimited:
        assert err.retry_after == 9


async def test_latency_is_waited_out_and_a_timeout_is_ambiguous(site):
    site.inject("latency", path="/micropub", method="POST", seconds=0.2)
    async with new_http_client() as http:
        await post(client(site, http), "slow but fine")
    site.inject("latency", path="/micropub", method="POST", seconds=1.0)
    saved = Saved()
    async with new_http_client(timeout=httpx.Timeout(0.3)) as http:
        err = await fails(NeedsCheck, post(client(site, http), "too slow", saved=saved))
        assert "ReadTimeout" in err.message and "may or may not have been published" in err.message
        await fails(NeedsCheck, client(site, http).publish(["too slow"], saved.last, PostOptions(), saved))


async def test_a_site_that_cannot_be_reached_is_not_ambiguous():
    with FakeMicropub() as gone:
        endpoint = gone.endpoint
    async with new_http_client() as http:
        c = MicropubClient(AccountInfo("blog", "micropub", server=endpoint.rsplit("/", 1)[0],
                                       options={"endpoint": endpoint}), Secret(TOKEN), http)
        saved = Saved()
        err = await fails(TransientError, post(c, "hello", saved=saved))
        assert not err.ambiguous and "tried_at" not in saved.last[0].extra


async def test_a_dropped_answer_needs_the_writer_and_nothing_is_resent(site, http):
    """THE test: the site makes the post and the answer is lost. Micropub cannot be asked whether
    it did, so the retry raises NeedsCheck instead of posting a second time."""
    site.inject("drop-after-commit", path="/micropub", method="POST")
    records, saved = fresh("Only once, please"), Saved()
    err = await fails(NeedsCheck, client(site, http).publish(["Only once, please"], records, PostOptions(), saved))
    assert "may or may not have been published" in err.message and len(site.posts()) == 1
    assert f"Check {site.url}: if the post is there, mark it as sent" in err.hint
    err = await fails(NeedsCheck, client(site, http).publish(["Only once, please"], saved.last, PostOptions(), saved))
    assert "Your site may have published this already" in err.message
    assert f"Check {site.url} and then choose retry" in err.hint and "mark as sent" in err.hint
    assert len(site.posts()) == 1 and len(site.requests("POST", "/micropub")) == 1


async def test_through_the_publish_core_the_outbox_stops_at_needs_check_until_reset(site, tmp_path):
    """How it looks to the writer: queued after the lost answer, then "needs-check" on the outbox
    retry (no second post), and sent again only after `reset_delivery` (the "resend anyway")."""
    store = DraftStore(tmp_path / "drafts")
    draft = store.new("A note for my site", accounts=["blog"])
    store.save(draft)
    site.inject("drop-after-commit", path="/micropub", method="POST")
    async with new_http_client() as http:
        first = await publish_draft(store, draft.id, {"blog": client(site, http)})
        d = first["blog"]  # the writer is asked at once (before: "queued, the retry checks")
        assert d.status == "failed" and d.error_kind == "needs-check" and "mark it as sent" in d.error
        assert len(site.posts()) == 1

        async def open_client(name: str):
            return client(site, http)

        assert await flush_outbox(store, open_client, force=True) == []  # it waits for the writer
        reset_delivery(store, draft.id, "blog")
        again = await publish_draft(store, draft.id, {"blog": client(site, http)})
        assert again["blog"].status == "sent" and len(site.posts()) == 2


async def test_the_token_never_shows(site, http):
    c = client(site, http)
    assert TOKEN not in repr(c) and TOKEN not in str(c.secret)
    site.inject("status", path="/micropub", method="POST", status=400, body={"error": f"bad token {TOKEN}"})
    err = await fails(Rejected, post(c, "hi"))
    assert "bad token <token>" in err.message


def test_fake_follows_the_spec(site):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = httpx.post(site.endpoint, data={"h": "entry", "content": "x"})
    assert r.status_code == 401 and r.json()["error"] == "unauthorized"
    r = httpx.post(site.endpoint, data={"h": "entry", "content": "x", "access_token": TOKEN})
    assert r.status_code == 201 and r.headers["location"].startswith(site.url)
    r = httpx.post(site.endpoint, json={"type": ["h-entry"], "properties": {"content": ["json"],
                                                                          "category": ["a", "b"]}}, headers=auth)
    assert r.status_code == 201
    r = httpx.post(site.endpoint, data={"h": "entry", "content": "tags", "category[]": ["a", "b"]}, headers=auth)
    assert site.posts()[-1]["properties"]["category"] == ["a", "b"]
    r = httpx.post(site.endpoint, data={"h": "event", "content": "x"}, headers=auth)
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"
    r = httpx.post(site.endpoint, data={"h": "entry", "content": "x"}, headers={"Authorization": "Bearer nope"})
    assert r.status_code == 403 and r.json()["error"] == "forbidden"
    media_only = site.add_token(scope="media")
    r = httpx.post(site.endpoint, data={"h": "entry", "content": "x"}, headers={"Authorization": f"Bearer {media_only}"})
    assert r.status_code == 401 and r.json() == {"error": "insufficient_scope", "scope": "create",
                                                 "error_description": "The token does not have the create scope"}
    url = site.posts()[0]["url"]
    r = httpx.get(site.endpoint, params={"q": "source", "url": url}, headers=auth)
    assert r.json()["properties"]["content"] == ["x"]
    assert len(site.posts()) == 3  # every create makes a post: no idempotency in the spec


# ---------------------------------------------------------------------- humane accounts add


@pytest.mark.keyring
def test_accounts_add_micropub_discovers_the_endpoint(site, keyring_env):
    from composer.accounts import SecretStore

    env = dict(os.environ)
    r = subprocess.run([humane_command(), "accounts", "add", "blog", "--platform", "micropub", "--server", site.url,
                        "--secret-stdin"], input=TOKEN + "\n", capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 0, r.stderr
    assert "Added Micropub account 'blog'" in r.stdout and site.url in r.stdout
    config_text = Path(os.environ["HUMANE_CONFIG"]).read_text("utf-8")
    assert TOKEN not in config_text and TOKEN not in r.stdout + r.stderr
    saved = tomllib.loads(config_text)["accounts"]["blog"]
    assert saved["platform"] == "micropub" and saved["server"] == site.url
    assert saved["endpoint"] == site.endpoint and saved["media_endpoint"] == site.url + "/media"
    assert SecretStore().get("blog").reveal() == TOKEN
    r = subprocess.run([humane_command(), "accounts", "verify", "blog"], capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 0, r.stderr
    with FakeMicropub(discovery="none") as bare:
        r = subprocess.run([humane_command(), "accounts", "add", "nosite", "--platform", "micropub", "--server", bare.url,
                            "--secret-stdin"], input=TOKEN + "\n", capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 1 and "does not announce a Micropub endpoint" in r.stderr
    assert "Nothing was saved" in r.stderr and "nosite" not in Path(os.environ["HUMANE_CONFIG"]).read_text("utf-8")
