"""Instagram: its caption rules (2,200 characters, at most 30 hashtags) in the length rules, and the
client against FakeInstagram (real sockets on 127.0.0.1, images hosted by a FakeMicropub media
endpoint that Instagram fetches them from), plus `humane accounts add` with a real Secret Service."""

from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path

import httpx
import pytest

from composer import registry
from composer.drafts.model import ImageRef
from composer.guidelines import length
from composer.media.prepare import prepare
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
from composer.platforms.instagram import InstagramClient
from composer.platforms.micropub import MicropubClient
from tests.command import humane_command
from tests.fakes.instagram import FakeInstagram
from tests.fakes.micropub import FakeMicropub
from tests.images_helpers import photo
from tests.keyring_fixture import keyring_env, keyring_service  # noqa: F401 (fixtures)
from tests.platform_helpers import Saved, expect_error, fresh_records

TAGS = " ".join(f"#tag{i}" for i in range(31))


def test_a_caption_is_counted_with_its_hashtags():
    m = length.measure("Our garden in June #garden #june", "instagram")
    assert (m.count, m.limit, m.hashtags, m.hashtag_limit) == (32, 2200, 2, 30) and m.fits
    thirty = length.measure(" ".join(f"#tag{i}" for i in range(30)), "instagram")
    assert thirty.hashtags == 30 and thirty.fits
    over = length.measure("Seeds to share " + TAGS, "instagram")
    assert over.hashtags == 31 and not over.fits and over.binding == "hashtags"
    assert length.measure("x" * 2200, "instagram").fits and not length.measure("x" * 2201, "instagram").fits
    assert length.count("🌱", "instagram") == 2  # UTF-16 units: never fewer than Instagram counts
    assert length.measure("a link https://x.example/#frag and #real", "instagram").hashtags == 1


def test_too_many_hashtags_is_a_finding_that_says_so():
    (finding,) = length.findings("Seeds to share " + TAGS, "instagram")
    assert finding.rule == "length.instagram" and "31 hashtags, 1 over Instagram's 30 per post" in finding.message


def test_other_platforms_do_not_count_hashtags():
    m = length.measure(TAGS, "mastodon")
    assert m.hashtag_limit is None and m.hashtags == 0


IG_TOKEN = "IGQVJ-SECRET-long-lived-5e6f7a8b9c-never-show"
SITE_TOKEN = "site-token-for-the-media-host-1a2b3c"
USER_ID = "17841400000000001"
CAPTION = "Our tool library's first ladder, lent out today. #library #tools"
ALTS = ["A wooden ladder leaning on a brick wall.", "Two neighbours carrying the ladder down the street."]


@pytest.fixture
def fakes():
    with FakeInstagram() as ig, FakeMicropub() as site:
        ig.add_user(USER_ID, "alice", token=IG_TOKEN)
        site.add_token(SITE_TOKEN)
        yield ig, site


@pytest.fixture
def images(tmp_path):
    media = registry.get("instagram").media
    assert media is not None
    paths = [photo(tmp_path / f"ladder{i}.jpg", (800, 600)) for i in range(3)]
    return [prepare(ImageRef(str(p), alt), None, media) for p, alt in zip(paths, [*ALTS, "A third picture."])]


def ig_client(ig: FakeInstagram, site: FakeMicropub | None, http: httpx.AsyncClient,
              token: str = IG_TOKEN) -> InstagramClient:
    c = InstagramClient(AccountInfo("insta", "instagram", server=ig.url, handle=USER_ID), Secret(token), http)
    c.poll_delays = (0.01, 0.02, 0.05)
    if site is not None:
        c.media_host = MicropubClient(AccountInfo("blog", "micropub", server=site.url,
                                                  options={"endpoint": site.endpoint}), Secret(SITE_TOKEN), http)
    return c


async def post(c: InstagramClient, images, text: str = CAPTION, records=None, saved=None):
    return await c.publish([text], records or fresh_records(InstagramClient, [text]), PostOptions(),
                           saved or Saved(), [images])


async def fails(exc_type, coro) -> PlatformError:
    return await expect_error(exc_type, coro, [IG_TOKEN, SITE_TOKEN])


def test_registered_with_its_limits():
    cls = client_class("instagram")
    assert cls is InstagramClient
    assert (cls.SUPPORTS_THREADS, cls.NEEDS_HANDLE, cls.DEFAULT_SERVER) == (False, True, "https://graph.instagram.com")
    media = registry.get("instagram").media
    assert media is not None and media.max_images == 10 and media.public_url


