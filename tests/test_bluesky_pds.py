"""The Bluesky client against the REAL reference PDS (@atproto/pds with an in-memory PLC, tests/pds).

Skipped, with the reason, only when tests/pds/node_modules is missing. Start-up and per-post timings
are printed at the end of the module (run with -s to see them)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import httpx
import pytest

from composer.platforms.base import (
    AccountInfo,
    PartRecord,
    PostOptions,
    Rejected,
    Secret,
    TransientError,
    digest,
)
from composer.platforms.bluesky import APP_PASSWORD_WARNING, BlueskyClient, shorten_url
from composer.platforms.http import new_http_client
from tests.pds_fixture import ForwardingProxy, PdsInfo, pds  # noqa: F401  (fixture)

pytestmark = pytest.mark.pds

FAMILY = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466"
FLAGS = "\U0001F1EB\U0001F1F7\U0001F1EF\U0001F1F5"
LONG = "https://example.com/articles/2026/why-we-post-less-but-better.html?utm_source=humane"
POST = "app.bsky.feed.post"


def xrpc(pds: PdsInfo, method: str, nsid: str, token: str | None = None, **kw) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.request(method, f"{pds.url}/xrpc/{nsid}", headers=headers, timeout=30, **kw)


@pytest.fixture(scope="module")
def app_password(pds: PdsInfo) -> str:  # noqa: F811
    """An app password made the way a writer makes one: with the main password's session."""
    main = xrpc(pds, "POST", "com.atproto.server.createSession",
                json={"identifier": pds.handle, "password": pds.password})
    assert main.status_code == 200, main.text
    r = xrpc(pds, "POST", "com.atproto.server.createAppPassword", main.json()["accessJwt"],
             json={"name": "humane-composer-tests"})
    assert r.status_code == 200, r.text
    return r.json()["password"]


@pytest.fixture(scope="module")
def session(pds: PdsInfo, app_password: str) -> tuple[Secret, AccountInfo]:  # noqa: F811
    """One login for the module (createSession is rate-limited on real servers; never log in per post)."""
    import asyncio

    async def go():
        async with new_http_client() as http:
            account = AccountInfo(name="local", platform="bluesky", server=pds.url, handle=pds.handle)
            t = time.perf_counter()
            result = await BlueskyClient.login(http, account, lambda prompt, secret: app_password)
            pds.note("login (createSession)", time.perf_counter() - t)
            return result

    return asyncio.run(go())


def client_for(session, http, *, pds_url: str | None = None, saved: list | None = None) -> BlueskyClient:
    secret, info = session
    if pds_url:
        blob = json.loads(secret.reveal())
        secret = Secret(json.dumps({**blob, "pds": pds_url}))
    return BlueskyClient(info, secret, http, on_secret_change=(saved.append if saved is not None else None))


async def publish(client: BlueskyClient, parts: list[str], records=None, options=PostOptions()):
    records = records if records is not None else [PartRecord(key=client.new_part_key(), digest=digest(p))
                                                   for p in parts]
    seen: list[list[PartRecord]] = []

    async def checkpoint(recs):
        seen.append(list(recs))

    try:
        return await client.publish(parts, records, options, checkpoint)
    except Exception as err:
        err.records = seen[-1] if seen else list(records)  # type: ignore[attr-defined]
        raise


def get_record(pds: PdsInfo, rkey: str) -> dict:  # noqa: F811
    t = time.perf_counter()
    r = xrpc(pds, "GET", "com.atproto.repo.getRecord", params={"repo": pds.did, "collection": POST, "rkey": rkey})
    pds.note("getRecord (read back)", time.perf_counter() - t)
    assert r.status_code == 200, r.text
    return r.json()


def list_posts(pds: PdsInfo) -> list[dict]:  # noqa: F811
    r = xrpc(pds, "GET", "com.atproto.repo.listRecords",
             params={"repo": pds.did, "collection": POST, "limit": "100"})
    assert r.status_code == 200, r.text
    return r.json()["records"]


