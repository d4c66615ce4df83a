"""Server words are untrusted, on every platform: a secret a server echoes in an error (plain or
encoded) never reaches the error's words, and terminal escapes and control bytes are stripped
(issue 18, items 2 and 3). Real clients against their fakes on 127.0.0.1; one matrix per platform."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

import pytest

from composer.drafts import DraftStore
from composer.platforms.base import AccountInfo, PlatformClient, PlatformError, PostOptions, Secret
from composer.platforms.bluesky import BlueskyClient
from composer.platforms.http import new_http_client
from composer.platforms.linkedin import LinkedInClient
from composer.platforms.mastodon import MastodonClient
from composer.platforms.micropub import MicropubClient
from composer.platforms.threads import ThreadsClient
from composer.platforms.untrusted import FRAGMENT, clean, sanitise, scrub
from composer.publish import publish_draft
from tests.fakes.bluesky import FakeBluesky
from tests.fakes.linkedin import FakeLinkedIn
from tests.fakes.mastodon import FakeMastodon
from tests.fakes.micropub import FakeMicropub
from tests.fakes.threads import FakeThreads
from tests.platform_helpers import Saved, fresh_records

TOKEN = "sentinel-TOKEN-7f3a9c1e5b2d-do-not-leak"
APP_PW = "abcd-efgh-ijkl-mnop"
ESCAPES = "\x1b]0;pwned window title\x07\x1b[2J\x1b[31m\x00\x07\x08\x0b\x7f\x9b2J\u202ereversed\u2066"
"""Retitle the window, clear the screen, colour, NUL, BEL, backspace, DEL, 8-bit CSI, bidi override."""
STATUSES = (400, 401, 403, 404, 409, 422, 429, 500)
BAD = ("\x1b", "\x00", "\x07", "\x08", "\x0b", "\x7f", "\x9b", "\u202e", "\u2066", "pwned window title")


def leaks(text: str, secrets: list[str]) -> list[str]:
    """What of `secrets` (plain, encoded, or a run of FRAGMENT characters) and of the escapes shows in `text`."""
    found = [b for b in BAD if b in text]
    for s in secrets:
        forms = {s, quote(s, safe=""), base64.b64encode(s.encode()).decode().rstrip("=")}
        found += [f"secret form {f[:8]}..." for f in forms if f in text]
        found += [f"fragment {s[i:i + FRAGMENT]}" for i in range(len(s) - FRAGMENT + 1) if s[i : i + FRAGMENT] in text]
    return found


def echo(secrets: list[str]) -> str:
    """What a hostile or careless server says back: every secret, encoded too, and escapes."""
    parts = [ESCAPES]
    for s in secrets:
        parts += [f"bad token {s}", quote(s, safe=""), base64.b64encode(s.encode()).decode(), f"Bearer {s}"]
    return " ".join(parts) + " \x1b[0m end"


# ---------------------------------------------------------------------- one rig per platform


@dataclass
class Rig:
    client: PlatformClient
    secrets: list[str]
    post_path: str
    verify_path: str
    verify_method: str
    body: Callable[[int, str], Any]
    """The platform's error body for a status, carrying `text` where its servers put their words."""
    server: Any


@asynccontextmanager
async def mastodon(http) -> AsyncIterator[Rig]:
    with FakeMastodon() as fake:
        fake.add_account("alice", token=TOKEN)
        c = MastodonClient(AccountInfo("m", "mastodon", server=fake.url), Secret(TOKEN), http)
        yield Rig(c, [TOKEN], "/api/v1/statuses", "/api/v1/accounts/verify_credentials", "GET",
                  lambda status, text: {"error": text}, fake)


@asynccontextmanager
async def bluesky(http) -> AsyncIterator[Rig]:
    with FakeBluesky() as fake:
        fake.add_account("alice.test", "main password", app_password=APP_PW)
        account = AccountInfo("sky", "bluesky", server=fake.url, handle="alice.test")
        secret, info = await BlueskyClient.login(http, account, lambda prompt, is_secret: APP_PW)
        c = BlueskyClient(info, secret, http)
        session = json.loads(secret.reveal())
        yield Rig(c, [APP_PW, session["accessJwt"], session["refreshJwt"]],
                  "/xrpc/com.atproto.repo.createRecord", "/xrpc/com.atproto.server.getSession", "GET",
                  lambda status, text: {"error": "AuthMissing" if status == 401 else "InvalidRequest", "message": text},
                  fake)