async def test_verify_names_the_account(fakes, http):
    ig, _ = fakes
    identity = await ig_client(ig, None, http).verify()
    assert identity.id == identity.handle == USER_ID and identity.display_name == "@alice"
    assert identity.url == "https://www.instagram.com/alice/"
    err = await fails(AuthError, ig_client(ig, None, http, token="wrong-token-000111").verify())
    assert "code 190" in err.message and "humane accounts add insta --platform instagram" in err.hint


async def test_one_image_post_with_caption_and_alt(fakes, images, http):
    ig, site = fakes
    (done,) = await post(ig_client(ig, site, http), images[:1])
    (media,) = ig.posts()
    assert media["media_type"] == "IMAGE" and media["caption"] == CAPTION and media["alt_texts"] == ALTS[:1]
    assert media["image_urls"][0].startswith(site.base + "/media/")
    assert done.id == media["id"] and done.url == media["permalink"] and done.extra["container"] == media["container"]


async def test_a_carousel(fakes, images, http):
    ig, site = fakes
    await post(ig_client(ig, site, http), images[:2])
    (media,) = ig.posts()
    assert media["media_type"] == "CAROUSEL_ALBUM" and media["alt_texts"] == ALTS and media["caption"] == CAPTION
    assert len(site.files) == 2


async def test_refused_before_anything_is_sent(fakes, images, http):
    ig, site = fakes
    err = await fails(Rejected, post(ig_client(ig, site, http), []))
    assert "no text-only posts" in err.message and "Attach an image" in err.hint
    err = await fails(Rejected, post(ig_client(ig, None, http), images[:1]))
    assert "public address" in err.message and "media_host" in err.hint
    tags = " ".join(f"#t{i}" for i in range(31))
    err = await fails(Rejected, post(ig_client(ig, site, http), images[:1], "Tags " + tags))
    assert "31 hashtags" in err.message and "allows 30" in err.message
    err = await fails(Rejected, post(ig_client(ig, site, http), images[:1], "x" * 2201))
    assert "2,201" in err.message or "2201" in err.message
    assert ig.containers == {} and ig.posts() == [] and site.files == {}


async def test_a_container_still_in_progress_is_waited_for(images, http):
    with FakeInstagram(in_progress_reads=2) as ig, FakeMicropub() as site:
        ig.add_user(USER_ID, "alice", token=IG_TOKEN)
        site.add_token(SITE_TOKEN)
        await post(ig_client(ig, site, http), images[:1])
        assert len(ig.posts()) == 1


@pytest.mark.parametrize("kind, kw, error, words", [
    ("status", {"status": 500, "body": {"error": {"message": "An unknown error occurred", "code": 1,
                                                  "type": "OAuthException", "is_transient": True}}},
     TransientError, "code 1: An unknown error occurred"),
    ("html", {"status": 502}, TransientError, "502 Bad Gateway"),
    ("malformed-json", {}, TransientError, "not JSON"),
    ("status", {"status": 401, "body": {"error": {"message": "Error validating access token", "code": 190,
                                                  "type": "OAuthException"}}}, AuthError, "code 190"),
    ("status", {"status": 429, "body": {"error": {"message": "Application request limit reached", "code": 4}},
                "headers": {"Retry-After": "60"}}, RateLimited, "Application request limit reached"),
])
async def test_faults_on_publishing_map_to_shared_errors(fakes, images, http, kind, kw, error, words):
    ig, site = fakes
    ig.inject(kind, path=r"/\d+/media_publish", **kw)
    err = await fails(error, post(ig_client(ig, site, http), images[:1]))
    assert words in err.message, err.message
    assert err.hint
    if error is TransientError:
        assert err.ambiguous
    if error is RateLimited:
        assert err.retry_after == 60


async def test_latency_is_waited_out_and_a_slow_server_times_out(fakes, images):
    ig, site = fakes
    ig.inject("latency", path=r"/\d+/media_publish", seconds=0.2)
    async with new_http_client() as http:
        await post(ig_client(ig, site, http), images[:1])
    ig.inject("latency", path=r"/\d+/media_publish", seconds=1.0)
    async with new_http_client(timeout=httpx.Timeout(0.3)) as http:
        err = await fails(TransientError, post(ig_client(ig, site, http), images[:1], "Another caption."))
    assert err.ambiguous and "ReadTimeout" in err.message


