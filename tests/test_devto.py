"""The Dev.to (Forem) client against FakeDevto: real sockets on 127.0.0.1, the real client over
httpx, drafts through the real publisher, and `humane accounts add` in a subprocess with a real
Secret Service."""

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
    PartRecord,
    PlatformError,
    PostOptions,
    RateLimited,
    Rejected,
    Secret,
    TransientError,
)
from composer.platforms.devto import DevtoClient, article_of, first_heading
from composer.platforms.http import new_http_client
from composer.publish import publish_draft
from tests.command import humane_command
from tests.fakes.devto import FakeDevto
from tests.keyring_fixture import keyring_env, keyring_service  # noqa: F401 (fixtures)
from tests.platform_helpers import Saved, expect_error, fresh_records

KEY = "devKEY-s3cr3t-9f8e7d6c5b4a-never-show"
ARTICLE = """# Why our town library lends tools

It started with one drill. Now the library lends ladders, sewing machines and a pressure washer.

## How it works

Bring your card, sign the sheet, bring it back within a week.
"""
OPTIONS = PostOptions(tags=("libraries", "community"))


@pytest.fixture
def fake():
    with FakeDevto() as server:
        server.add_user("alice", key=KEY)
        yield server


def client(fake: FakeDevto, http: httpx.AsyncClient, key: str = KEY) -> DevtoClient:
    return DevtoClient(AccountInfo("dev", "devto", server=fake.url), Secret(key), http)


async def post(c: DevtoClient, text: str = ARTICLE, options: PostOptions = OPTIONS) -> list[PartRecord]:
    return await c.publish([text], fresh_records(DevtoClient, [text]), options, Saved())


async def fails(exc_type, coro) -> PlatformError:
    return await expect_error(exc_type, coro, [KEY])


# ---------------------------------------------------------------------- the article a draft makes


def test_registered_without_threads_or_limit():
    cls = client_class("devto")
    assert cls is DevtoClient
    assert (cls.label, cls.SUPPORTS_THREADS, cls.DEFAULT_SERVER, cls.SECRET_LABEL) == (
        "Dev.to", False, "https://dev.to", "API key")


def test_title_from_the_first_heading_and_the_rest_as_body():
    a = article_of(ARTICLE, PostOptions(tags=("#Libraries", "community", "libraries")))
    assert a is not None and a.title == "Why our town library lends tools"
    assert a.body.startswith("It started with one drill.") and "## How it works" in a.body
    assert a.tags == ("libraries", "community") and a.published is False
    titled = article_of(ARTICLE, PostOptions(title="Tools for everyone", published=True))
    assert titled is not None and titled.title == "Tools for everyone" and titled.body == ARTICLE and titled.published
    assert article_of("No heading here, only words.", PostOptions()) is None
    assert first_heading("```\n# not a heading\n```\n\n### Closing ###\n") == ("Closing", 4)
    assert first_heading("#hashtag is not a heading") is None


# ---------------------------------------------------------------------- verify, publish


async def test_verify_names_the_keys_owner(fake, http):
    identity = await client(fake, http).verify()
    assert identity.handle == "alice" and identity.display_name == "Alice Example"
    assert identity.url == f"{fake.url}/alice"
    (req,) = fake.requests("GET", "/api/users/me")
    assert req.header("api-key") == KEY and req.header("accept") == "application/vnd.forem.api-v1+json"


async def test_verify_with_a_wrong_key(fake, http):
    err = await fails(AuthError, client(fake, http, "wrong-key-123456").verify())
    assert "HTTP 401: unauthorized" in err.message
    assert "Settings → Extensions" in err.hint and "humane accounts add dev --platform devto" in err.hint


async def test_an_article_is_saved_unpublished_with_its_title_and_tags(fake, http):
    (done,) = await post(client(fake, http))
    (stored,) = fake.posts()
    assert stored["title"] == "Why our town library lends tools" and stored["published"] is False
    assert stored["tag_list"] == ["libraries", "community"]
    assert stored["body_markdown"].startswith("It started with one drill.")
    assert "# Why our town" not in stored["body_markdown"]
    assert done.id == str(stored["id"]) and done.url == stored["url"] and done.extra["published"] == "false"
    assert done.tried_at is None


async def test_published_true_publishes(fake, http):
    await post(client(fake, http), options=PostOptions(published=True))
    assert fake.posts()[0]["published"] is True and fake.posts()[0]["tag_list"] == []


