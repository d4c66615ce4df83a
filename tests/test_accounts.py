"""composer.accounts in-process: open_client, and saving a rotated secret."""

from __future__ import annotations

import json
import logging

import pytest

from composer.accounts import (
    KeyringUnavailable,
    SecretStore,
    UnknownAccount,
    open_client,
    save_secret_hook,
)
from composer.config import AccountConfig, Config
from composer.platforms.base import AuthError, Secret
from tests.fakes.bluesky import FakeBluesky
from tests.fakes.mastodon import FakeMastodon
from tests.keyring_fixture import FAIL_BACKEND, keyring_env, keyring_service  # noqa: F401 (fixtures)

TOKEN = "tok-ACCOUNTS-4b7c19e2f0"


async def test_unknown_account_names_the_known_ones() -> None:
    config = Config(accounts={"work": AccountConfig(name="work", platform="mastodon", server="https://a.example")})
    with pytest.raises(UnknownAccount) as info:
        await open_client("home", config=config, store=SecretStore())
    assert "'home'" in str(info.value) and "work" in str(info.value) and "humane accounts add" in str(info.value)


@pytest.mark.keyring
async def test_missing_secret_is_an_auth_error_with_the_fix(keyring_env) -> None:
    config = Config(accounts={"gone": AccountConfig(name="gone", platform="mastodon", server="https://a.example")})
    with pytest.raises(AuthError) as info:
        await open_client("gone", config=config)
    assert "humane accounts add gone --platform mastodon" in info.value.explain()


async def test_no_keyring_backend(monkeypatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", FAIL_BACKEND)
    config = Config(accounts={"work": AccountConfig(name="work", platform="mastodon", server="https://a.example")})
    with pytest.raises(KeyringUnavailable, match="gnome-keyring"):
        await open_client("work", config=config)


@pytest.mark.keyring
async def test_open_client_reads_the_secret_and_talks_to_the_server(keyring_env) -> None:
    with FakeMastodon() as server:
        server.add_account("alice", token=TOKEN)
        SecretStore().set("work", Secret(TOKEN))
        config = Config(accounts={"work": AccountConfig(name="work", platform="mastodon", server=server.url)})
        client = await open_client("work", config=config)  # makes its own http client
        try:
            identity = await client.verify()
        finally:
            await client.http.aclose()
        assert identity.handle.startswith("alice")
        assert client.secret.reveal() == TOKEN and TOKEN not in repr(client.secret)


@pytest.mark.keyring
async def test_a_rotated_session_is_saved_back_to_the_keyring(keyring_env) -> None:
    from composer.platforms.http import new_http_client

    with FakeBluesky() as server:
        server.add_account("alice.test", app_password="abcd-efgh-ijkl-mnop")
        store = SecretStore()
        config = Config(accounts={"sky": AccountConfig(name="sky", platform="bluesky", server=server.url,
                                                      handle="alice.test")})
        async with new_http_client() as http:
            from composer.platforms.bluesky import BlueskyClient

            secret, _ = await BlueskyClient.login(http, config.accounts["sky"],
                                                  lambda prompt, hidden: "abcd-efgh-ijkl-mnop")
            store.set("sky", secret)
            first = json.loads(secret.reveal())
            client = await open_client("sky", config=config, http=http, store=store)
            server.expire_access()
            await client.verify()  # ExpiredToken -> refreshSession -> new tokens, saved at once
        saved = json.loads(store.get("sky").reveal())
        assert saved["refreshJwt"] != first["refreshJwt"]
        assert saved == json.loads(client.secret.reveal())


def test_a_failed_save_is_logged_without_the_secret(monkeypatch, caplog) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", FAIL_BACKEND)
    hook = save_secret_hook(SecretStore(), "sky")
    with caplog.at_level(logging.WARNING, logger="composer.accounts"):
        hook(Secret(TOKEN))  # never raises into the client
    assert "sky" in caplog.text and "keyring" in caplog.text
    assert TOKEN not in caplog.text
