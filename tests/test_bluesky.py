"""The Bluesky client against the fake PDS (a real HTTP server on 127.0.0.1)."""

from __future__ import annotations

import json

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from composer.platforms.base import (
    AccountInfo,
    AuthError,
    InsecureURL,
    Limits,
    PartRecord,
    PostOptions,
    RateLimited,
    Rejected,
    Secret,
    TransientError,
    digest,
)
from composer.platforms.bluesky import (
    APP_PASSWORD_WARNING,
    BlueskyClient,
    is_tid,
    looks_like_app_password,
    make_tid,
    plan_post,
    self_labels,
    shorten_url,
    tid_time,
)
from composer.platforms.http import new_http_client
from tests.fakes.bluesky import BlueskyState, FakeBluesky

APP_PW = "abcd-efgh-ijkl-mnop"
MAIN_PW = "correct horse battery staple"
FAMILY = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466"  # 👨‍👩‍👧‍👦 (25 bytes)
FLAGS = "\U0001F1EB\U0001F1F7\U0001F1EF\U0001F1F5"  # 🇫🇷🇯🇵


@pytest.fixture(scope="module")
def _server():
    with FakeBluesky() as server:
        yield server


@pytest.fixture
def fake(_server):
    """One fake server per module (stopping one costs 0.5 s), with fresh state for every test."""
    _server.state = BlueskyState()
    _server.faults.clear()
    _server.log.clear()
    _server.pds_endpoint = None
    _server.did_doc_in_session = True
    _server.add_account("alice.test", MAIN_PW, app_password=APP_PW)
    _server.add_account("bob.test", "bobs-password")
    return _server


def asker(*answers: str):
    prompts: list[tuple[str, bool]] = []
    queue = list(answers)

    def ask(prompt: str, secret: bool) -> str:
        prompts.append((prompt, secret))
        return queue.pop(0)

    ask.prompts = prompts  # type: ignore[attr-defined]
    return ask


def account(server: str, **kw) -> AccountInfo:
    return AccountInfo(name="sky", platform="bluesky", server=server, handle=kw.pop("handle", "alice.test"), **kw)


async def login(fake: FakeBluesky, http: httpx.AsyncClient, password: str = APP_PW) -> BlueskyClient:
    secret, info = await BlueskyClient.login(http, account(fake.url), asker(password))
    saved: list[Secret] = []
    client = BlueskyClient(info, secret, http, on_secret_change=saved.append)
    client.saved = saved  # type: ignore[attr-defined]
    return client


def new_records(parts: list[str]) -> list[PartRecord]:
    return [PartRecord(key=BlueskyClient.new_part_key(), digest=digest(p)) for p in parts]


async def publish(client: BlueskyClient, parts: list[str], records=None, options=PostOptions()):
    records = records if records is not None else new_records(parts)
    seen: list[list[PartRecord]] = []

    async def checkpoint(recs: list[PartRecord]) -> None:
        seen.append(list(recs))

    try:
        result = await client.publish(parts, records, options, checkpoint)
    except Exception as err:
        err.checkpoints = seen  # type: ignore[attr-defined]
        err.records = seen[-1] if seen else list(records)  # type: ignore[attr-defined]
        raise
    return result, seen


