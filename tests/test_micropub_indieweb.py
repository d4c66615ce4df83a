"""Micropub against a real server (issue 18, item 7): django-indieweb, with its own IndieAuth
tokens, served by tests/indieweb_site on 127.0.0.1. The installed `humane` command adds the
account, verifies it and publishes, with the token in a real Secret Service.

Before: the endpoint was stored without the slash the site announces (`/indieweb/micropub/`), so
every request got Django's 301 and nothing was published; and `verify` read that redirect as "no
config offered", so a made-up token was accepted."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from composer.drafts import DraftStore
from composer.platforms.base import AccountInfo, AuthError, PostOptions, Secret
from composer.platforms.micropub import MicropubClient
from tests.command import humane
from tests.indieweb_fixture import IndieWebSite, indieweb  # noqa: F401 (fixture)
from tests.keyring_fixture import keyring_env, keyring_service  # noqa: F401 (fixtures)
from tests.platform_helpers import Saved, fresh_records

pytestmark = pytest.mark.keyring
MADE_UP = "made-up-token-0d9c8b7a6f5e"


def saved_config() -> dict:
    return tomllib.loads(Path(os.environ["HUMANE_CONFIG"]).read_text("utf-8"))


def test_a_made_up_token_is_refused(indieweb: IndieWebSite, keyring_env) -> None:
    r = humane("accounts", "add", "blog", "--platform", "micropub", "--server", indieweb.url, "--secret-stdin",
               input=MADE_UP)
    assert r.returncode != 0, r.stdout
    assert "did not accept the token" in r.stderr and "HTTP 401" in r.stderr
    assert MADE_UP not in r.stdout + r.stderr
    if Path(os.environ["HUMANE_CONFIG"]).exists():
        assert "blog" not in saved_config().get("accounts", {})


def test_add_verify_and_post_on_a_real_micropub_server(indieweb: IndieWebSite, keyring_env) -> None:
    r = humane("accounts", "add", "blog", "--platform", "micropub", "--server", indieweb.url, "--secret-stdin",
               input=indieweb.token)
    assert r.returncode == 0, r.stdout + r.stderr
    assert saved_config()["accounts"]["blog"]["endpoint"] == indieweb.endpoint  # the slash as announced
    r = humane("accounts", "verify", "blog")
    assert r.returncode == 0, r.stdout + r.stderr

    store = DraftStore()
    path = store.save(store.new(body="A note for my own site, with a link: https://example.org/notes",
                                purpose="to tell readers of my site about it"))
    path.write_text(path.read_text("utf-8").rstrip("\n") + "\n\n", "utf-8")  # a hand-edited file's line endings
    r = humane("post", str(path), "--to", "blog")
    assert r.returncode == 0, r.stdout + r.stderr
    (entry,) = indieweb.entries()
    assert entry["content"] == "A note for my own site, with a link: https://example.org/notes"  # no final newline
    assert r.stdout.strip() == f"blog: {indieweb.url.rstrip('/')}{entry['url']}"
    assert indieweb.token not in r.stdout + r.stderr + path.read_text("utf-8")
    # Posting again publishes nothing new.
    again = humane("post", str(path), "--to", "blog")
    assert again.returncode == 0 and len(indieweb.entries()) == 1


async def test_an_endpoint_kept_without_its_slash_is_read_again_from_the_site(indieweb: IndieWebSite, http) -> None:
    """An account added by an older version keeps `/indieweb/micropub`: the 301 makes the client
    read the endpoint the site announces, and go on with it."""
    account = AccountInfo("blog", "micropub", server=indieweb.url.rstrip("/"),
                          options={"endpoint": indieweb.endpoint.rstrip("/")})
    client = MicropubClient(account, Secret(indieweb.token), http)
    identity = await client.verify()
    assert identity.details["endpoint"] == indieweb.endpoint
    before = len(indieweb.entries())
    client = MicropubClient(account, Secret(indieweb.token), http)  # a publish without a verify first
    done = await client.publish(["Hello again"], fresh_records(MicropubClient, ["Hello again"]), PostOptions(), Saved())
    assert done[0].url and done[0].url.endswith(indieweb.entries()[-1]["url"])
    assert len(indieweb.entries()) == before + 1


async def test_a_made_up_token_fails_verify_at_the_client(indieweb: IndieWebSite, http) -> None:
    account = AccountInfo("blog", "micropub", server=indieweb.url, options={"endpoint": indieweb.endpoint})
    with pytest.raises(AuthError) as info:
        await MicropubClient(account, Secret(MADE_UP), http).verify()
    assert "HTTP 401" in info.value.message and MADE_UP not in info.value.explain()