async def test_refused_before_sending(fake, http):
    c = client(fake, http)
    err = await fails(Rejected, post(c, "Just words, no heading."))
    assert "needs a title" in err.message and "# Your title" in err.hint
    err = await fails(Rejected, post(c, options=PostOptions(tags=("a", "b", "c", "d", "e"))))
    assert "5 tags" in err.message and "at most 4" in err.message
    err = await fails(Rejected, post(c, "# A title only\n"))
    assert "no text" in err.message
    err = await fails(Rejected, post(c, options=PostOptions(content_warning="spoilers")))
    assert "no content warnings" in err.message
    assert fake.posts() == [] and not fake.requests("POST")


async def test_the_servers_validation_is_shown(fake, http):
    err = await fails(Rejected, post(client(fake, http), options=PostOptions(tags=("open_source",))))
    assert 'Tag "open_source" contains non-alphanumeric' in err.message and "Fix what it names" in err.hint
    assert fake.posts() == []


async def test_a_long_article_is_one_article(fake, http):
    c = client(fake, http)
    long = "# A long one\n\n" + "A sentence about the garden and the fence. " * 2000
    assert c.split(long, await c.limits()) == [long]
    await post(c, long)
    assert len(fake.posts()) == 1


@pytest.mark.parametrize("kind, kw, error, words, ambiguous", [
    ("status", {"status": 500, "body": {"error": "Internal Server Error", "status": 500}}, TransientError,
     "HTTP 500: Internal Server Error", True),
    ("html", {"status": 502}, TransientError, "HTTP 502: 502 Bad Gateway", True),
    ("malformed-json", {}, TransientError, "not JSON", True),
    ("drop-before", {}, TransientError, "did not answer in full", True),
    ("status", {"status": 401, "body": {"error": "unauthorized", "status": 401}}, AuthError,
     "HTTP 401: unauthorized", None),
    ("status", {"status": 429, "body": {"error": "Rate limit reached, try again in 30 seconds", "status": 429},
                "headers": {"Retry-After": "30"}}, RateLimited, "Try again in 31 s", None),
])
async def test_faults_map_to_shared_errors(fake, http, kind, kw, error, words, ambiguous):
    fake.inject(kind, path="/api/articles", method="POST", **kw)
    err = await fails(error, post(client(fake, http)))
    assert words in err.message, err.message
    assert err.hint
    if ambiguous is not None:
        assert err.ambiguous is ambiguous
    if error is RateLimited:
        assert err.retry_after == 30


async def test_latency_is_waited_out_and_a_slow_server_times_out(fake):
    fake.inject("latency", path="/api/articles", seconds=0.2)
    async with new_http_client() as http:
        await post(client(fake, http))
    fake.inject("latency", path="/api/articles", seconds=1.0)
    async with new_http_client(timeout=httpx.Timeout(0.3)) as http:
        err = await fails(TransientError, post(client(fake, http), ARTICLE.replace("lends", "lent")))
    assert err.ambiguous and "ReadTimeout" in err.message


async def test_a_dropped_answer_then_retry_leaves_exactly_one_article(fake, http):
    """THE test: Forem saves the article and the answer is lost; the retry finds it among the
    writer's own articles and does not send it again."""
    records, saved = fresh_records(DevtoClient, [ARTICLE]), Saved()
    fake.inject("drop-after-commit", path="/api/articles", method="POST")
    err = await fails(TransientError, client(fake, http).publish([ARTICLE], records, OPTIONS, saved))
    assert err.ambiguous and saved.last[0].tried_at  # stamped before the request, kept after
    (stored,) = fake.posts()
    done = await client(fake, http).publish([ARTICLE], saved.last, OPTIONS, saved)
    assert done[0].id == str(stored["id"]) and done[0].url == stored["url"] and done[0].tried_at is None
    assert len(fake.posts()) == 1 and len(fake.requests("POST", "/api/articles")) == 1
    assert fake.requests("GET", "/api/articles/me/all")


async def test_a_lost_request_that_never_arrived_is_sent_on_retry(fake, http):
    records, saved = fresh_records(DevtoClient, [ARTICLE]), Saved()
    fake.inject("drop-before", path="/api/articles", method="POST")
    await fails(TransientError, client(fake, http).publish([ARTICLE], records, OPTIONS, saved))
    assert fake.posts() == []
    done = await client(fake, http).publish([ARTICLE], saved.last, OPTIONS, saved)
    (stored,) = fake.posts()
    assert done[0].id == str(stored["id"])


async def test_a_same_titled_older_article_is_not_taken_for_this_one(fake, http):
    fake.same_title_window = 0
    first = await post(client(fake, http), ARTICLE.replace("one drill", "one hammer"))
    records, saved = fresh_records(DevtoClient, [ARTICLE]), Saved()
    fake.inject("drop-before", path="/api/articles", method="POST")
    err = await fails(TransientError, client(fake, http).publish([ARTICLE], records, OPTIONS, saved))
    assert err.ambiguous  # the answer never came: the retry looks first
    done = await client(fake, http).publish([ARTICLE], saved.last, OPTIONS, saved)
    assert done[0].id != first[0].id and len(fake.posts()) == 2


