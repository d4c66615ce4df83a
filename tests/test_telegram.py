"""The Telegram bot client against FakeTelegram: real sockets on 127.0.0.1, the real client over
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
from composer.platforms.chat import escape_markup as escape_html
from composer.platforms.http import new_http_client
from composer.platforms.telegram import TelegramClient
from tests.chat_helpers import (
    config_text,
    data_files_hold,
    humane,
    lost_answer_then_retry,
    publish_twice,
    saved_account,
)
from tests.fakes.telegram import FakeTelegram, parse_html
from tests.keyring_fixture import keyring_env, keyring_service  # noqa: F401 (fixtures)
from tests.platform_helpers import Saved, expect_error, fresh_records

LONG = " ".join(f"Line {i}: the garden shares seeds, tools & time with every <neighbour>." for i in range(120))
CHAT = -1001234567890


@pytest.fixture
def tg():
    with FakeTelegram() as server:
        server.add_chat()
        yield server


def client(server: FakeTelegram, http: httpx.AsyncClient, token: str | None = None, handle: str = "@gardennews",
           **options) -> TelegramClient:
    info = AccountInfo("tg", "telegram", server=server.url, handle=handle, options=options)
    return TelegramClient(info, Secret(token or server.token), http)


def secrets_of(server: FakeTelegram) -> list[str]:
    return [server.token, server.token.split(":", 1)[1]]


async def fails(exc_type, coro, server: FakeTelegram) -> PlatformError:
    return await expect_error(exc_type, coro, secrets_of(server))


async def post(c: TelegramClient, parts: list[str], saved: Saved | None = None, records=None):
    return await c.publish(parts, records or fresh_records(TelegramClient, parts), PostOptions(), saved or Saved())


def test_registered_and_not_idempotent():
    cls = client_class("telegram")
    assert cls is TelegramClient and cls.SECRET_LABEL == "bot token"
    assert (cls.NEEDS_SERVER, cls.NEEDS_HANDLE, cls.SUPPORTS_THREADS, cls.IDEMPOTENT) == (False, True, True, False)


@pytest.mark.parametrize("text", [
    "a < b && c > d", "<b>not bold</b>", "&amp; stays as typed", "<!channel> @here", "1 < 2 > 0 & done",
    "Ünïcode 🌱 <3", "<a href='x'>y</a>",
])
def test_escaping_shows_exactly_what_was_typed(text):
    parsed = parse_html(escape_html(text))
    assert parsed == (text, [])


# ---------------------------------------------------------------------- login, verify


async def test_login_finds_the_bot_and_the_chat(tg, http):
    sec, acct = await TelegramClient.login(http, AccountInfo("tg", "telegram", server=tg.url, handle="@GardenNews"),
                                           lambda p, s: tg.token + "\n")
    assert sec == Secret(tg.token) and acct.handle == "@gardennews"
    assert acct.options["chat_id"] == str(CHAT) and acct.options["bot"] == "@garden_news_bot"
    identity = await TelegramClient(acct, sec, http).verify()
    assert identity.display_name == "Garden news, posted by @garden_news_bot" and identity.url == "https://t.me/gardennews"
    assert [r.path.rsplit("/", 1)[1] for r in tg.requests()] == ["getMe", "getChat", "getMe", "getChat"]
    assert tg.requests()[-1].json == {"chat_id": str(CHAT)}  # the numeric id, once known


async def test_login_asks_for_the_chat_when_none_was_given(tg, http):
    answers = iter(["@gardennews", tg.token])
    sec, acct = await TelegramClient.login(http, AccountInfo("tg", "telegram", server=tg.url),
                                           lambda p, s: next(answers))
    assert acct.handle == "@gardennews"


@pytest.mark.parametrize("token, handle, error, words", [
    ("7000000001:wrong-token-abcdefghijklmnopqrstu", "@gardennews", AuthError, "did not accept the bot token"),
    ("not a token", "@gardennews", AuthError, "Not Found"),
    (None, "@nosuchchannel", Rejected, "does not know the chat @nosuchchannel"),
])
async def test_login_failures_say_what_to_do(tg, http, token, handle, error, words):
    given = token or tg.token
    err = await expect_error(error, TelegramClient.login(
        http, AccountInfo("tg", "telegram", server=tg.url, handle=handle), lambda p, s: given),
        [*secrets_of(tg), given])
    assert words in err.message and err.hint


async def test_a_bot_outside_the_channel_is_told_to_join(tg, http):
    tg.add_chat("private_garden", chat_id=-1009, member=False)
    err = await fails(AuthError, client(tg, http, handle="@private_garden").verify(), tg)
    assert "bot is not a member" in err.message and "as an administrator allowed to post" in err.hint


# ---------------------------------------------------------------------- publishing


async def test_a_post_is_html_escaped_and_links_to_the_message(tg, http):
    text = "Seeds & tools <b>free</b> for 3 < 5 neighbours > all @here"
    saved = Saved()
    done = await post(client(tg, http, chat_id=str(CHAT)), [text], saved)
    (message,) = tg.posts()
    assert message["text"] == text and "entities" not in message  # shown exactly as typed: no bold
    (req,) = tg.requests("POST", r"/bot.*/sendMessage")
    assert req.json["parse_mode"] == "HTML" and req.json["chat_id"] == str(CHAT)
    assert done[0].id == str(message["message_id"]) and done[0].url == f"https://t.me/gardennews/{message['message_id']}"
    assert "tried_at" in saved.history[0][0].extra and "tried_at" not in done[0].extra


async def test_a_private_channel_gets_a_members_link(tg, http):
    tg.add_chat(None, "Inner circle", chat_id=-1005550001)
    done = await post(client(tg, http, handle="-1005550001"), ["hello"])
    assert done[0].url == "https://t.me/c/5550001/101"


async def test_a_long_post_is_a_chain_of_replies(tg, http):
    c = client(tg, http)
    parts = c.split(LONG, await c.limits())
    assert len(parts) > 1
    done = await post(c, parts)
    messages = tg.posts()
    assert [m["text"] for m in messages] == parts
    assert "reply_to_message" not in messages[0]
    assert [m["reply_to_message"]["message_id"] for m in messages[1:]] == [m["message_id"] for m in messages[:-1]]
    assert [r.id for r in done] == [str(m["message_id"]) for m in messages]


async def test_a_message_over_the_limit_is_refused_before_sending(tg, http):
    err = await fails(Rejected, post(client(tg, http), ["🌱" * 2049]), tg)
    assert "4098 characters" in err.message and not tg.requests("POST", r"/bot.*/sendMessage")


@pytest.mark.parametrize("kind, kw, error, ambiguous", [
    ("status", {"status": 500, "body": {"ok": False, "error_code": 500, "description": "Internal Server Error"}},
     TransientError, True),
    ("html", {"status": 502}, TransientError, True),
    ("drop-after-commit", {}, TransientError, True),
    ("malformed-json", {}, TransientError, True),
    ("status", {"status": 401, "body": {"ok": False, "error_code": 401, "description": "Unauthorized"}},
     AuthError, None),
    ("status", {"status": 400, "body": {"ok": False, "error_code": 400,
                                        "description": "Bad Request: message is too long"}}, Rejected, None),
    ("status", {"status": 429, "body": "Too Many Requests", "headers": {"Retry-After": "4"}}, RateLimited, None),
])
async def test_faults_map_to_shared_errors(tg, http, kind, kw, error, ambiguous):
    tg.inject(kind, path=r"/bot[^/]+/sendMessage", **kw)
    saved = Saved()
    err = await fails(error, post(client(tg, http), ["hello"], saved), tg)
    assert err.hint
    if ambiguous:
        assert err.ambiguous and "tried_at" in saved.last[0].extra
    else:
        assert "tried_at" not in saved.last[0].extra
    if error is RateLimited:
        assert err.retry_after == 4


async def test_a_flood_wait_says_how_long(tg, http):
    tg.flood(17)
    err = await fails(RateLimited, post(client(tg, http), ["hello"]), tg)
    assert err.retry_after == 17 and "Try again in 18 s" in err.message


async def test_latency_is_waited_out(tg):
    tg.inject("latency", path=r"/bot[^/]+/sendMessage", seconds=0.2)
    async with new_http_client() as http:
        assert (await post(client(tg, http), ["slow but fine"]))[0].sent


async def test_a_dropped_answer_is_never_sent_again_by_itself(tg, http):
    tg.inject("drop-after-commit", path=r"/bot[^/]+/sendMessage")
    saved = Saved()
    await fails(TransientError, post(client(tg, http), ["Only once"], saved), tg)
    err = await fails(NeedsCheck, post(client(tg, http), ["Only once"], saved, saved.last), tg)
    assert "may already be in the Telegram chat @gardennews" in err.message
    assert len(tg.posts()) == 1


async def test_through_the_core_a_chain_with_a_lost_answer_sends_each_message_once(tg, tmp_path):
    async with new_http_client() as http:
        c = client(tg, http)
        parts = c.split(LONG, await c.limits())
        tg.inject("drop-after-commit", path=r"/bot[^/]+/sendMessage", times=1)
        first, after, _, _ = await lost_answer_then_retry(tmp_path, "tg", lambda: client(tg, http), LONG)
    assert first.status == "queued" and first.uncertain
    assert after.status == "failed" and after.error_kind == "needs-check"
    assert len(tg.posts()) == 1 and len(parts) > 1


async def test_re_publishing_the_same_draft_sends_nothing_twice(tg, tmp_path):
    async with new_http_client() as http:
        first, second = await publish_twice(tmp_path, "tg", lambda: client(tg, http), LONG)
    assert first.status == second.status == "sent"
    assert len(tg.posts()) == len(first.parts) > 1 and second.parts == first.parts


async def test_the_token_never_shows(tg, http):
    c = client(tg, http)
    assert tg.token not in repr(c) and tg.token not in str(c.secret)
    secret_part = tg.token.split(":", 1)[1]
    tg.inject("status", path=r"/bot[^/]+/sendMessage", status=400,
              body={"ok": False, "error_code": 400, "description": f"Bad Request: token {secret_part} is odd"})
    err = await fails(Rejected, post(c, ["hi"]), tg)
    assert "<token>" in err.message


# ---------------------------------------------------------------------- humane accounts add


@pytest.mark.keyring
def test_accounts_add_keeps_the_token_in_the_keyring_only(tg, keyring_env, tmp_path):
    from composer.accounts import SecretStore

    r = humane("accounts", "add", "tg", "--platform", "telegram", "--server", tg.url, "--handle", "@gardennews",
               "--secret-stdin", secret=tg.token)
    assert r.returncode == 0, r.stderr
    assert "Added Telegram account 'tg': @gardennews (Garden news, posted by @garden_news_bot)" in r.stdout
    for text in (config_text(), r.stdout + r.stderr):
        assert all(s not in text for s in secrets_of(tg))
    saved = saved_account("tg")
    assert saved["handle"] == "@gardennews" and saved["chat_id"] == str(CHAT)
    assert SecretStore().get("tg").reveal() == tg.token
    r = humane("accounts", "verify", "tg")
    assert r.returncode == 0 and "@gardennews" in r.stdout, r.stderr
    r = humane("accounts", "list")
    assert " @gardennews " in r.stdout and "@@" not in r.stdout
    draft = tmp_path / "note.md"
    draft.write_text("+++\npurpose = \"Tell the garden group about Saturday\"\n+++\nSeeds swap on Saturday & Sunday.\n")
    r = humane("post", str(draft), "--to", "tg")
    assert r.returncode == 0, r.stdout + r.stderr
    assert tg.posts()[-1]["text"].strip() == "Seeds swap on Saturday & Sunday."
    home = Path(os.environ["HUMANE_CONFIG"]).parent.parent
    assert all(data_files_hold(root, s) == [] for root in (home, tmp_path) for s in secrets_of(tg))
    r = humane("accounts", "add", "nochat", "--platform", "telegram", "--server", tg.url, "--secret-stdin",
               secret=tg.token)
    assert r.returncode == 2 and "--handle" in r.stderr


# ---------------------------------------------------------------------- images


def tg_images(tmp_path, n=2):
    from composer import registry
    from composer.drafts.model import ImageRef
    from composer.media.prepare import prepare
    from tests.images_helpers import photo

    media = registry.get("telegram").media
    return [prepare(ImageRef(str(photo(tmp_path / f"p{i}.jpg", (800, 600))), f"Photo {i} of the garden."), None, media)
            for i in range(n)]


@pytest.mark.parametrize("n", [1, 3])
async def test_photos_carry_a_short_text_as_their_caption(tg, http, tmp_path, n):
    from tests.images_helpers import assert_clean

    text = "Swap day <3 & more"
    done = await tg_publish(client(tg, http), [text], [tg_images(tmp_path, n)])
    photos = tg.posts()
    assert len(photos) == n and photos[0]["caption"] == text and all("caption" not in p for p in photos[1:])
    assert done[0].id == str(photos[0]["message_id"]) and not any("text" in p for p in photos)
    assert (len({p.get("media_group_id") for p in photos}) == 1) and ((n > 1) == bool(photos[0].get("media_group_id")))
    for p in photos:
        assert_clean(p["data"])


async def test_a_long_text_follows_its_photos_as_a_reply(tg, http, tmp_path):
    text = "The garden's long story. " * 60  # over a caption's 1,024 characters
    done = await tg_publish(client(tg, http), [text, "And the end."], [tg_images(tmp_path, 2), []])
    photo_a, photo_b, story, end = tg.posts()
    assert "caption" not in photo_a and story["text"] == text
    assert story["reply_to_message"]["message_id"] == photo_a["message_id"]
    assert end["reply_to_message"]["message_id"] == story["message_id"]
    assert done[0].id == str(story["message_id"]) and done[0].extra["photos"] == f"{photo_a['message_id']},{photo_b['message_id']}"


async def test_a_lost_answer_after_the_photos_never_sends_them_again(tg, http, tmp_path):
    text = "The garden's long story. " * 60
    images = [tg_images(tmp_path, 1)]
    tg.inject("drop-after-commit", path=r"/bot[^/]+/sendMessage")
    saved = Saved()
    await fails(TransientError, tg_publish(client(tg, http), [text], images, saved), tg)
    assert saved.last[0].extra["photos"] and saved.last[0].tried_at
    await fails(NeedsCheck, client(tg, http).publish([text], saved.last, PostOptions(), saved, images), tg)
    assert len(tg.posts()) == 2 and len(tg.requests("POST", r"/bot[^/]+/sendPhoto")) == 1


async def tg_publish(c, parts, images, saved=None):
    return await c.publish(parts, fresh_records(TelegramClient, parts), PostOptions(), saved or Saved(), images)