@asynccontextmanager
async def linkedin(http) -> AsyncIterator[Rig]:
    with FakeLinkedIn() as fake:
        fake.add_member("Alice Example", token=TOKEN, sub="aB3xY9q")
        options = {"person": "urn:li:person:aB3xY9q", "authorized_on": date.today().isoformat()}
        c = LinkedInClient(AccountInfo("work", "linkedin", server=fake.url, options=options), Secret(TOKEN), http)
        yield Rig(c, [TOKEN], "/rest/posts", "/v2/userinfo", "GET",
                  lambda status, text: {"message": text, "status": status}, fake)


@asynccontextmanager
async def threads(http) -> AsyncIterator[Rig]:
    with FakeThreads() as fake:
        fake.add_user("alice", token=TOKEN)
        uid = fake.user("alice").id
        secret = Secret(json.dumps({"access_token": TOKEN, "issued_at": date.today().isoformat() + "T00:00:00+00:00"}))
        c = ThreadsClient(AccountInfo("th", "threads", server=fake.url, options={"user_id": uid}), secret, http)
        c._refresh_tried = True  # the refresh is a test of its own
        yield Rig(c, [TOKEN], f"/v1.0/{uid}/threads", "/v1.0/me", "GET",
                  lambda status, text: {"error": {"message": text, "type": "OAuthException", "code": 100}}, fake)


@asynccontextmanager
async def micropub(http) -> AsyncIterator[Rig]:
    with FakeMicropub() as fake:
        fake.add_token(TOKEN)
        c = MicropubClient(AccountInfo("blog", "micropub", server=fake.url, options={"endpoint": fake.endpoint}),
                           Secret(TOKEN), http)
        yield Rig(c, [TOKEN], "/micropub", "/micropub", "GET",
                  lambda status, text: {"error": "invalid_request", "error_description": text}, fake)


RIGS = {"mastodon": mastodon, "bluesky": bluesky, "linkedin": linkedin, "threads": threads, "micropub": micropub}


def words(err: PlatformError) -> list[str]:
    return [str(err), err.message, err.hint, err.explain(), repr(err), *map(str, err.args)]


async def publish_error(rig: Rig, text: str = "A post about the garden") -> PlatformError:
    c = rig.client
    records = fresh_records(type(c), [text])
    with pytest.raises(PlatformError) as info:
        await c.publish([text], records, PostOptions(), Saved())
    return info.value


# ---------------------------------------------------------------------- the matrix


@pytest.mark.parametrize("platform", RIGS)
async def test_an_echoed_secret_and_escapes_never_reach_the_words_of_a_publish_error(platform):
    async with new_http_client() as http:
        async with RIGS[platform](http) as rig:
            for status in STATUSES:
                said = echo(rig.secrets)
                rig.server.inject("status", path=rig.post_path, method="POST", status=status,
                                  body=rig.body(status, said), headers={"Retry-After": "3"})
                err = await publish_error(rig)
                for text in words(err):
                    assert not leaks(text, rig.secrets), (platform, status, leaks(text, rig.secrets), text)
                assert f"{status}" in err.message, (platform, status, err.message)
                if status in (400, 422, 500):
                    assert "end" in err.message, (platform, status, err.message)  # the server's words, cleaned


@pytest.mark.parametrize("platform", RIGS)
async def test_an_html_or_plain_error_page_is_cleaned_before_it_is_cut_short(platform):
    async with new_http_client() as http:
        async with RIGS[platform](http) as rig:
            secret = rig.secrets[-1]
            page = f"<html><head><title>Oops {ESCAPES} {secret}</title></head><body>{secret}</body></html>"
            long_text = "x" * 100 + " " + secret + ESCAPES  # the secret sits where a 120-character snippet ends
            for status, body, ctype in ((502, page, "text/html"), (500, long_text, "text/plain")):
                rig.server.inject("status", path=rig.post_path, method="POST", status=status, body=body,
                                  headers={"Content-Type": ctype})
                err = await publish_error(rig)
                for text in words(err):
                    assert not leaks(text, rig.secrets), (platform, status, text)


@pytest.mark.parametrize("platform", RIGS)
async def test_a_refused_credential_echoed_by_verify_is_scrubbed(platform):
    async with new_http_client() as http:
        async with RIGS[platform](http) as rig:
            rig.server.inject("status", path=rig.verify_path, method=rig.verify_method, status=401,
                              body=rig.body(401, echo(rig.secrets)))
            with pytest.raises(PlatformError) as info:
                await rig.client.verify()
            for text in words(info.value):
                assert not leaks(text, rig.secrets), (platform, text)