def facets_of(value: dict) -> list[tuple[str, str, str]]:
    data = value["text"].encode("utf-8")
    out = []
    for f in value.get("facets", []):
        feat = f["features"][0]
        out.append((data[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode("utf-8"),
                    feat["$type"].rsplit("#", 1)[1], feat.get("uri") or feat.get("did") or feat.get("tag")))
    return out


def forge_expired(access_jwt: str, secret: str) -> str:
    """The same access token, expired: re-signed with the test PDS's JWT secret (from its info file)."""
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).decode().rstrip("=")

    head, payload, _sig = access_jwt.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["iat"], claims["exp"] = int(time.time()) - 7300, int(time.time()) - 100
    body = b64(json.dumps(claims, separators=(",", ":")).encode())
    sig = b64(hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest())
    return f"{head}.{body}.{sig}"


# --------------------------------------------------------------------------- tests


async def test_login_with_app_password_and_verify(pds, session, http, app_password):  # noqa: F811
    secret, info = session
    blob = json.loads(secret.reveal())
    # the PDS came from the DID document the session carried (PLC → #atproto_pds)
    assert blob["pds"] == pds.url and info.options["pds"] == pds.url
    assert blob["did"] == pds.did == info.options["did"] and info.handle == pds.handle
    assert blob["app_password"] == app_password and "login_warning" not in info.options
    ident = await client_for(session, http).verify()
    assert ident.id == pds.did and ident.handle == pds.handle and ident.details["pds"] == pds.url


async def test_main_password_login_warns_and_is_not_kept(pds, http):  # noqa: F811
    account = AccountInfo(name="local", platform="bluesky", server=pds.url, handle=pds.handle)
    secret, info = await BlueskyClient.login(http, account, lambda prompt, s: pds.password)
    assert info.options["login_warning"] == APP_PASSWORD_WARNING
    assert pds.password not in secret.reveal()


async def test_thread_with_facets_after_emoji_reads_back_exactly(pds, session, http):  # noqa: F811
    client = client_for(session, http)
    parts = [
        f"{FAMILY} A thread {FLAGS} about posting well: {LONG} (1/3)",
        f"Thanks @{pds.handle} for the idea {FAMILY}, and to @nobody.test who does not exist (2/3)",
        f"{FLAGS}{FAMILY} #HumanePosting #café and more: https://example.org/ (3/3)",
    ]
    t = time.perf_counter()
    result = await publish(client, parts, options=PostOptions(language="en"))
    pds.note("publish, per part (getRecord check + createRecord)", (time.perf_counter() - t) / 3)
    got = [get_record(pds, r.key) for r in result]
    for rec, back in zip(result, got):
        assert back["uri"] == rec.id == f"at://{pds.did}/{POST}/{rec.key}" and back["cid"] == rec.extra["cid"]
        assert back["value"]["langs"] == ["en"]
    one, two, three = (g["value"] for g in got)
    assert one["text"] == f"{FAMILY} A thread {FLAGS} about posting well: {shorten_url(LONG)} (1/3)"
    assert facets_of(one) == [(shorten_url(LONG), "link", LONG)]
    assert two["text"] == parts[1]
    assert facets_of(two) == [(f"@{pds.handle}", "mention", pds.did)]  # @nobody.test stays plain
    assert three["text"] == f"{FLAGS}{FAMILY} #HumanePosting #café and more: example.org (3/3)"
    assert facets_of(three) == [("#HumanePosting", "tag", "HumanePosting"), ("#café", "tag", "café"),
                                ("example.org", "link", "https://example.org/")]
    root = {"uri": result[0].id, "cid": result[0].extra["cid"]}
    assert "reply" not in one
    assert two["reply"] == {"root": root, "parent": root}
    assert three["reply"] == {"root": root, "parent": {"uri": result[1].id, "cid": result[1].extra["cid"]}}


async def test_single_posts_timing_and_length_rules(pds, session, http):  # noqa: F811
    client = client_for(session, http)
    for n in range(8):
        t = time.perf_counter()
        await publish(client, [f"timing post {n} {FAMILY}"])
        pds.note("publish one post (getRecord check + createRecord)", time.perf_counter() - t)
    with pytest.raises(Rejected, match="300 graphemes|grapheme"):
        await publish(client, ["é" * 301])
    with pytest.raises(Rejected):
        await publish(client, ["\U0001F469\u200D\U0001F4BB" * 280])  # 280 graphemes, 3080 bytes


