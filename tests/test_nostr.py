"""The Nostr client against FakeRelay: real WebSocket relays on 127.0.0.1 that check every event's
id and Schnorr signature, the real client, drafts through the real publisher, and `humane accounts
add` in a subprocess with a real Secret Service."""

from __future__ import annotations

import json
import os
import subprocess
import tomllib
from pathlib import Path

import pytest

from composer.drafts import DraftStore
from composer.platforms import client_class
from composer.platforms.base import (
    AccountInfo,
    AuthError,
    PartRecord,
    PlatformError,
    PostOptions,
    RateLimited,
    Rejected,
    Secret,
    TransientError,
)
from composer.platforms.nostr import (
    NostrClient,
    NotAKey,
    bech32_decode,
    bech32_encode,
    hashtags,
    note_id,
    npub,
    private_key,
    public_key_hex,
    sign_event,
)
from composer.publish import publish_draft
from tests.command import humane_command
from tests.fakes.nostr import FakeRelay, check_event
from tests.keyring_fixture import keyring_env, keyring_service  # noqa: F401 (fixtures)
from tests.platform_helpers import Saved, expect_error, fresh_records

# NIP-19's published example key (never a real writer's): nsec, its hex, and the public key it derives to.
NSEC = "nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5"
NSEC_HEX = "67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa"
PUB_HEX = "7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e"
NPUB = "npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg"
SECRETS = [NSEC, NSEC_HEX]

NOTE = "The library lends tools now: drills, ladders, a sewing machine. #Libraries #community"


@pytest.fixture
def relays():
    with FakeRelay() as one, FakeRelay() as two:
        yield one, two


def client(*relays: FakeRelay, key: str = NSEC, timeout: float = 5.0) -> NostrClient:
    c = NostrClient(AccountInfo("nostr", "nostr", server=",".join(r.url for r in relays)), Secret(key), None)  # type: ignore[arg-type]
    c.timeout = timeout
    return c


async def post(c: NostrClient, parts: list[str], records: list[PartRecord] | None = None,
               saved: Saved | None = None) -> list[PartRecord]:
    return await c.publish(parts, records or fresh_records(NostrClient, parts), PostOptions(), saved or Saved())


async def fails(exc_type, coro) -> PlatformError:
    return await expect_error(exc_type, coro, SECRETS)


# ---------------------------------------------------------------------- keys, ids, signatures


def test_registered():
    cls = client_class("nostr")
    assert cls is NostrClient
    assert (cls.label, cls.SUPPORTS_THREADS, cls.NEEDS_SERVER, cls.SECRET_LABEL) == ("Nostr", True, True, "nsec key")


def test_nip19_keys():
    assert private_key(NSEC).hex() == NSEC_HEX and private_key(NSEC_HEX).hex() == NSEC_HEX
    assert private_key(f"nostr:{NSEC}\n").hex() == NSEC_HEX
    assert public_key_hex(bytes.fromhex(NSEC_HEX)) == PUB_HEX and npub(PUB_HEX) == NPUB
    assert bech32_decode(NPUB) == ("npub", bytes.fromhex(PUB_HEX))
    assert bech32_encode("nsec", bytes.fromhex(NSEC_HEX)) == NSEC
    # NIP-19's other published example, a key we did not make
    assert bech32_decode("npub180cvv07tjdrrgpa0j7j7tmnyl2yr6yr7l8j4s3evf6u64th6gkwsyjh6w6") == (
        "npub", bytes.fromhex("3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d"))
    assert bech32_decode(NSEC[:-1] + ("q" if NSEC[-1] != "q" else "p")) is None  # checksum
    with pytest.raises(NotAKey, match="public key"):
        private_key(NPUB)
    with pytest.raises(NotAKey, match="starts with nsec1"):
        private_key("hunter2")


def test_events_are_signed_as_relays_check_them():
    key = bytes.fromhex(NSEC_HEX)
    event = sign_event(key, 'Quotes " and \\ and\nnew lines, tabs\t, emoji 🌱 and é', [["t", "garden"]], 1_700_000_000)
    assert check_event(event) is None and event["pubkey"] == PUB_HEX and event["kind"] == 1
    again = sign_event(key, event["content"], event["tags"], event["created_at"])
    assert again["id"] == event["id"]  # the id is the content's hash: the same note has the same id
    assert check_event({**event, "content": "changed"}) == "event id does not match"
    other = sign_event(bytes.fromhex("11" * 32), event["content"], event["tags"], event["created_at"])
    assert check_event({**event, "sig": other["sig"]}) == "signature is wrong"
    assert note_id("00" * 32).startswith("note1")
    assert hashtags("Hello #Garden and #garden, #seeds! not#this https://x.example/#frag") == ["garden", "seeds"]


# ---------------------------------------------------------------------- verify, limits


async def test_verify_shows_the_npub(relays):
    identity = await client(*relays).verify()
    assert identity.handle == NPUB and identity.id == PUB_HEX and identity.url == f"nostr:{NPUB}"