async def test_a_password_echoed_at_login_is_scrubbed():
    """At login the secret is what the writer typed: it is scrubbed before the client holds it."""
    async with new_http_client() as http:
        with FakeBluesky() as fake:
            fake.add_account("alice.test", "main password", app_password=APP_PW)
            fake.inject("status", path="/xrpc/com.atproto.server.createSession", method="POST", status=401,
                        body={"error": "AuthenticationRequired", "message": echo([APP_PW])})
            account = AccountInfo("sky", "bluesky", server=fake.url, handle="alice.test")
            with pytest.raises(PlatformError) as info:
                await BlueskyClient.login(http, account, lambda prompt, is_secret: APP_PW)
            for text in words(info.value):
                assert not leaks(text, [APP_PW]), text


async def test_what_a_server_names_is_cleaned_before_it_is_stored_or_shown():
    """An identity (shown by `accounts verify`) and a post's URL (printed by `humane post`, stored in
    the draft) are server words too."""
    async with new_http_client() as http:
        with FakeMastodon() as fake:
            fake.add_account("alice", token=TOKEN)
            next(a for a in fake.accounts.values() if a.username == "alice").display_name = f"Alice {ESCAPES}"
            c = MastodonClient(AccountInfo("m", "mastodon", server=fake.url), Secret(TOKEN), http)
            identity = await c.verify()
            assert not leaks(identity.display_name, []) and identity.display_name.startswith("Alice")
            fake.inject("status", path="/api/v1/statuses", method="POST", status=200,
                        body={"id": "77", "url": f"https://x.example/@alice/77{ESCAPES}", "content": "<p>x</p>"})
            (record,) = await c.publish(["x"], fresh_records(MastodonClient, ["x"]), PostOptions(), Saved())
            assert record.url == "https://x.example/@alice/77reversed" and not leaks(record.url, [])


@pytest.mark.parametrize("platform", ["mastodon", "micropub"])
async def test_the_draft_file_never_holds_an_echoed_secret_or_an_escape(tmp_path, platform):
    """Through the publish core: a 422 (Mastodon) or 400 (Micropub) rejection and a 500 that echo
    the token are stored in the draft's front matter; the file holds neither token nor escape."""
    store = DraftStore(tmp_path / "drafts")
    async with new_http_client() as http:
        async with RIGS[platform](http) as rig:
            for status in (422 if platform == "mastodon" else 400, 500):
                draft = store.new("A note about the garden", accounts=["acct"])
                store.save(draft)
                rig.server.inject("status", path=rig.post_path, method="POST", status=status,
                                  body=rig.body(status, echo(rig.secrets)))
                result = await publish_draft(store, draft.id, {"acct": rig.client})
                assert result["acct"].error and "HTTP" in result["acct"].error
                on_disk = store.path(draft.id).read_text(encoding="utf-8")
                assert not leaks(on_disk, rig.secrets) and "\\u001b" not in on_disk.lower(), on_disk


# ---------------------------------------------------------------------- the one function


def test_clean_strips_escapes_and_controls_but_keeps_text():
    assert sanitise("plain words") == "plain words"
    assert sanitise("a\x1b]0;title\x07b\x1b[2Jc\x1b[1;31md\x00e\r\nf\tg") == "abcde\nf\tg"
    assert sanitise("x\x9b31my\x9d0;t\x9cz") == "xyz"
    assert sanitise("emoji 👨‍👩‍👧 and café stay") == "emoji 👨‍👩‍👧 and café stay"
    assert sanitise("lone \ud800 surrogate") == "lone  surrogate"
    assert sanitise("\u202eevil") == "evil"


def test_scrub_takes_every_form_and_fragment_of_a_secret():
    secret = "s3cr3t/tok+en=value-123456"
    said = (f"a {secret} b {quote(secret, safe='')} c {base64.b64encode(secret.encode()).decode()} "
            f"d {json.dumps(secret)} e {secret[:14]}…")
    out = scrub(said, [secret])
    assert not leaks(out, [secret]) and out.startswith("a <token> b <token> c <token>")
    assert scrub("short abc here", ["abc"]) == "short abc here"  # too short to be a secret
    assert clean(f"x {secret}", [secret]) == "x <token>"