async def test_the_key_never_shows(fake, http):
    c = client(fake, http)
    assert KEY not in repr(c) and KEY not in str(c.secret)
    fake.inject("status", path="/api/articles", status=500, body={"error": f"bad api-key {KEY}"})
    err = await fails(TransientError, post(c))
    assert "<token>" in err.message
    fake.inject("status", path="/api/users/me", status=401, body={"error": KEY})
    await fails(AuthError, c.verify())


# ---------------------------------------------------------------------- a draft, through the publisher


async def test_a_draft_with_front_matter_goes_out_once(fake, tmp_path):
    store = DraftStore(tmp_path / "drafts")
    path = store.root / "drafts" / "tools.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('+++\npurpose = "Tell neighbours the library lends tools"\naccounts = ["dev"]\n'
                    'title = "The library lends tools"\ntags = ["libraries", "community"]\npublished = true\n+++\n'
                    + ARTICLE, encoding="utf-8")
    draft = store.load(path)
    assert (draft.article_title, draft.tags, draft.published) == ("The library lends tools",
                                                                  ["libraries", "community"], True)
    info = AccountInfo("dev", "devto", server=fake.url)
    async with new_http_client() as http:
        fake.inject("drop-after-commit", path="/api/articles", method="POST")
        first = await publish_draft(store, draft.id, {"dev": DevtoClient(info, Secret(KEY), http)})
        assert first["dev"].status == "queued" and first["dev"].uncertain
        second = await publish_draft(store, draft.id, {"dev": DevtoClient(info, Secret(KEY), http)})
        assert second["dev"].status == "sent"
        third = await publish_draft(store, draft.id, {"dev": DevtoClient(info, Secret(KEY), http)})
        assert third["dev"].status == "sent"
    (stored,) = fake.posts()
    assert stored["title"] == "The library lends tools" and stored["published"] is True
    # The title came from the front matter: the heading stays; the file's final newline is not the
    # writer's text and is not published (issue 18).
    assert stored["body_markdown"] == ARTICLE.rstrip()
    assert second["dev"].url == stored["url"] and len(fake.requests("POST", "/api/articles")) == 1
    assert KEY not in path.read_text("utf-8")
    again = store.load(path)  # what the publisher wrote back keeps the writer's front matter
    assert (again.article_title, again.tags, again.published) == (draft.article_title, draft.tags, True)


def test_bad_front_matter_names_the_line(tmp_path):
    from composer.drafts.codec import DraftError, parse_draft

    with pytest.raises(DraftError) as info:
        parse_draft(tmp_path / "d.md", b'+++\npurpose = "x"\ntags = 3\n+++\nbody\n', "d")
    assert str(info.value).endswith("d.md:3: `tags` must be a list of words, like [\"python\", \"writing\"]")
    with pytest.raises(DraftError, match=r"d.md:2: `published` must be true or false"):
        parse_draft(tmp_path / "d.md", b'+++\npublished = "yes"\n+++\nbody\n', "d")
    draft = parse_draft(tmp_path / "d.md", b'+++\ntags = "python, writing"\n+++\nbody\n', "d")
    assert draft.tags == ["python", "writing"]


# ---------------------------------------------------------------------- humane accounts add


@pytest.mark.keyring
def test_accounts_add_devto_keeps_the_key_in_the_keyring(fake, keyring_env):
    from composer.accounts import SecretStore

    env = dict(os.environ)
    r = subprocess.run([humane_command(), "accounts", "add", "dev", "--platform", "devto", "--server", fake.url,
                        "--secret-stdin"], input=KEY + "\n", capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 0, r.stderr
    assert "Added Dev.to account 'dev'" in r.stdout and "alice" in r.stdout
    config_text = Path(os.environ["HUMANE_CONFIG"]).read_text("utf-8")
    assert KEY not in config_text and KEY not in r.stdout + r.stderr
    saved = tomllib.loads(config_text)["accounts"]["dev"]
    assert saved["platform"] == "devto" and saved["server"] == fake.url
    assert SecretStore().get("dev").reveal() == KEY
    r = subprocess.run([humane_command(), "accounts", "verify", "dev"], capture_output=True, text=True, timeout=60,
                       env=env)
    assert r.returncode == 0 and "alice" in r.stdout, r.stderr
    r = subprocess.run([humane_command(), "accounts", "add", "far", "--platform", "devto", "--server",
                        "http://dev.example", "--secret-stdin"], input=KEY + "\n", capture_output=True, text=True,
                       timeout=60, env=env)
    assert r.returncode == 2 and "plain http" in r.stderr and KEY not in r.stderr