async def test_verify_with_a_key_that_is_not_one(relays):
    err = await fails(AuthError, client(*relays, key=NPUB).verify())
    assert "public key" in err.message and "nsec" in err.hint
    assert "humane accounts add nostr --platform nostr --server" in err.hint


async def test_verify_when_no_relay_answers(relays):
    for r in relays:
        r.inject("status", status=503)
    err = await fails(TransientError, client(*relays).verify())
    assert "None of the relays could be reached" in err.message and "HTTP 503" in err.message


async def test_limits_come_from_the_relays_information(http):
    with FakeRelay(max_content_length=500) as a, FakeRelay(max_content_length=120) as b, FakeRelay(info=False) as c:
        nc = NostrClient(AccountInfo("n", "nostr", server=f"{a.url},{b.url},{c.url}"), Secret(NSEC), http)
        assert (await nc.limits()).max_chars == 120
    with FakeRelay(info=False) as quiet:
        nc = NostrClient(AccountInfo("n", "nostr", server=quiet.url), Secret(NSEC), http)
        long = "A sentence about the garden. " * 300
        assert nc.split(long, await nc.limits()) == [long]


# ---------------------------------------------------------------------- publish


async def test_a_note_reaches_every_relay(relays):
    (done,) = await post(client(*relays), [NOTE])
    for relay in relays:
        (stored,) = relay.notes()
        assert stored["content"] == NOTE and stored["pubkey"] == PUB_HEX
        assert stored["tags"] == [["t", "libraries"], ["t", "community"]]
        assert stored["id"] == done.id
    assert done.url == f"nostr:{note_id(done.id)}" and done.tried_at is None
    assert done.extra["relays"] == ",".join(r.url for r in relays) and "refused" not in done.extra


async def test_a_thread_is_nip10_replies(http):
    with FakeRelay(max_content_length=100) as relay:
        c = NostrClient(AccountInfo("n", "nostr", server=relay.url), Secret(NSEC), http)
        text = " ".join(f"Sentence {i} about the garden and its #seeds." for i in range(12))
        parts = c.split(text, await c.limits())
        assert len(parts) >= 3 and all(len(p) <= 100 for p in parts)
        done = await post(c, parts)
        notes = {e["id"]: e for e in relay.notes()}
        assert [notes[r.id]["content"] for r in done] == parts
        root = done[0].id
        assert [t for t in notes[root]["tags"] if t[0] != "t"] == []
        assert notes[done[1].id]["tags"][:2] == [["e", root, relay.url, "root", PUB_HEX], ["p", PUB_HEX]]
        for i in range(2, len(done)):
            assert notes[done[i].id]["tags"][:3] == [["e", root, relay.url, "root", PUB_HEX],
                                                     ["e", done[i - 1].id, relay.url, "reply", PUB_HEX],
                                                     ["p", PUB_HEX]]


async def test_one_relay_is_enough_and_the_others_are_told(relays):
    one, two = relays
    two.blocked.add(PUB_HEX)
    (done,) = await post(client(one, two), [NOTE])
    assert len(one.notes()) == 1 and two.notes() == []
    assert done.extra["relays"] == one.url
    assert "blocked: this relay takes notes from members only" in done.extra["refused"]


async def test_when_every_relay_refuses_their_reasons_are_shown(relays):
    one, two = relays
    one.blocked.add(PUB_HEX)
    two.inject("ok-false", reason="pow: difficulty 0 is less than 20")
    err = await fails(Rejected, post(client(one, two), [NOTE]))
    assert "No relay took the note" in err.message
    assert "blocked: this relay takes notes from members only" in err.message
    assert "pow: difficulty 0 is less than 20" in err.message and "--server" in err.hint


@pytest.mark.parametrize("kind, kw, error, words", [
    ("status", {"status": 500}, TransientError, "had a problem (HTTP 500)"),
    ("status", {"status": 429, "headers": {"Retry-After": "30"}}, RateLimited, "slow down (HTTP 429)"),
    ("status", {"status": 401}, Rejected, "refused the connection (HTTP 401)"),
    ("malformed", {}, TransientError, "not a Nostr message"),
    ("drop-before", {}, TransientError, "closed the connection without answering"),
    ("ok-false", {"reason": "rate-limited: slow down there"}, RateLimited, "rate-limited: slow down there"),
    ("ok-false", {"reason": "error: could not connect to the database"}, TransientError, "error: could not connect"),
])
async def test_faults_map_to_shared_errors(kind, kw, error, words):
    with FakeRelay() as relay:
        relay.inject(kind, **kw)
        err = await fails(error, post(client(relay), [NOTE]))
        assert words in err.message, err.message
        assert err.hint
        if error is RateLimited and kind == "status":
            assert err.retry_after == 30
        assert relay.notes() == []


async def test_latency_is_waited_out_and_a_silent_relay_times_out():
    with FakeRelay() as relay:
        relay.inject("latency", seconds=0.2)
        await post(client(relay), [NOTE])
        relay.inject("latency", seconds=1.5)
        err = await fails(TransientError, post(client(relay, timeout=0.4), ["Another note."]))
        assert err.ambiguous and "did not answer in time" in err.message


