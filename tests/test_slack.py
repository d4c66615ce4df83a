"""The Slack client (incoming webhook and bot token) against FakeSlack: real sockets on 127.0.0.1,
the real client over httpx, the publish core with a real draft store, and `humane accounts add`
with the real keyring."""

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
from composer.platforms.chat import escape_markup as escape_mrkdwn
from composer.platforms.http import new_http_client
from composer.platforms.slack import SlackClient, webhook_address
from tests.chat_helpers import (
    config_text,
    data_files_hold,
    humane,
    lost_answer_then_retry,
    publish_twice,
    saved_account,
)
from tests.fakes.slack import FakeSlack
from tests.keyring_fixture import keyring_env, keyring_service  # noqa: F401 (fixtures)
from tests.platform_helpers import Saved, expect_error, fresh_records

LONG = " ".join(f"Line {i}: the garden shares seeds, tools & time with every <neighbour>." for i in range(120))
CHANNEL = "C0GARDEN01"
PINGING = "Seeds & tools <!channel> <!here|here> <@U0ALICE01> @here @channel <https://evil.example|click> a > b"


@pytest.fixture
def slack():
    with FakeSlack() as server:
        server.add_channel()
        server.bot_token = server.add_token()
        server.hook_url = server.add_webhook()
        yield server


def bot(server: FakeSlack, http: httpx.AsyncClient, token: str | None = None, handle: str = CHANNEL) -> SlackClient:
    info = AccountInfo("team", "slack", server=server.url, handle=handle, options={"team_url": server.team["url"]})
    return SlackClient(info, Secret(token or server.bot_token), http)


def hook(server: FakeSlack, http: httpx.AsyncClient, url: str | None = None) -> SlackClient:
    return SlackClient(AccountInfo("team", "slack", server=server.url), Secret(url or server.hook_url), http)


def secrets_of(server: FakeSlack) -> list[str]:
    return [server.bot_token, server.hook_url, server.hook_url.rsplit("/", 1)[1]]


async def fails(exc_type, coro, server: FakeSlack) -> PlatformError:
    return await expect_error(exc_type, coro, secrets_of(server))


async def post(c: SlackClient, parts: list[str], saved: Saved | None = None, records=None):
    return await c.publish(parts, records or fresh_records(SlackClient, parts), PostOptions(), saved or Saved())


def test_registered():
    cls = client_class("slack")
    assert cls is SlackClient and cls.SECRET_LABEL == "webhook URL or bot token"
    assert (cls.NEEDS_SERVER, cls.NEEDS_HANDLE, cls.SUPPORTS_THREADS, cls.IDEMPOTENT) == (False, False, True, False)


def test_webhook_addresses():
    url = "https://hooks.slack.com/services/T1/B2/abc"
    assert webhook_address(url, "https://slack.com", "https://slack.com") == url
    assert webhook_address(url, "http://127.0.0.1:9", "https://slack.com") == "http://127.0.0.1:9/services/T1/B2/abc"
    for bad in ("https://evil.example/services/T1/B2/abc", "https://hooks.slack.com/elsewhere", "http://hooks.slack.com/services/T/B/x"):
        with pytest.raises(PlatformError):
            webhook_address(bad, "https://slack.com", "https://slack.com")


# ---------------------------------------------------------------------- login, verify


async def test_login_with_a_bot_token(slack, http):
    sec, acct = await SlackClient.login(http, AccountInfo("team", "slack", server=slack.url, handle=CHANNEL),
                                        lambda p, s: slack.bot_token + "\n")
    assert sec == Secret(slack.bot_token) and acct.handle == CHANNEL
    identity = await SlackClient(acct, sec, http).verify()
    assert identity.display_name == "garden_bot in Garden Club" and identity.details["team_url"] == slack.team["url"]
    assert not slack.posts()


async def test_login_with_a_bot_token_asks_for_the_channel(slack, http):
    answers = iter([slack.bot_token, "#garden"])
    _, acct = await SlackClient.login(http, AccountInfo("team", "slack", server=slack.url), lambda p, s: next(answers))
    assert acct.handle == "#garden"


