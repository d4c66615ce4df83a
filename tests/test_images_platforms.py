"""Images on LinkedIn (Images API), Micropub (the media endpoint) and Threads (a public address from
the account's media_host), each client against its fake server, plus the open_client wiring."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from composer import registry
from composer.drafts.model import ImageRef
from composer.media.prepare import prepare
from composer.platforms.base import AccountInfo, PostOptions, Rejected, Secret
from composer.platforms.http import new_http_client
from composer.platforms.linkedin import LinkedInClient
from composer.platforms.micropub import MicropubClient
from composer.platforms.threads import ThreadsClient
from tests.fakes.linkedin import FakeLinkedIn
from tests.fakes.micropub import FakeMicropub
from tests.fakes.threads import FakeThreads
from tests.images_helpers import assert_clean, decode, photo
from tests.platform_helpers import Saved, fresh_records

TOKEN = "tok-IMG-PLATFORMS-77aa"
ALTS = ["A bicycle leaning on a blue fence.", "The same bicycle, now with a basket of apples."]


@pytest.fixture
def photos(tmp_path) -> list[Path]:
    return [photo(tmp_path / f"bike{i}.jpg", (800, 600)) for i in range(2)]


def images_for(platform: str, photos: list[Path], n: int = 2):
    media = registry.get(platform).media
    assert media is not None
    return [prepare(ImageRef(str(p), alt), None, media) for p, alt in zip(photos[:n], ALTS)]


def micropub_client(site: FakeMicropub, http) -> MicropubClient:
    return MicropubClient(AccountInfo("blog", "micropub", server=site.url, options={"endpoint": site.endpoint}),
                          Secret(TOKEN), http)


async def test_micropub_uploads_to_its_media_endpoint_and_posts_photos_with_alt(photos) -> None:
    with FakeMicropub() as site:
        site.add_token(TOKEN)
        async with new_http_client() as http:
            c = micropub_client(site, http)
            images = images_for("micropub", photos)
            done = await c.publish(["Bike day."], fresh_records(MicropubClient, ["Bike day."]), PostOptions(), Saved(),
                                   [images])
        [entry] = site.posts()
        photos_sent = entry["properties"]["photo"]
        assert [p["alt"] for p in photos_sent] == ALTS
        assert done[0].url == entry["url"]
        for p in photos_sent:
            mime, data = site.files[p["value"].removeprefix(site.base)]
            assert mime == "image/jpeg"
            assert_clean(data)


async def test_linkedin_uses_the_images_api_and_multi_image(photos) -> None:
    with FakeLinkedIn() as li:
        li.add_member("Alice Example", token=TOKEN, sub="aB3xY9q")
        async with new_http_client() as http:
            c = LinkedInClient(AccountInfo("work", "linkedin", server=li.url,
                                           options={"person": "urn:li:person:aB3xY9q"}), Secret(TOKEN), http)
            await c.publish(["Two bikes."], fresh_records(LinkedInClient, ["Two bikes."]), PostOptions(), Saved(),
                            [images_for("linkedin", photos)])
            await c.publish(["One bike."], fresh_records(LinkedInClient, ["One bike."]), PostOptions(), Saved(),
                            [images_for("linkedin", photos, 1)])
        two, one = li.all_posts()
        assert [i["altText"] for i in two["content"]["multiImage"]["images"]] == ALTS
        assert one["content"]["media"]["altText"] == ALTS[0]
        for urn in [i["id"] for i in two["content"]["multiImage"]["images"]] + [one["content"]["media"]["id"]]:
            assert_clean(li.images[urn])


def threads_client(fake: FakeThreads, http) -> ThreadsClient:
    issued = datetime.now(UTC) - timedelta(hours=1)
    secret = Secret(json.dumps({"access_token": TOKEN, "issued_at": issued.isoformat(timespec="seconds"),
                                "expires_at": (issued + timedelta(days=60)).isoformat(timespec="seconds")}))
    c = ThreadsClient(AccountInfo("th", "threads", server=fake.url, options={"user_id": fake.user("alice").id}),
                      secret, http)
    c.poll_delays = (0.01, 0.02, 0.05)
    return c


async def test_threads_needs_a_media_host_and_fetches_from_it(photos) -> None:
    with FakeThreads() as threads, FakeMicropub() as site:
        threads.add_user("alice", token=TOKEN)
        site.add_token(TOKEN)
        async with new_http_client() as http:
            c = threads_client(threads, http)
            images = images_for("threads", photos)
            with pytest.raises(Rejected, match="public address"):
                await c.publish(["Bikes."], fresh_records(ThreadsClient, ["Bikes."]), PostOptions(), Saved(), [images])
            assert not threads.containers and not site.files
            c.media_host = micropub_client(site, http)
            await c.publish(["Bikes."], fresh_records(ThreadsClient, ["Bikes."]), PostOptions(), Saved(), [images])
            await c.publish(["A bike."], fresh_records(ThreadsClient, ["A bike."]), PostOptions(), Saved(),
                            [images[:1]])
        carousel, single = threads.posts()
        assert [i["alt"] for i in carousel["images"]] == ALTS and carousel["text"] == "Bikes."
        assert [i["alt"] for i in single["images"]] == ALTS[:1]
        for item in carousel["images"]:
            assert item["url"].startswith(site.base + "/media/")
            assert_clean(item["data"])
            assert decode(item["data"]).size == (800, 600)


async def test_open_client_hands_the_media_host_over(tmp_path, monkeypatch) -> None:
    from composer.accounts import SecretStore
    from composer.accounts.clients import open_client
    from composer.config import AccountConfig, Config
    from tests.fakes.keyring import memory_backend

    store = SecretStore(backend=memory_backend())
    store.set("blog", Secret(TOKEN))
    store.set("th", Secret(TOKEN))
    config = Config(accounts={
        "blog": AccountConfig("blog", "micropub", server="http://127.0.0.1:9"),
        "th": AccountConfig("th", "threads", options={"media_host": "blog"}),
        "lonely": AccountConfig("lonely", "threads", options={"media_host": "nobody"}),
    })
    store.set("lonely", Secret(TOKEN))
    async with new_http_client() as http:
        th = await open_client("th", config=config, http=http, store=store)
        assert isinstance(th.media_host, MicropubClient) and th.media_host.account.name == "blog"
        lonely = await open_client("lonely", config=config, http=http, store=store)
        assert lonely.media_host is None and "nobody" in lonely.media_host_problem


def test_config_warns_about_a_media_host_naming_no_account(tmp_path) -> None:
    from composer.config import load_config

    path = tmp_path / "config.toml"
    path.write_text('[accounts.blog]\nplatform = "micropub"\nserver = "https://blog.example"\n\n'
                    '[accounts.th]\nplatform = "threads"\nmedia_host = "blog"\n\n'
                    '[accounts.th2]\nplatform = "threads"\nmedia_host = "blgo"\n')
    config = load_config(path)
    assert config.accounts["th"].options == {"media_host": "blog"}
    assert len(config.warnings) == 1
    assert f"{path}:11: account 'th2': media_host 'blgo' names no other account" in config.warnings[0]
