"""The dialogue against the REAL reference PDS (tests/pds), which passes app.bsky.* calls on to a
fake app view (tests/fakes/appview.py) that answers from the PDS's own records: a reader's reply is
listed and folded, an answer lands with the right root and parent (the PDS checks the refs' cids),
and deleting a thread removes every record. Skipped, with the reason, when tests/pds is not installed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from composer.dialogue.correct import withdraw
from composer.dialogue.replies import RepliesSession, new_answer
from composer.drafts import DraftStore
from composer.platforms.base import AccountInfo, Secret
from composer.platforms.bluesky import BlueskyClient
from composer.publish import publish_draft
from tests.fakes.appview import FakeAppView
from tests.pds_fixture import PdsInfo, running_pds

pytestmark = pytest.mark.pds

HATE = "Go back where you came from, you filthy kike."


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PdsInfo, FakeAppView]]:
    with FakeAppView() as appview:
        with running_pds(tmp_path_factory.mktemp("pds-appview"), PDS_APPVIEW_URL=appview.url,
                         PDS_APPVIEW_DID="did:web:appview.test") as pds:
            appview.pds_url = pds.url
            yield pds, appview


def xrpc(pds: PdsInfo, method: str, nsid: str, token: str | None = None, **kw) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.request(method, f"{pds.url}/xrpc/{nsid}", headers=headers, timeout=30, **kw)


def reader(pds: PdsInfo, handle: str) -> tuple[str, str]:
    """A second account on the same PDS, as a reader makes one; (did, access token)."""
    r = xrpc(pds, "POST", "com.atproto.server.createAccount",
             json={"handle": handle, "email": f"{handle}@example.com", "password": "reader-pass"})
    assert r.status_code == 200, r.text
    return r.json()["did"], r.json()["accessJwt"]


def say(pds: PdsInfo, who: tuple[str, str], text: str, parent: dict) -> dict:
    did, token = who
    root = parent["value"].get("reply", {}).get("root") or {"uri": parent["uri"], "cid": parent["cid"]}
    record = {"$type": "app.bsky.feed.post", "text": text, "createdAt": datetime.now(UTC).isoformat(),
              "reply": {"root": root, "parent": {"uri": parent["uri"], "cid": parent["cid"]}}}
    r = xrpc(pds, "POST", "com.atproto.repo.createRecord", token,
             json={"repo": did, "collection": "app.bsky.feed.post", "record": record})
    assert r.status_code == 200, r.text
    return {"uri": r.json()["uri"], "cid": r.json()["cid"], "value": record}


def record(pds: PdsInfo, uri: str) -> dict:
    did, _, rest = uri.removeprefix("at://").partition("/")
    collection, _, rkey = rest.partition("/")
    r = xrpc(pds, "GET", "com.atproto.repo.getRecord", params={"repo": did, "collection": collection, "rkey": rkey})
    assert r.status_code == 200, r.text
    return r.json()


async def test_replies_answer_and_delete_on_the_real_pds(network, tmp_path, http) -> None:
    pds, appview = network
    store = DraftStore(tmp_path / "data")

    async def open_client(name: str) -> BlueskyClient:
        info = AccountInfo(name, "bluesky", server=pds.url, handle=pds.handle)
        return BlueskyClient(info, Secret(pds.password), http)

    long = " ".join(["Every part of this thread says something about the reading group."] * 8)
    draft = store.new(body=long, purpose="to tell friends about the reading group", accounts=["sky"])
    store.save(draft)
    out = await publish_draft(store, draft.id, {"sky": await open_client("sky")})
    assert out["sky"].status == "sent", out["sky"].error
    parts = out["sky"].parts
    first = record(pds, parts[0].id or "")
    bob = reader(pds, "bob.test")
    carol = reader(pds, "carol.test")
    bobs = say(pds, bob, "Which book is it this month?", first)
    say(pds, carol, HATE, first)

    listing = await RepliesSession(store, ["sky"], open_client).load()
    assert listing.problems == {}, listing.problems
    assert appview.requests("GET", r"/xrpc/app\.bsky\.feed\.getPostThread")  # the PDS passed it on
    by = {i.reply.author: i for i in listing.items}
    assert set(by) == {"bob.test", "carol.test"}
    assert by["carol.test"].reasons == ("hate",) and by["bob.test"].reasons == ()
    assert by["bob.test"].post is not None and by["bob.test"].post.draft_id == draft.id

    answer = new_answer(store, by["bob.test"])
    answer.body = "Middlemarch, chapters 1 to 10."
    store.save(answer)
    sent = await publish_draft(store, answer.id, {"sky": await open_client("sky")})
    assert sent["sky"].status == "sent", sent["sky"].error
    stored = record(pds, sent["sky"].parts[0].id or "")["value"]
    assert stored["reply"]["parent"] == {"uri": bobs["uri"], "cid": bobs["cid"]}
    assert stored["reply"]["root"] == {"uri": first["uri"], "cid": first["cid"]}

    gone = await withdraw(store, store.load(draft.id), ["sky"], open_client)
    assert gone[0].ok, gone[0].message
    for part in parts:
        did, _, rest = (part.id or "").removeprefix("at://").partition("/")
        r = xrpc(pds, "GET", "com.atproto.repo.getRecord",
                 params={"repo": did, "collection": "app.bsky.feed.post", "rkey": rest.rsplit("/", 1)[-1]})
        assert r.status_code == 400 and r.json()["error"] == "RecordNotFound"
    assert store.load(draft.id).deliveries["sky"].status == "deleted"