async def test_login_with_a_webhook_posts_nothing(slack, http):
    sec, acct = await SlackClient.login(http, AccountInfo("team", "slack", server=slack.url),
                                        lambda p, s: slack.hook_url)
    assert acct.handle == "webhook B0HOOK0001" and not slack.posts()
    (req,) = slack.requests("POST", r"/services/.*")
    assert req.json == {}


async def test_removed_or_wrong_credentials(slack, http):
    err = await fails(AuthError, bot(slack, http, token="xoxb-not-a-real-token-123").verify(), slack)
    assert "invalid_auth" in err.message and "OAuth & Permissions" in err.hint
    wrong = slack.hook_url[:-4] + "abcd"
    err = await expect_error(AuthError, hook(slack, http, wrong).verify(), [wrong, wrong.rsplit("/", 1)[1]])
    assert "invalid_token" in err.message
    slack.remove_webhook(slack.hook_url)
    err = await fails(AuthError, hook(slack, http).verify(), slack)
    assert "no_service" in err.message and "Incoming Webhooks" in err.hint


# ---------------------------------------------------------------------- publishing


async def test_a_bot_post_pings_nobody_and_links_to_the_message(slack, http):
    done = await post(bot(slack, http), [PINGING])
    (message,) = slack.posts()
    assert message["text"] == escape_mrkdwn(PINGING) and slack.pings == []
    (req,) = slack.requests("POST", r"/api/chat\.postMessage")
    assert req.json["link_names"] is False and req.json["channel"] == CHANNEL
    ts = message["ts"]
    assert done[0].id == ts and done[0].url == f"https://garden-club.slack.com/archives/{CHANNEL}/p{ts.replace('.', '')}"


async def test_a_webhook_post_pings_nobody(slack, http):
    done = await post(hook(slack, http), [PINGING])
    (message,) = slack.posts()
    assert message["text"] == escape_mrkdwn(PINGING) and slack.pings == []
    assert done[0].sent and done[0].url is None


async def test_a_long_post_is_a_thread_under_its_first_message(slack, http):
    c = bot(slack, http)
    parts = c.split(LONG, await c.limits())
    assert len(parts) > 1
    done = await post(c, parts)
    messages = slack.posts()
    assert [m["text"] for m in messages] == [escape_mrkdwn(p) for p in parts]
    assert "thread_ts" not in messages[0] and all(m["thread_ts"] == messages[0]["ts"] for m in messages[1:])
    assert "?thread_ts=" in str(done[1].url)


async def test_a_long_post_through_a_webhook_is_several_messages(slack, http):
    c = hook(slack, http)
    parts = c.split(LONG, await c.limits())
    await post(c, parts)
    assert [m["text"] for m in slack.posts()] == [escape_mrkdwn(p) for p in parts]


async def test_a_bot_outside_the_channel_is_told_to_invite_it(slack, http):
    slack.add_channel("quiet", "C0QUIET001", member=False)
    err = await fails(Rejected, post(bot(slack, http, handle="C0QUIET001"), ["hi"]), slack)
    assert "not_in_channel" in err.message and "/invite" in err.hint


@pytest.mark.parametrize("kind, kw, error, ambiguous", [
    ("status", {"status": 200, "body": {"ok": False, "error": "internal_error"}}, TransientError, True),
    ("status", {"status": 503, "body": "upstream"}, TransientError, True),
    ("html", {"status": 502}, TransientError, True),
    ("drop-after-commit", {}, TransientError, True),
    ("malformed-json", {}, TransientError, True),
    ("status", {"status": 429, "body": {"ok": False, "error": "ratelimited"}, "headers": {"Retry-After": "30"}},
     RateLimited, None),
    ("status", {"status": 200, "body": {"ok": False, "error": "token_revoked"}}, AuthError, None),
    ("status", {"status": 401, "body": "unauthorized"}, AuthError, None),
    ("status", {"status": 200, "body": {"ok": False, "error": "msg_too_long"}}, Rejected, None),
])
async def test_bot_faults_map_to_shared_errors(slack, http, kind, kw, error, ambiguous):
    slack.inject(kind, path=r"/api/chat\.postMessage", **kw)
    saved = Saved()
    err = await fails(error, post(bot(slack, http), ["hello"], saved), slack)
    assert err.hint
    if ambiguous:
        assert err.ambiguous and "tried_at" in saved.last[0].extra
    else:
        assert "tried_at" not in saved.last[0].extra
    if error is RateLimited:
        assert err.retry_after == 30