async def test_a_dropped_answer_then_retry_sends_the_same_event(relays):
    """THE test: the relay stores the note and the answer is lost; the retry sends the very same
    event (same id, same created_at), the relay says duplicate, and there is exactly one note."""
    one, two = relays
    one.inject("drop-after-commit")
    two.inject("status", status=502)
    records, saved = fresh_records(NostrClient, [NOTE]), Saved()
    err = await fails(TransientError, post(client(one, two), [NOTE], records, saved))
    assert err.ambiguous
    (stored,) = one.notes()
    assert json.loads(saved.last[0].extra["event"])["id"] == stored["id"]  # saved before it was sent
    done = await post(client(one, two), [NOTE], saved.last, saved)
    assert done[0].id == stored["id"] and len(one.notes()) == 1 and len(two.notes()) == 1
    assert two.notes()[0] == stored
    sent = [e for e in one.received if e.get("content") == NOTE]
    assert len(sent) == 2 and sent[0] == sent[1]  # the same event, byte for byte


async def test_a_thread_broken_in_the_middle_goes_on_where_it_stopped(http):
    with FakeRelay(max_content_length=60) as relay:
        c = NostrClient(AccountInfo("n", "nostr", server=relay.url), Secret(NSEC), http)
        parts = c.split("One short sentence here. " * 8, await c.limits())
        assert len(parts) >= 3
        records, saved = fresh_records(NostrClient, parts), Saved()
        relay.inject("drop-after-commit", times=1)
        relay.inject("latency", seconds=0)  # the first part goes through as usual
        await fails(TransientError, post(c, parts, records, saved))
        done = await post(c, parts, saved.last, saved)
        assert len(relay.notes()) == len(parts) and [r.id for r in done] == [e["id"] for e in relay.notes()]


async def test_the_key_never_shows(relays):
    c = client(*relays)
    assert NSEC not in repr(c) and NSEC not in str(c.secret)
    relays[0].inject("ok-false", reason=f"blocked: your key {NSEC} is banned")
    relays[1].inject("ok-false", reason="blocked: no")
    err = await fails(Rejected, post(c, [NOTE]))
    assert "<token>" in err.message


# ---------------------------------------------------------------------- a draft, through the publisher


async def test_a_draft_goes_out_once_and_again_is_a_no_op(relays, tmp_path):
    one, two = relays
    store = DraftStore(tmp_path / "drafts")
    draft = store.new(NOTE, accounts=["nostr"])
    store.save(draft)
    one.inject("drop-after-commit")
    two.inject("drop-after-commit")
    first = await publish_draft(store, draft.id, {"nostr": client(one, two)})
    assert first["nostr"].status == "queued" and first["nostr"].uncertain
    second = await publish_draft(store, draft.id, {"nostr": client(one, two)})
    third = await publish_draft(store, draft.id, {"nostr": client(one, two)})
    assert second["nostr"].status == third["nostr"].status == "sent"
    assert len(one.notes()) == len(two.notes()) == 1
    assert second["nostr"].url == f"nostr:{note_id(one.notes()[0]['id'])}"
    text = Path(store.load(draft.id).path or "").read_text("utf-8")
    assert NSEC not in text and NSEC_HEX not in text


# ---------------------------------------------------------------------- humane accounts add


@pytest.mark.keyring
def test_accounts_add_nostr_keeps_the_key_in_the_keyring(relays, keyring_env):
    from composer.accounts import SecretStore

    one, two = relays
    env = dict(os.environ)
    r = subprocess.run([humane_command(), "accounts", "add", "nostr", "--platform", "nostr",
                        "--server", f"{one.url}, {two.url}", "--secret-stdin"], input=NSEC + "\n",
                       capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 0, r.stderr
    assert NPUB in r.stdout
    config_text = Path(os.environ["HUMANE_CONFIG"]).read_text("utf-8")
    assert NSEC not in config_text + r.stdout + r.stderr and NSEC_HEX not in config_text
    saved = tomllib.loads(config_text)["accounts"]["nostr"]
    assert saved["platform"] == "nostr" and saved["server"] == f"{one.url},{two.url}"
    assert SecretStore().get("nostr").reveal() == NSEC
    r = subprocess.run([humane_command(), "accounts", "verify", "nostr"], capture_output=True, text=True,
                       timeout=60, env=env)
    assert r.returncode == 0 and NPUB in r.stdout, r.stderr
    r = subprocess.run([humane_command(), "accounts", "add", "far", "--platform", "nostr", "--server",
                        f"{one.url},ws://relay.example", "--secret-stdin"], input=NSEC + "\n",
                       capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 2 and "plain ws" in r.stderr and NSEC not in r.stderr


def test_config_takes_the_npub_and_refuses_the_nsec():
    from composer.config import secret_reason

    assert secret_reason("handle", NPUB) is None
    assert "Nostr nsec key" in (secret_reason("handle", NSEC) or "")
