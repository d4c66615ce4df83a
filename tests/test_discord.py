"""The Discord webhook client against FakeDiscord: real sockets on 127.0.0.1, the real client over
httpx, the publish core with a real draft store, and `humane accounts add` with the real keyring."""

from __future__ import annotations

import os
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
from composer.platforms.discord import DiscordClient
from composer.platforms.http import new_http_client
from composer.publish import reset_delivery
from tests.chat_helpers import (
    config_text,
    data_files_hold,
    humane,
    lost_answer_then_retry,
    publish_twice,
    saved_account,
)
from tests.fakes.discord import FakeDiscord
from tests.keyring_fixture import keyring_env, keyring_service  # noqa: F401 (fixtures)
from tests.platform_helpers import Saved, expect_error, fresh_records

LONG = " ".join(f"Line {i}: the garden shares seeds, tools and time with every neighbour." for i in range(60))


@pytest.fixture
def discord():
    with FakeDiscord() as server:
        server.url_of_hook = server.add_webhook()
        yield server


def client(server: FakeDiscord, http: httpx.AsyncClient, hook: str | None = None, **options) -> DiscordClient:
    info = AccountInfo("chat", "discord", server=server.url, options=options or {"guild_id": "81384788765712384"})
    return DiscordClient(info, Secret(hook or server.url_of_hook), http)


def token_of(hook: str) -> str:
    return hook.rsplit("/", 1)[1]


async def fails(exc_type, coro, server: FakeDiscord) -> PlatformError:
    return await expect_error(exc_type, coro, [server.url_of_hook, token_of(server.url_of_hook)])


async def post(c: DiscordClient, parts: list[str], saved: Saved | None = None, records=None):
    return await c.publish(parts, records or fresh_records(DiscordClient, parts), PostOptions(), saved or Saved())


def test_registered_and_not_idempotent():
    cls = client_class("discord")
    assert cls is DiscordClient and cls.label == "Discord" and cls.SECRET_LABEL == "webhook URL"
    assert (cls.NEEDS_SERVER, cls.NEEDS_HANDLE, cls.SUPPORTS_THREADS, cls.IDEMPOTENT) == (False, False, True, False)


# ---------------------------------------------------------------------- login, verify


async def test_login_reads_the_webhook(discord, http):
    sec, acct = await DiscordClient.login(http, AccountInfo("chat", "discord", server=discord.url),
                                          lambda p, s: discord.url_of_hook + "\n")
    assert sec == Secret(discord.url_of_hook) and acct.handle == "Garden news"
    identity = await DiscordClient(acct, sec, http).verify()
    assert identity.details == {"guild_id": "81384788765712384", "channel_id": "81384788765712385"}
    assert all(r.path.startswith("/api/webhooks/") for r in discord.requests())


@pytest.mark.parametrize("secret, error, words", [
    ("https://example.com/not/a/webhook", Rejected, "not a Discord webhook URL"),
    ("https://evil.example/api/webhooks/1/abc", Rejected, "not a Discord webhook URL"),
    ("http://discord.com/api/webhooks/1/abc", PlatformError, "plain http"),
])
async def test_login_refuses_what_is_no_webhook(discord, http, secret, error, words):
    err = await fails(error, DiscordClient.login(http, AccountInfo("chat", "discord", server=discord.url),
                                                 lambda p, s: secret), discord)
    assert words in err.message and not discord.requests()


async def test_a_deleted_webhook_or_a_wrong_token_is_an_auth_error(discord, http):
    wrong = discord.url_of_hook[:-4] + "abcd"
    err = await expect_error(AuthError, client(discord, http, wrong).verify(), [wrong, token_of(wrong)])
    assert "HTTP 401: Invalid Webhook Token" in err.message and "Copy Webhook URL" in err.hint
    discord.delete_webhook(discord.url_of_hook)
    err = await fails(AuthError, client(discord, http).verify(), discord)
    assert "HTTP 404: Unknown Webhook" in err.message


# ---------------------------------------------------------------------- publishing