@pytest.mark.parametrize("kind, kw, error, ambiguous", [
    ("status", {"status": 500, "body": "rollup_error", "headers": {"Content-Type": "text/plain"}}, TransientError, True),
    ("drop-after-commit", {}, TransientError, True),
    ("status", {"status": 200, "body": "hmm"}, TransientError, True),
    ("status", {"status": 429, "body": "rate_limited", "headers": {"Retry-After": "5"}}, RateLimited, None),
    ("status", {"status": 403, "body": "invalid_token"}, AuthError, None),
    ("status", {"status": 410, "body": "channel_is_archived"}, Rejected, None),
])
async def test_webhook_faults_map_to_shared_errors(slack, http, kind, kw, error, ambiguous):
    slack.inject(kind, path=r"/services/.*", **kw)
    saved = Saved()
    err = await fails(error, post(hook(slack, http), ["hello"], saved), slack)
    if ambiguous:
        assert err.ambiguous and "tried_at" in saved.last[0].extra
    else:
        assert "tried_at" not in saved.last[0].extra


async def test_latency_is_waited_out(slack):
    slack.inject("latency", path=r"/api/chat\.postMessage", seconds=0.2)
    async with new_http_client() as http:
        assert (await post(bot(slack, http), ["slow but fine"]))[0].sent


async def test_a_bot_finds_the_message_of_a_lost_answer_and_sends_nothing_twice(slack, http):
    c = bot(slack, http)
    parts = c.split(LONG, await c.limits())
    slack.inject("drop-after-commit", path=r"/api/chat\.postMessage")
    saved = Saved()
    await fails(TransientError, post(c, parts, saved), slack)
    assert len(slack.posts()) == 1
    done = await post(bot(slack, http), parts, saved, saved.last)
    messages = slack.posts()
    assert len(messages) == len(parts) and done[0].id == messages[0]["ts"]
    assert all(m["thread_ts"] == messages[0]["ts"] for m in messages[1:])
    assert slack.requests("GET", r"/api/conversations\.history")


async def test_a_lost_reply_in_the_thread_is_found_among_the_replies(slack, http):
    c = bot(slack, http)
    parts = c.split(LONG, await c.limits())[:3]
    saved = Saved()
    first = await post(c, parts[:1], saved)
    records = first + fresh_records(SlackClient, parts[1:])
    slack.inject("drop-after-commit", path=r"/api/chat\.postMessage")
    await fails(TransientError, c.publish(parts, records, PostOptions(), saved), slack)
    done = await bot(slack, http).publish(parts, saved.last, PostOptions(), saved)
    assert len(slack.posts()) == 3 and [r.id for r in done] == [m["ts"] for m in slack.posts()]
    assert slack.requests("GET", r"/api/conversations\.replies")


async def test_without_the_history_scope_a_lost_answer_asks_the_writer(slack, http):
    token = slack.add_token("chat:write")
    slack.inject("drop-after-commit", path=r"/api/chat\.postMessage")
    saved = Saved()
    await expect_error(TransientError, post(bot(slack, http, token), ["Only once"], saved), [token])
    err = await expect_error(NeedsCheck, post(bot(slack, http, token), ["Only once"], saved, saved.last), [token])
    assert "missing_scope" in err.message and "channels:history" in err.hint
    assert len(slack.posts()) == 1


async def test_a_webhook_with_a_lost_answer_is_never_sent_again_by_itself(slack, tmp_path):
    slack.inject("drop-after-commit", path=r"/services/.*")
    async with new_http_client() as http:
        first, after, _, _ = await lost_answer_then_retry(tmp_path, "team", lambda: hook(slack, http), "Only once")
    assert first.status == "queued" and after.status == "failed" and after.error_kind == "needs-check"
    assert len(slack.posts()) == 1