async def test_expired_access_refreshes_with_rotation_then_relogin_after_logout(pds, session, http):  # noqa: F811
    secret, info = session
    blob = json.loads(secret.reveal())
    stale = {**blob, "accessJwt": forge_expired(blob["accessJwt"], pds.info["jwtSecret"])}
    r = xrpc(pds, "GET", "com.atproto.server.getSession", stale["accessJwt"])
    assert r.status_code == 400 and r.json()["error"] == "ExpiredToken"  # the real server's answer
    saved: list[Secret] = []
    client = BlueskyClient(info, Secret(json.dumps(stale)), http, on_secret_change=saved.append)
    await publish(client, ["after the access token expired"])
    assert len(saved) == 1
    fresh = json.loads(saved[0].reveal())
    assert fresh["refreshJwt"] != blob["refreshJwt"] and fresh["accessJwt"] != stale["accessJwt"]
    # a logout revokes the refresh token: the client logs in again with the kept app password
    r = xrpc(pds, "POST", "com.atproto.server.deleteSession", fresh["refreshJwt"])
    assert r.status_code == 200
    dead = {**fresh, "accessJwt": forge_expired(fresh["accessJwt"], pds.info["jwtSecret"])}
    r = xrpc(pds, "POST", "com.atproto.server.refreshSession", dead["refreshJwt"])
    assert r.status_code == 400 and r.json() == {"error": "ExpiredToken", "message": "Token has been revoked"}
    saved.clear()
    client = BlueskyClient(info, Secret(json.dumps(dead)), http, on_secret_change=saved.append)
    ident = await client.verify()
    assert ident.id == pds.did and len(saved) == 1
    assert json.loads(saved[0].reveal())["refreshJwt"] not in (fresh["refreshJwt"], blob["refreshJwt"])


@pytest.mark.parametrize("drop_at", [1, 2])
async def test_retry_after_dropped_answer_leaves_one_record_per_part(pds, session, http, drop_at):  # noqa: F811
    parts = [f"dropped-{drop_at} part one {FAMILY}", f"dropped-{drop_at} part two", f"dropped-{drop_at} part three"]
    before = len(list_posts(pds))
    with ForwardingProxy(pds.url) as proxy:
        client = client_for(session, http, pds_url=proxy.url)
        create = r"/xrpc/com\.atproto\.repo\.createRecord"
        if drop_at == 2:
            proxy.inject("latency", seconds=0, path=create)  # the first createRecord goes through
        proxy.inject("drop-after-commit", path=create)
        with pytest.raises(TransientError) as err:
            await publish(client, parts)
        assert err.value.ambiguous
        saved = err.value.records
        assert sum(r.sent for r in saved) == drop_at - 1
        assert len(list_posts(pds)) == before + drop_at  # the dropped part IS on the server
        result = await publish(client, parts, saved)
        forwarded = [r.path for r in proxy.log if r.path.endswith("createRecord")]
    posts = list_posts(pds)
    assert len(posts) == before + 3
    ours = [p for p in posts if p["value"]["text"].startswith(f"dropped-{drop_at} ")]
    assert sorted(p["uri"] for p in ours) == sorted(r.id for r in result)
    assert len(forwarded) == 3  # the dropped part was found by getRecord, not sent again
    values = {p["uri"]: p["value"] for p in ours}
    root = {"uri": result[0].id, "cid": result[0].extra["cid"]}
    assert values[result[1].id]["reply"] == {"root": root, "parent": root}
    assert values[result[2].id]["reply"]["parent"] == {"uri": result[1].id, "cid": result[1].extra["cid"]}


async def test_taken_record_key_answers_500_and_the_client_looks_it_up(pds, session, http):  # noqa: F811
    with ForwardingProxy(pds.url) as proxy:
        client = client_for(session, http, pds_url=proxy.url)
        records = [PartRecord(key=client.new_part_key(), digest=digest("only once"))]
        first = await publish(client, ["only once"], records)
        # the look-up wrongly says "not found" once: createRecord on the taken key → the real 500
        proxy.inject("status", path=r"/xrpc/com\.atproto\.repo\.getRecord", status=400,
                     body={"error": "RecordNotFound", "message": "Could not locate record"})
        again = await publish(client, ["only once"], records)
        statuses = [r.path.rsplit(".", 1)[1] for r in proxy.log if "repo." in r.path]
    assert again == first
    assert statuses == ["getRecord", "createRecord", "getRecord", "createRecord", "getRecord"]
    assert sum(1 for p in list_posts(pds) if p["value"]["text"] == "only once") == 1