async def test_a_post_waits_for_the_message_and_pings_nobody(discord, http):
    text = "Garden day! @everyone and @here are welcome, <@80351110224678912> too. Bring seeds & tools."
    saved = Saved()
    done = await post(client(discord, http), [text], saved)
    (message,) = discord.posts()
    assert message["content"] == text and not message["mention_everyone"] and message["mentions"] == []
    (req,) = discord.requests("POST")
    assert req.query["wait"] == ["true"] and req.json["allowed_mentions"] == {"parse": []}
    assert done[0].id == message["id"]
    assert done[0].url == f"https://discord.com/channels/81384788765712384/81384788765712385/{message['id']}"
    assert "tried_at" in saved.history[0][0].extra and "tried_at" not in done[0].extra


async def test_a_long_post_goes_out_as_several_messages_in_order(discord, http):
    c = client(discord, http)
    parts = c.split(LONG, await c.limits())
    assert len(parts) > 1 and all(len(p.encode("utf-16-le")) // 2 <= 2000 for p in parts)
    done = await post(c, parts)
    assert [m["content"] for m in discord.posts()] == parts
    assert [r.id for r in done] == [m["id"] for m in discord.posts()]


async def test_a_forum_thread_id_in_the_webhook_url_is_kept(discord, http):
    done = await post(client(discord, http, discord.url_of_hook + "?thread_id=42"), ["in the thread"])
    assert discord.posts()[0]["thread_id"] == "42" and done[0].sent


async def test_a_message_over_the_limit_is_refused_before_sending(discord, http):
    err = await fails(Rejected, post(client(discord, http), ["🌱" * 1001]), discord)
    assert "2002 characters" in err.message and not discord.requests("POST")


@pytest.mark.parametrize("kind, kw, error, ambiguous", [
    ("status", {"status": 500, "body": {"message": "500: Internal Server Error", "code": 0}}, TransientError, True),
    ("html", {"status": 502}, TransientError, True),
    ("drop-after-commit", {}, TransientError, True),
    ("malformed-json", {}, TransientError, True),
    ("status", {"status": 429, "body": {"message": "You are being rate limited.", "retry_after": 2.5,
                                        "global": False}}, RateLimited, None),
    ("status", {"status": 429, "body": {"message": "slow"}, "headers": {"Retry-After": "7"}}, RateLimited, None),
    ("status", {"status": 401, "body": {"message": "Invalid Webhook Token", "code": 50027}}, AuthError, None),
    ("status", {"status": 400, "body": {"message": "Invalid Form Body", "code": 50035}}, Rejected, None),
])
async def test_faults_map_to_shared_errors(discord, http, kind, kw, error, ambiguous):
    discord.inject(kind, path=r"/api/webhooks/.*", method="POST", **kw)
    saved = Saved()
    err = await fails(error, post(client(discord, http), ["hello"], saved), discord)
    assert err.hint
    if ambiguous:
        assert err.ambiguous and "tried_at" in saved.last[0].extra
    else:
        assert "tried_at" not in saved.last[0].extra  # nothing was posted: a retry may send
    if error is RateLimited:
        assert err.retry_after in (2.5, 7.0)


async def test_latency_is_waited_out(discord):
    discord.inject("latency", path=r"/api/webhooks/.*", method="POST", seconds=0.2)
    async with new_http_client() as http:
        done = await post(client(discord, http), ["slow but fine"])
    assert done[0].sent and len(discord.posts()) == 1


async def test_a_dropped_answer_is_never_sent_again_by_itself(discord, http):
    """The webhook posts and the answer is lost: Discord cannot be asked, so the retry asks the writer."""
    discord.inject("drop-after-commit", path=r"/api/webhooks/.*", method="POST")
    saved = Saved()
    await fails(TransientError, post(client(discord, http), ["Only once"], saved), discord)
    err = await fails(NeedsCheck, post(client(discord, http), ["Only once"], saved, saved.last), discord)
    assert "may already be in the webhook's Discord channel" in err.message and "mark the post as sent" in err.hint
    assert len(discord.posts()) == 1 and len(discord.requests("POST")) == 1


async def test_through_the_core_a_thread_with_a_lost_answer_posts_each_message_once(discord, tmp_path):
    discord.inject("drop-after-commit", path=r"/api/webhooks/.*", method="POST")
    async with new_http_client() as http:
        first, after, store, draft_id = await lost_answer_then_retry(
            tmp_path, "chat", lambda: client(discord, http), LONG)
        assert first.status == "queued" and first.uncertain
        assert after.status == "failed" and after.error_kind == "needs-check"
        assert len(discord.posts()) == 1  # the first message, once; nothing after it was sent blindly
        reset_delivery(store, draft_id, "chat")  # the writer looked: it is not complete, send again


async def test_re_publishing_the_same_draft_sends_nothing_twice(discord, tmp_path):
    async with new_http_client() as http:
        first, second = await publish_twice(tmp_path, "chat", lambda: client(discord, http), LONG)
    assert first.status == second.status == "sent"
    assert len(discord.posts()) == len(first.parts) > 1 and second.parts == first.parts


async def test_the_webhook_never_shows(discord, http):
    c = client(discord, http)
    token = token_of(discord.url_of_hook)
    assert token not in repr(c) and token not in str(c.secret)
    discord.inject("status", path=r"/api/webhooks/.*", method="POST", status=400,
                   body={"message": f"bad path /api/webhooks/1/{token}", "code": 0})
    err = await fails(Rejected, post(c, ["hi"]), discord)
    assert "<token>" in err.message


# ---------------------------------------------------------------------- humane accounts add


@pytest.mark.keyring
def test_accounts_add_keeps_the_webhook_in_the_keyring_only(discord, keyring_env, tmp_path):
    from composer.accounts import SecretStore

    hook = discord.url_of_hook
    r = humane("accounts", "add", "chat", "--platform", "discord", "--server", discord.url, "--secret-stdin",
               secret=hook)
    assert r.returncode == 0, r.stderr
    assert "Added Discord account 'chat': Garden news" in r.stdout
    assert hook not in config_text() and token_of(hook) not in config_text() + r.stdout + r.stderr
    saved = saved_account("chat")
    assert saved["platform"] == "discord" and saved["guild_id"] == "81384788765712384"
    assert SecretStore().get("chat").reveal() == hook
    r = humane("accounts", "verify", "chat")
    assert r.returncode == 0 and "Garden news" in r.stdout, r.stderr
    r = humane("accounts", "list")
    assert "Garden news" in r.stdout and "@Garden" not in r.stdout  # a webhook's name, not a handle
    draft = tmp_path / "note.md"
    draft.write_text("+++\npurpose = \"Tell the garden group about Saturday\"\n+++\nSeeds swap on Saturday at ten.\n")
    r = humane("post", str(draft), "--to", "chat")
    assert r.returncode == 0, r.stdout + r.stderr
    assert discord.posts()[-1]["content"].strip() == "Seeds swap on Saturday at ten."
    home = Path(os.environ["HUMANE_CONFIG"]).parent.parent
    assert data_files_hold(home, token_of(hook)) == [] and data_files_hold(tmp_path, token_of(hook)) == []
    r = humane("accounts", "add", "bad", "--platform", "discord", "--server", "http://far.example", "--secret-stdin",
               secret=hook)
    assert r.returncode == 2 and "plain http" in r.stderr and token_of(hook) not in r.stderr


# ---------------------------------------------------------------------- images


async def test_images_go_with_the_message_and_keep_their_alt_text(discord, http, tmp_path):
    from composer import registry
    from composer.drafts.model import ImageRef
    from composer.media.prepare import prepare
    from tests.images_helpers import assert_clean, photo

    media = registry.get("discord").media
    alts = ["A bicycle leaning on a blue fence.", "Seed packets on a table, @everyone's favourites."]
    images = [prepare(ImageRef(str(photo(tmp_path / f"p{i}.jpg", (800, 600))), alt), None, media)
              for i, alt in enumerate(alts)]
    text = "Swap day photos @everyone"
    done = await discord_client_post_with_images(client(discord, http), text, images)
    (message,) = discord.posts()
    assert message["content"] == text and not message["mention_everyone"] and done[0].sent
    assert [a["description"] for a in message["attachments"]] == alts
    assert [a["content_type"] for a in message["attachments"]] == ["image/jpeg"] * 2
    for upload in discord.uploads:
        assert_clean(upload["data"])


async def discord_client_post_with_images(c, text, images):
    return await c.publish([text], fresh_records(DiscordClient, [text]), PostOptions(), Saved(), [images])