async def test_through_the_core_a_bot_thread_with_a_lost_answer_is_posted_once(slack, tmp_path):
    slack.inject("drop-after-commit", path=r"/api/chat\.postMessage")
    async with new_http_client() as http:
        first, after, _, _ = await lost_answer_then_retry(tmp_path, "team", lambda: bot(slack, http), LONG)
    assert first.status == "queued" and after.status == "sent"
    assert len(slack.posts()) == len(after.parts) > 1


@pytest.mark.parametrize("which", ["bot", "hook"])
async def test_re_publishing_the_same_draft_sends_nothing_twice(slack, tmp_path, which):
    async with new_http_client() as http:
        make = (lambda: bot(slack, http)) if which == "bot" else (lambda: hook(slack, http))
        first, second = await publish_twice(tmp_path, "team", make, LONG)
    assert first.status == second.status == "sent"
    assert len(slack.posts()) == len(first.parts) > 1 and second.parts == first.parts


async def test_the_secrets_never_show(slack, http):
    for c in (bot(slack, http), hook(slack, http)):
        assert all(s not in repr(c) + str(c.secret) for s in secrets_of(slack))
    slack.inject("status", path=r"/api/chat\.postMessage", status=200,
                 body={"ok": False, "error": f"bad {slack.bot_token}"})
    err = await fails(Rejected, post(bot(slack, http), ["hi"]), slack)
    assert "<token>" in err.message


# ---------------------------------------------------------------------- humane accounts add


@pytest.mark.keyring
def test_accounts_add_keeps_the_secret_in_the_keyring_only(slack, keyring_env, tmp_path):
    from composer.accounts import SecretStore

    r = humane("accounts", "add", "team", "--platform", "slack", "--server", slack.url, "--handle", CHANNEL,
               "--secret-stdin", secret=slack.bot_token)
    assert r.returncode == 0, r.stderr
    assert f"Added Slack account 'team': {CHANNEL} (garden_bot in Garden Club)" in r.stdout
    r2 = humane("accounts", "add", "hook", "--platform", "slack", "--server", slack.url, "--secret-stdin",
                secret=slack.hook_url)
    assert r2.returncode == 0, r2.stderr
    for text in (config_text(), r.stdout + r.stderr + r2.stdout + r2.stderr):
        assert all(s not in text for s in secrets_of(slack))
    assert saved_account("team")["team_url"] == slack.team["url"]
    assert SecretStore().get("hook").reveal() == slack.hook_url
    draft = tmp_path / "note.md"
    draft.write_text("+++\npurpose = \"Tell the garden group about Saturday\"\n+++\nSeeds swap on Saturday & Sunday.\n")
    r = humane("post", str(draft), "--to", "team", "hook")
    assert r.returncode == 0, r.stdout + r.stderr
    assert [m["text"].strip() for m in slack.posts()] == ["Seeds swap on Saturday &amp; Sunday."] * 2
    home = Path(os.environ["HUMANE_CONFIG"]).parent.parent
    assert all(data_files_hold(root, s) == [] for root in (home, tmp_path) for s in secrets_of(slack))
    r = humane("accounts", "verify", "hook")
    assert r.returncode == 0 and "webhook B0HOOK0001" in r.stdout, r.stderr


@pytest.mark.parametrize("key, value, platform", [
    ("hook", "https://discord.com/api/webhooks/1100000000000000001/abcDEF_ghi-JKL", "Discord webhook URL"),
    ("hook", "https://hooks.slack.com/services/T0GARDEN1/B0HOOK0001/abcdefghijklmnop", "Slack webhook URL or bot token"),
    ("channel", "xoxb-1234567890-abcdefghij", "Slack webhook URL or bot token"),
    ("bot", "7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "Telegram bot token"),
])
def test_a_secret_written_into_config_is_refused(tmp_path, key, value, platform):
    from composer.config import ConfigError, load_config

    path = tmp_path / "config.toml"
    path.write_text(f'[accounts.a]\nplatform = "slack"\n{key} = "{value}"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert platform in str(info.value) and value not in str(info.value)