def facet_texts(record: dict) -> list[tuple[str, str, str]]:
    """(covered text, kind, value) for every facet, slicing the UTF-8 bytes as Bluesky does."""
    data = record["text"].encode("utf-8")
    out = []
    for f in record.get("facets", []):
        covered = data[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode("utf-8")
        feat = f["features"][0]
        kind = feat["$type"].rsplit("#", 1)[1]
        out.append((covered, kind, feat.get("uri") or feat.get("did") or feat.get("tag")))
    return out


# --------------------------------------------------------------------------- TIDs and pure helpers


def test_tid_format_order_and_time():
    keys = [make_tid() for _ in range(2000)]
    assert all(is_tid(k) and len(k) == 13 for k in keys)
    assert keys == sorted(keys) and len(set(keys)) == len(keys)  # strictly increasing, unique
    assert tid_time(make_tid(micros=1_700_000_000_000_000, clock_id=5)) == 1_700_000_000_000_000
    assert make_tid(micros=0, clock_id=0) == "2222222222222"
    assert not is_tid("k222222222222") and not is_tid("abc")  # first char must keep the top bit 0


@given(st.integers(0, 2**53 - 1), st.integers(0, 1023), st.integers(0, 2**53 - 1))
@settings(max_examples=200, deadline=None)
def test_tid_sorts_like_time(a, clock, b):
    ta, tb = make_tid(micros=a, clock_id=clock), make_tid(micros=b, clock_id=clock)
    assert is_tid(ta) and is_tid(tb)
    assert (ta < tb) == (a < b) and tid_time(ta) == a


def test_app_password_shape():
    assert looks_like_app_password("abcd-efgh-ijkl-mnop")
    assert looks_like_app_password(" 2bcd-e3gh-ijkl-mn0p\n")
    assert not looks_like_app_password("hunter2")
    assert not looks_like_app_password("ABCD-EFGH-IJKL-MNOP")


def test_shorten_url_like_bsky_app():
    assert shorten_url("https://example.com/very/long/path/to/an/article?id=1") == "example.com/very/long/pa..."
    assert shorten_url("https://example.com/") == "example.com"
    assert shorten_url("http://example.com/short") == "example.com/short"


def test_self_labels():
    assert self_labels(None) == [] and self_labels("  ") == []
    assert self_labels("Nudity") == ["nudity"]
    assert self_labels("gore, porn") == ["graphic-media", "porn"]
    with pytest.raises(Rejected, match="no free-text content warnings"):
        self_labels("spoilers for Dune")


# --------------------------------------------------------------------------- login, sessions


async def test_login_with_app_password_keeps_session_and_password(fake, http):
    ask = asker(APP_PW)
    secret, info = await BlueskyClient.login(http, account(fake.url), ask)
    blob = json.loads(secret.reveal())
    did = fake.state.accounts and next(iter(fake.state.accounts))
    assert blob["did"] == did and blob["handle"] == "alice.test" and blob["pds"] == fake.url
    assert blob["accessJwt"].startswith("fake-access-") and blob["refreshJwt"].startswith("fake-refresh-")
    assert blob["app_password"] == APP_PW
    assert info.options["pds"] == fake.url and info.options["did"] == did
    assert "login_warning" not in info.options
    assert APP_PW not in repr(info) and APP_PW not in repr(secret) and "fake-access" not in str(secret)
    # the prompt says what an app password looks like and is asked without echo
    assert ask.prompts == [(ask.prompts[0][0], True)] and "xxxx-xxxx-xxxx-xxxx" in ask.prompts[0][0]
    assert fake.calls("com.atproto.server.createSession") == 1


async def test_login_with_main_password_warns_and_does_not_keep_it(fake, http):
    secret, info = await BlueskyClient.login(http, account(fake.url), asker(MAIN_PW))
    blob = json.loads(secret.reveal())
    assert "app_password" not in blob and MAIN_PW not in secret.reveal()
    assert info.options["login_warning"] == APP_PASSWORD_WARNING


async def test_login_asks_for_handle_when_missing(fake, http):
    ask = asker("@alice.test", APP_PW)
    secret, info = await BlueskyClient.login(http, account(fake.url, handle=None), ask)
    assert info.handle == "alice.test" and [s for _, s in ask.prompts] == [False, True]


async def test_login_wrong_password_is_auth_error(fake, http):
    with pytest.raises(AuthError) as err:
        await BlueskyClient.login(http, account(fake.url), asker("wxyz-wxyz-wxyz-wxyz"))
    assert "alice.test" in str(err.value) and "wxyz" not in err.value.explain()


async def test_login_at_entryway_then_everything_goes_to_the_pds(http):
    with FakeBluesky() as entryway, FakeBluesky(state=entryway.state) as pds:
        entryway.add_account("alice.test", MAIN_PW, app_password=APP_PW)
        entryway.pds_endpoint = pds.url
        client = await login(entryway, http)
        assert client.account.options["pds"] == pds.url and client.account.server == entryway.url
        ident = await client.verify()
        await publish(client, ["hello from the PDS"])
        assert ident.details["pds"] == pds.url and ident.handle == "alice.test"
        assert [r.path for r in entryway.log] == ["/xrpc/com.atproto.server.createSession"]
        assert pds.requests("POST", r".*createRecord") and len(pds.posts()) == 1


async def test_did_doc_pointing_to_plain_http_elsewhere_is_refused(fake, http):
    fake.pds_endpoint = "http://pds.example.net"
    with pytest.raises(InsecureURL, match="plain http"):
        await BlueskyClient.login(http, account(fake.url), asker(APP_PW))


async def test_plain_http_entryway_is_refused_before_sending(http):
    with pytest.raises(InsecureURL):
        await BlueskyClient.login(http, account("http://bsky.example.org"), asker(APP_PW))


async def test_verify_returns_identity(fake, http):
    client = await login(fake, http)
    ident = await client.verify()
    assert ident.id == client.did and ident.id.startswith("did:plc:")
    assert ident.handle == "alice.test" and ident.details == {"pds": fake.url, "did": client.did}
    assert ident.url == "https://bsky.app/profile/alice.test"
    assert (await client.limits()).max_chars == 300


async def test_session_is_reused_across_publishes(fake, http):
    client = await login(fake, http)
    for n in range(3):
        await publish(client, [f"post number {n}"])
    # a new client from the saved secret (as after a restart) does not log in either
    again = BlueskyClient(client.account, client.secret, http)
    await publish(again, ["after a restart"])
    assert fake.calls("com.atproto.server.createSession") == 1
    assert fake.calls("com.atproto.server.refreshSession") == 0
    assert len(fake.posts()) == 4


async def test_expired_access_token_refreshes_and_saves_rotated_session(fake, http):
    client = await login(fake, http)
    old = json.loads(client.secret.reveal())
    fake.expire_access()
    result, _ = await publish(client, ["after two hours"])
    assert result[0].sent and len(fake.posts()) == 1
    assert fake.calls("com.atproto.server.refreshSession") == 1
    assert fake.calls("com.atproto.server.createSession") == 1  # only the first login
    assert len(client.saved) == 1
    new = json.loads(client.saved[0].reveal())
    assert new["refreshJwt"] != old["refreshJwt"] and new["accessJwt"] != old["accessJwt"]
    assert new["app_password"] == APP_PW and client.secret == client.saved[0]
    # the old refresh token is dead now (rotation); the saved one works
    r = await http.post(fake.url + "/xrpc/com.atproto.server.refreshSession",
                        headers={"Authorization": f"Bearer {old['refreshJwt']}"})
    assert r.status_code == 400 and r.json() == {"error": "ExpiredToken", "message": "Token has been revoked"}
    fake.expire_access()
    await client.verify()
    assert fake.calls("com.atproto.server.refreshSession") == 3 and len(client.saved) == 2


async def test_revoked_refresh_logs_in_again_with_kept_app_password(fake, http):
    client = await login(fake, http)
    fake.expire_access()
    fake.revoke_refresh()
    ident = await client.verify()
    assert ident.handle == "alice.test"
    assert fake.calls("com.atproto.server.createSession") == 2 and len(client.saved) == 1
    assert json.loads(client.saved[0].reveal())["app_password"] == APP_PW


async def test_revoked_refresh_without_app_password_is_auth_error(fake, http):
    client = await login(fake, http, password=MAIN_PW)
    fake.expire_access()
    fake.revoke_refresh()
    with pytest.raises(AuthError) as err:
        await publish(client, ["will not go"])
    assert "expired" in str(err.value) and "humane accounts add" in err.value.hint
    assert fake.posts() == [] and client.saved == []


async def test_bare_app_password_secret_logs_in_on_first_use(fake, http):
    saved: list[Secret] = []
    client = BlueskyClient(account(fake.url), Secret(APP_PW), http, on_secret_change=saved.append)
    await publish(client, ["first post"])
    assert len(saved) == 1 and json.loads(saved[0].reveal())["accessJwt"] and len(fake.posts()) == 1


async def test_create_session_rate_limit_is_rate_limited(fake, http):
    fake.state.session_limit = (2, 300.0)
    for _ in range(2):
        await BlueskyClient.login(http, account(fake.url), asker(APP_PW))
    with pytest.raises(RateLimited) as err:
        await BlueskyClient.login(http, account(fake.url), asker(APP_PW))
    assert err.value.retry_after is not None and 250 < err.value.retry_after <= 301


# --------------------------------------------------------------------------- posts and threads


async def test_thread_of_three_has_root_and_parent_refs(fake, http):
    client = await login(fake, http)
    parts = ["one: the start", "two: the middle", "three: the end"]
    result, seen = await publish(client, parts, options=PostOptions(language="en"))
    assert [len(s) for s in seen] == [3, 3, 3] and [sum(r.sent for r in s) for s in seen] == [1, 2, 3]
    recs = {r.uri: r for r in fake.posts()}
    first, second, third = (recs[r.id] for r in result)
    assert [p.value["text"] for p in (first, second, third)] == parts
    assert "reply" not in first.value
    root = {"uri": first.uri, "cid": first.cid}
    assert second.value["reply"] == {"root": root, "parent": root}
    assert third.value["reply"] == {"root": root, "parent": {"uri": second.uri, "cid": second.cid}}
    assert all(p.value["langs"] == ["en"] for p in (first, second, third))
    for rec in result:
        assert rec.id == f"at://{client.did}/app.bsky.feed.post/{rec.key}"
        assert rec.url == f"https://bsky.app/profile/alice.test/post/{rec.key}"
        assert rec.extra["cid"] == recs[rec.id].cid


async def test_no_language_means_no_langs(fake, http):
    client = await login(fake, http)
    await publish(client, ["plain"])
    assert "langs" not in fake.posts()[0].value


async def test_content_warning_label_on_every_part_or_refused(fake, http):
    client = await login(fake, http)
    await publish(client, ["a", "b"], options=PostOptions(content_warning="nudity"))
    assert [p.value["labels"]["values"] for p in fake.posts()] == [[{"val": "nudity"}]] * 2
    with pytest.raises(Rejected):
        await publish(client, ["c"], options=PostOptions(content_warning="spoilers"))
    assert len(fake.posts()) == 2


async def test_too_long_is_rejected_with_the_servers_message(fake, http):
    client = await login(fake, http)
    with pytest.raises(Rejected, match="must not be longer than 300 graphemes"):
        await publish(client, ["x" * 301])
    with pytest.raises(Rejected, match="3000 characters"):
        await publish(client, ["\U0001F469\u200D\U0001F4BB" * 280])  # 280 graphemes, 3080 bytes
    assert fake.posts() == []


async def test_continues_a_thread_after_parts_already_sent(fake, http):
    client = await login(fake, http)
    parts = ["p1", "p2", "p3"]
    records = new_records(parts)
    fake.inject("status", path=r"/xrpc/com\.atproto\.repo\.createRecord", status=503,
                body={"error": "InternalServerError", "message": "down"}, times=1)
    # the first createRecord fails: nothing sent, nothing checkpointed
    with pytest.raises(TransientError):
        await publish(client, parts, records)
    result, seen = await publish(client, parts, records)
    posts = fake.posts()
    assert len(posts) == 3 and [r.sent for r in result] == [True] * 3
    # resume from a record of part 1 only: parts 2, 3 are found by their keys, not sent again
    again, _ = await publish(client, parts, [result[0], records[1], records[2]])
    assert again == result and len(fake.posts()) == 3


async def test_saved_key_that_is_not_a_tid_is_refused(fake, http):
    client = await login(fake, http)
    with pytest.raises(Rejected, match="TID"):
        await publish(client, ["x"], [PartRecord(key="not-a-tid", digest="")])


# --------------------------------------------------------------------------- faults


@pytest.mark.parametrize(
    "kind, kw, error, check",
    [
        ("status", {"status": 500, "body": {"error": "InternalServerError", "message": "boom"}}, TransientError,
         lambda e: e.ambiguous and "boom" in str(e)),
        ("status", {"status": 502, "body": {"error": "UpstreamFailure", "message": "x"}}, TransientError,
         lambda e: e.ambiguous),
        ("html", {"status": 502}, TransientError, lambda e: "Bad Gateway" in str(e)),
        ("html", {"status": 400}, TransientError, lambda e: True),
        ("malformed-json", {}, TransientError, lambda e: e.ambiguous and "not JSON" in str(e)),
        ("status", {"status": 429, "body": {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
                    "headers": {"ratelimit-reset": "EPOCH+120"}}, RateLimited,
         lambda e: 110 < e.retry_after <= 121),
        ("status", {"status": 429, "body": {"error": "RateLimitExceeded"}, "headers": {"Retry-After": "7"}},
         RateLimited, lambda e: e.retry_after == 7.0),
        ("status", {"status": 401, "body": {"error": "AuthMissing", "message": "Authentication Required"}},
         AuthError, lambda e: "humane accounts add" in e.hint),
        ("status", {"status": 400, "body": {"error": "InvalidToken", "message": "Token could not be verified"}},
         AuthError, lambda e: "Token could not be verified" in str(e)),
        ("status", {"status": 400, "body": {"error": "InvalidRequest", "message": "Record/text too long"}},
         Rejected, lambda e: "Record/text too long" in str(e)),
        ("drop-before", {}, TransientError, lambda e: e.ambiguous),
    ],
)
async def test_faults_on_create_record_are_mapped(fake, http, kind, kw, error, check):
    import time

    client = await login(fake, http)
    if "headers" in kw and kw["headers"].get("ratelimit-reset") == "EPOCH+120":
        kw = {**kw, "headers": {"ratelimit-reset": str(int(time.time()) + 120)}}
    fake.inject(kind, path=r"/xrpc/com\.atproto\.repo\.createRecord", **kw)
    with pytest.raises(error) as err:
        await publish(client, ["hello"])
    assert check(err.value), err.value
    secret = json.loads(client.secret.reveal())
    for token in (secret["accessJwt"], secret["refreshJwt"], APP_PW):
        assert token not in err.value.explain()


async def test_latency_is_waited_out(fake, http):
    client = await login(fake, http)
    fake.inject("latency", seconds=0.3, path=r"/xrpc/com\.atproto\.repo\.createRecord")
    result, _ = await publish(client, ["slow but fine"])
    assert result[0].sent


async def test_timeout_is_ambiguous_transient(fake):
    async with new_http_client(timeout=httpx.Timeout(0.3)) as http:
        client = await login(fake, http)
        fake.inject("latency", seconds=1.0, path=r"/xrpc/com\.atproto\.repo\.createRecord")
        with pytest.raises(TransientError) as err:
            await publish(client, ["slow"])
        assert err.value.ambiguous


async def test_500_on_a_taken_key_is_looked_up_not_sent_again(fake, http):
    client = await login(fake, http)
    records = new_records(["only once"])
    await publish(client, ["only once"], records)
    # an old copy of the records (no id) and a getRecord that wrongly says "not found" once:
    # createRecord then answers 500 (key taken), and the client looks the key up instead of failing.
    fake.inject("status", path=r"/xrpc/com\.atproto\.repo\.getRecord", status=400,
                body={"error": "RecordNotFound", "message": "Could not locate record"})
    result, _ = await publish(client, ["only once"], records)
    assert result[0].sent and len(fake.posts()) == 1
    assert fake.calls("com.atproto.repo.createRecord") == 2 and fake.calls("com.atproto.repo.getRecord") == 3


@pytest.mark.parametrize("drop_at", [1, 2])
async def test_drop_after_commit_then_retry_leaves_exactly_one_thread(fake, http, drop_at):
    client = await login(fake, http)
    parts = ["first of three", "second of three", "third of three"]
    records = new_records(parts)
    # let drop_at-1 createRecords through (a no-op fault takes the first), then commit and drop the answer
    create = r"/xrpc/com\.atproto\.repo\.createRecord"
    if drop_at == 2:
        fake.inject("latency", seconds=0, path=create)
    fake.inject("drop-after-commit", path=create)
    with pytest.raises(TransientError) as err:
        await publish(client, parts, records)
    assert err.value.ambiguous
    saved = err.value.records  # what the publisher would have saved from the checkpoints
    assert sum(r.sent for r in saved) == drop_at - 1
    assert len(fake.posts()) == drop_at  # the dropped one is on the server
    result, _ = await publish(client, parts, saved)
    posts = fake.posts()
    assert len(posts) == 3 and sorted(p.rkey for p in posts) == sorted(r.key for r in result)
    by_uri = {p.uri: p for p in posts}
    root = {"uri": result[0].id, "cid": result[0].extra["cid"]}
    assert by_uri[result[1].id].value["reply"] == {"root": root, "parent": root}
    assert by_uri[result[2].id].value["reply"]["parent"] == {"uri": result[1].id, "cid": result[1].extra["cid"]}
    assert fake.calls("com.atproto.repo.createRecord") == 3


async def test_secret_never_in_repr_or_errors(fake, http):
    client = await login(fake, http)
    blob = client.secret.reveal()
    assert blob not in repr(client.secret) and "fake-access" not in repr(client.__dict__.get("secret"))
    fake.expire_access()
    fake.revoke_refresh()
    fake.state.accounts[client.did].app_passwords.clear()
    with pytest.raises(AuthError) as err:
        await client.verify()
    text = err.value.explain() + repr(err.value)
    for value in json.loads(blob).values():
        if value.startswith(("fake-", "abcd")):
            assert value not in text


# --------------------------------------------------------------------------- facets


LONG = "https://example.com/a/very/long/path/to/the/article.html?ref=humane"


def test_plan_post_offsets_are_utf8_bytes_and_long_urls_shortened():
    text = f"{FAMILY}{FLAGS} read {LONG} now, ask @bob.test about #café!"
    display, facets = plan_post(text)
    assert display == f"{FAMILY}{FLAGS} read example.com/a/very/long/... now, ask @bob.test about #café!"
    assert facet_texts({"text": display, "facets": facets}) == [
        ("example.com/a/very/long/...", "link", LONG),
        ("@bob.test", "mention", None),
        ("#café", "tag", "café"),
    ]
    assert facets[1]["features"][0]["handle"] == "bob.test"
    start = len(f"{FAMILY}{FLAGS} read ".encode())
    assert facets[0]["index"] == {"byteStart": start, "byteEnd": start + len("example.com/a/very/long/...")}
    assert start == 25 + 16 + 6  # the family emoji alone is 25 bytes but 1 grapheme and 7 code points


def test_bare_domains_are_links_like_in_the_bsky_app():
    display, facets = plan_post("visit example.org/page or README.md, mail bob@example.com")
    assert display == "visit example.org/page or README.md, mail bob@example.com"
    assert facet_texts({"text": display, "facets": facets}) == [("example.org/page", "link", "https://example.org/page")]


def test_plan_post_leaves_non_bluesky_mentions_and_plain_text_alone():
    assert plan_post("no entities here, 3 > 2") == ("no entities here, 3 > 2", [])
    assert plan_post("broken \ud800 surrogate #tag")[0].encode("utf-8")  # never raises
    display, facets = plan_post("ping @bob and @bob@mastodon.social")
    assert display == "ping @bob and @bob@mastodon.social" and facets == []


@given(
    prefix=st.lists(st.sampled_from(["a", " ", "é", FAMILY, FLAGS, "\u0301", "\U0001F44B\U0001F3FD", "中", "\n"]),
                    max_size=12).map("".join),
    path=st.text(alphabet="abcdefghij/-_", min_size=0, max_size=40),
)
@settings(max_examples=150, deadline=None)
def test_link_facet_lands_on_the_link_whatever_comes_before(prefix, path):
    url = f"https://example.org/{path}"
    display, facets = plan_post(f"{prefix} {url} #tag")
    links = [f for f in facets if f["features"][0]["$type"].endswith("#link")]
    assert len(links) == 1 and links[0]["features"][0]["uri"].startswith("https://example.org/")
    data = display.encode()
    covered = data[links[0]["index"]["byteStart"]:links[0]["index"]["byteEnd"]].decode()
    assert covered == shorten_url(links[0]["features"][0]["uri"])
    tag = [f for f in facets if f["features"][0]["$type"].endswith("#tag")][0]
    assert data[tag["index"]["byteStart"]:tag["index"]["byteEnd"]] == b"#tag"


async def test_published_facets_land_exactly_on_link_mention_and_tag(fake, http):
    client = await login(fake, http)
    bob = next(a.did for a in fake.state.accounts.values() if a.handle == "bob.test")
    text = (f"{FAMILY} family, {FLAGS} flags: see {LONG} and ask @bob.test or @alice.test "
            f"about #humane posting {FAMILY}")
    result, _ = await publish(client, [text])
    post = fake.posts()[0].value
    assert LONG not in post["text"] and "example.com/a/very/long/..." in post["text"]
    assert facet_texts(post) == [
        ("example.com/a/very/long/...", "link", LONG),
        ("@bob.test", "mention", bob),
        ("@alice.test", "mention", client.did),
        ("#humane", "tag", "humane"),
    ]
    # @bob.test was resolved over the network once; @alice.test is the account itself (no lookup)
    assert fake.calls("com.atproto.identity.resolveHandle") == 1


async def test_unresolvable_mention_is_left_plain(fake, http):
    client = await login(fake, http)
    await publish(client, ["hello @nobody.test and @bob.test", "again @nobody.test"])
    first, second = sorted(fake.posts(), key=lambda p: p.rkey)
    assert [k for _, k, _ in facet_texts(first.value)] == ["mention"]
    assert "facets" not in second.value and first.value["text"] == "hello @nobody.test and @bob.test"
    assert fake.calls("com.atproto.identity.resolveHandle") == 2  # cached across parts


async def test_fake_refuses_facets_that_miss_their_text(fake, http):
    """The fake is the judge of the facet tests above: check that it does catch a byte-offset bug."""
    client = await login(fake, http)
    text = f"{FAMILY} #tag"
    record = {"$type": "app.bsky.feed.post", "text": text, "createdAt": "2026-01-01T00:00:00.000Z",
              "facets": [{"index": {"byteStart": 2, "byteEnd": 6},  # character offsets, the classic bug
                          "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "tag"}]}]}
    r = await http.post(fake.url + "/xrpc/com.atproto.repo.createRecord",
                        headers={"Authorization": f"Bearer {json.loads(client.secret.reveal())['accessJwt']}"},
                        json={"repo": client.did, "collection": "app.bsky.feed.post", "record": record})
    assert r.status_code == 400 and r.json()["error"] == "InvalidRequest" and "facets/0" in r.json()["message"]
    assert r.headers["ratelimit-policy"] == "3000;w=300" and int(r.headers["ratelimit-remaining"]) < 3000


async def test_session_without_did_doc_uses_the_login_server(fake, http):
    fake.did_doc_in_session = False  # the reference PDS's default
    client = await login(fake, http)
    assert client.account.options["pds"] == fake.url
    await publish(client, ["fine"])
    assert len(fake.posts()) == 1


def test_split_counts_links_as_shown():
    client = BlueskyClient(account("https://bsky.social"), Secret(APP_PW), None)  # type: ignore[arg-type]
    limits = Limits(max_chars=300)
    fits_when_shortened = "a" * 250 + " " + LONG  # 250 + 1 + 70 in full, 277 as shown
    assert client.split(fits_when_shortened, limits) == [fits_when_shortened]
    too_long = "word " * 80  # 400 graphemes
    parts = client.split(too_long, limits)
    assert len(parts) == 2 and all(len(p) <= 300 for p in parts)