async def test_a_dropped_answer_then_retry_leaves_exactly_one_post(fakes, images, http):
    """THE test: Instagram publishes and the answer is lost; the retry reads the saved container
    (PUBLISHED), finds the post among the account's media, and publishes nothing again."""
    ig, site = fakes
    records, saved = fresh_records(InstagramClient, [CAPTION]), Saved()
    ig.inject("drop-after-commit", path=r"/\d+/media_publish", method="POST")
    err = await fails(TransientError, post(ig_client(ig, site, http), images[:2], records=records, saved=saved))
    assert err.ambiguous and saved.last[0].extra["container"]
    (media,) = ig.posts()
    done = await post(ig_client(ig, site, http), images[:2], records=saved.last, saved=saved)
    assert done[0].id == media["id"] and done[0].url == media["permalink"]
    assert len(ig.posts()) == 1 and len(ig.requests("POST", r"/\d+/media_publish")) == 1


async def test_a_failure_before_publishing_publishes_the_same_container_on_retry(fakes, images, http):
    ig, site = fakes
    records, saved = fresh_records(InstagramClient, [CAPTION]), Saved()
    ig.inject("status", path=r"/\d+/media_publish", status=503, body={"error": {"message": "busy", "code": 2}})
    await fails(TransientError, post(ig_client(ig, site, http), images[:1], records=records, saved=saved))
    container = saved.last[0].extra["container"]
    made = len(ig.containers)
    done = await post(ig_client(ig, site, http), images[:1], records=saved.last, saved=saved)
    assert len(ig.containers) == made and ig.posts()[0]["container"] == container and done[0].sent


async def test_an_expired_container_is_made_again(fakes, images, http):
    ig, site = fakes
    records, saved = fresh_records(InstagramClient, [CAPTION]), Saved()
    ig.inject("status", path=r"/\d+/media_publish", status=503, body={"error": {"message": "busy", "code": 2}})
    await fails(TransientError, post(ig_client(ig, site, http), images[:1], records=records, saved=saved))
    ig.expire_container(saved.last[0].extra["container"])
    await post(ig_client(ig, site, http), images[:1], records=saved.last, saved=saved)
    assert len(ig.posts()) == 1 and ig.posts()[0]["container"] != records[0].extra.get("container")


async def test_a_published_post_that_cannot_be_found_needs_a_check(fakes, images, http):
    ig, site = fakes
    records, saved = fresh_records(InstagramClient, [CAPTION]), Saved()
    ig.inject("drop-after-commit", path=r"/\d+/media_publish", method="POST")
    await fails(TransientError, post(ig_client(ig, site, http), images[:1], records=records, saved=saved))
    ig.media.clear()  # deleted on Instagram meanwhile
    err = await fails(NeedsCheck, post(ig_client(ig, site, http), images[:1], records=saved.last, saved=saved))
    assert "not among your recent posts" in err.message


async def test_the_token_never_shows(fakes, images, http):
    ig, site = fakes
    c = ig_client(ig, site, http)
    assert IG_TOKEN not in repr(c) and IG_TOKEN not in str(c.secret)
    ig.inject("status", path=r"/\d+/media", status=400,
              body={"error": {"message": f"bad token {IG_TOKEN}", "code": 100}})
    err = await fails(Rejected, post(c, images[:1]))
    assert "<token>" in err.message


@pytest.mark.keyring
def test_accounts_add_instagram_keeps_the_token_in_the_keyring(fakes, keyring_env):
    from composer.accounts import SecretStore

    ig, _ = fakes
    env = dict(os.environ)
    r = subprocess.run([humane_command(), "accounts", "add", "insta", "--platform", "instagram", "--server", ig.url,
                        "--handle", USER_ID, "--secret-stdin"], input=IG_TOKEN + "\n", capture_output=True,
                       text=True, timeout=60, env=env)
    assert r.returncode == 0, r.stderr
    config_text = Path(os.environ["HUMANE_CONFIG"]).read_text("utf-8")
    assert IG_TOKEN not in config_text + r.stdout + r.stderr
    saved = tomllib.loads(config_text)["accounts"]["insta"]
    assert saved["platform"] == "instagram" and saved["handle"] == USER_ID
    assert SecretStore().get("insta").reveal() == IG_TOKEN
    r = subprocess.run([humane_command(), "accounts", "verify", "insta"], capture_output=True, text=True,
                       timeout=60, env=env)
    assert r.returncode == 0 and "alice" in r.stdout, r.stderr
