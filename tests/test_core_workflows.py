"""The workflows both faces call: the publish gate, account set-up, the draft session, the delivery
states and the words for errors and deliveries. No Textual, no subprocess: the core in-process."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from composer.accounts import SecretStore
from composer.accounts.setup import (
    SetupError,
    add_account,
    check_new_account,
    remove_account,
    verify_account,
)
from composer.config import AccountConfig, Config, load_config
from composer.drafts import Delivery, Draft, DraftError, DraftNotFound, DraftSession, DraftStore, find_draft
from composer.drafts.model import ERROR_KINDS
from composer.guidelines.model import Finding, Report
from composer.lines import LineIndex
from composer.platforms.base import AuthError, PartRecord, PlatformError, Rejected, Secret
from composer.publish import BLOCKERS, check_publish
from composer.words import COMMAND_LINE, COMPOSER, account_label, delivery_words, explain
from tests.fakes.keyring import memory_backend
from tests.fakes.mastodon import FakeMastodon

TOKEN = "tok-CORE-WORKFLOWS-7d1e93"
PURPOSE = "To invite the neighbours to the street fair"
BODY = "The street fair is back on Saturday from noon on Elm Street."


# --------------------------------------------------------------------------- delivery states


def _all_subclasses(cls: type) -> list[type]:
    out = []
    for sub in cls.__subclasses__():
        out += [sub, *_all_subclasses(sub)]
    return out


def test_every_platform_error_kind_is_a_known_delivery_error_kind() -> None:
    from composer.platforms import PLATFORMS, client_class

    for name in PLATFORMS:
        client_class(name)  # load every client, and the errors it defines
    kinds = {PlatformError.kind} | {sub.kind for sub in _all_subclasses(PlatformError)}
    assert {"auth", "rate-limited", "rejected", "transient", "needs-check", "insecure"} <= kinds
    assert kinds <= set(ERROR_KINDS)
    assert {"empty", "edited"} <= set(ERROR_KINDS)


def test_delivery_state_changes() -> None:
    d = Delivery("home")
    records = [PartRecord("k1", "d1"), PartRecord("k2", "d2")]
    d.sending(records, attempts=1)
    assert (d.status, d.attempts, d.parts) == ("sending", 1, records) and d.parts is not records
    d.progress([records[0].done("1", "https://x.example/1"), records[1]])
    assert d.sent_parts == 1
    later = datetime(2030, 1, 1, tzinfo=UTC)
    d.wait("transient", "Could not reach it.", later, 2, ambiguous=True)
    assert (d.status, d.next_try, d.attempts, d.uncertain, d.error_kind) == ("queued", later, 2, True, "transient")
    d.wait("rate-limited", "Slow down.", later, 3, ambiguous=False)
    assert d.uncertain  # once uncertain, a later clean failure does not make it certain again
    d.fail("needs-check", "The answer was lost.", uncertain=True)
    assert d.status == "failed" and d.next_try is None and d.waits_for_writer
    d.sent([records[0].done("1", "https://x.example/1"), records[1].done("2", "https://x.example/2")])
    assert (d.status, d.url, d.error, d.error_kind, d.uncertain) == ("sent", "https://x.example/1", None, None, False)
    d.reset()
    assert (d.status, d.parts, d.url, d.attempts, d.account) == ("pending", [], None, 0, "home")
    assert d.updated is not None
    d.fail("rejected", "Too long.", attempts=4)
    assert not d.waits_for_writer and d.attempts == 4
    d.mark_sent("https://x.example/9")
    assert (d.status, d.url, d.error) == ("sent", "https://x.example/9", None)


# --------------------------------------------------------------------------- words


def test_explain_says_any_error_in_one_line() -> None:
    err = Rejected("The server refused   the post", hint="Shorten it.")
    assert explain(err) == err.explain().replace("   ", " ")
    assert explain(KeyError("unknown platform 'x'")) == "unknown platform 'x'."
    assert explain(ValueError("")) == "ValueError."
    assert explain(OSError("disk\nfull")) == "disk full."
    assert explain(AuthError("Bad token.", hint="Log in again (`humane accounts add`)")).endswith(")")


def test_delivery_words_in_each_voice() -> None:
    sent = Delivery("home", status="sent", url="https://x.example/1")
    assert delivery_words(sent).text == "✓ published: https://x.example/1"
    assert delivery_words(sent, COMMAND_LINE).text == "https://x.example/1"
    assert delivery_words(Delivery("home", status="sent"), COMMAND_LINE).text == "published (the server gave no address)"
    at = datetime(2030, 1, 1, 12, 30, 45, tzinfo=UTC)
    queued = Delivery("home", status="queued", error="Could not reach it.", next_try=at)
    local = at.astimezone()
    words = delivery_words(queued)
    assert words.state == "queued"
    assert words.text == f"⏸ waits in the outbox: Could not reach it. Next try after {local:%H:%M}. `humane outbox flush` sends it."
    cli = delivery_words(queued, COMMAND_LINE.but(queued="Run it again."))
    assert cli.text == f"waits in the outbox: Could not reach it. Next try after {local:%H:%M:%S}. Run it again."
    check = delivery_words(Delivery("home", status="failed", error_kind="needs-check"))
    assert check.state == "needs-check" and check.text.startswith("? not confirmed: the answer was lost")
    assert "Mark as sent" in check.text
    assert delivery_words(Delivery("home", status="failed", error="No.", error_kind="needs-check"), COMMAND_LINE).text == "failed: No."
    assert delivery_words(Delivery("home", status="failed", error_kind="rejected")).text == "✖ not published: the server refused it"
    parts = [PartRecord("a", "1", id="1"), PartRecord("b", "2")]
    assert delivery_words(Delivery("home", status="sending", parts=parts)) == delivery_words(
        Delivery("home", status="sending", parts=parts), COMPOSER)
    assert delivery_words(Delivery("home", status="sending", parts=parts)).text == "sending… (1/2 parts)"
    assert delivery_words(Delivery("home")).text == "waiting…"


def test_account_label_and_line_columns() -> None:
    assert account_label(AccountConfig("home", "mastodon", server="https://social.example/")) == "home (social.example)"
    assert account_label(AccountConfig("sky", "bluesky", handle="a.test")) == "sky (a.test)"
    index = LineIndex("one\ntwo words\nthree")
    assert index.line_col(0) == (1, 1)
    assert index.line_col(8) == (2, 5)
    assert index.line_col(8, first_line=4) == (5, 5)
    assert LineIndex("a\r\nbc", "\r\n").location(4) == (1, 1)


# --------------------------------------------------------------------------- the publish gate


def _config(*accounts: tuple[str, str], **options) -> Config:
    return Config(accounts={
        name: AccountConfig(name, platform, server="https://social.example", handle="alice", options=options)
        for name, platform in accounts
    })


def test_the_gate_says_why_not_in_order() -> None:
    config = _config(("home", "mastodon"), ("sky", "bluesky"))
    draft = Draft(id="d1", body=BODY, purpose=PURPOSE)
    assert check_publish(draft, ["home"], config, config_error="line 3: bad").blocker == "config"
    unknown = check_publish(draft, ["home", "ghost"], config)
    assert unknown.blocker == "unknown-accounts" and "'ghost'" in unknown.message and "home, sky" in unknown.message
    assert check_publish(draft, [], Config()).blocker == "no-accounts"
    assert check_publish(draft, [], config).blocker == "nothing-chosen"
    empty = check_publish(Draft(id="d2", body="  \n", purpose=PURPOSE), ["home"], config)
    assert empty.blocker == "empty" and empty.analysis is None
    no_purpose = check_publish(Draft(id="d3", body=BODY), ["home"], config)
    assert no_purpose.blocker == "guidelines" and [f.rule for f in no_purpose.errors] == ["purpose.missing"]
    ok = check_publish(draft, ["home", "sky"], config)
    assert ok.ok and ok.accounts == ("home", "sky") and ok.analysis is not None and ok.errors == []
    assert {b.account for b in ok.analysis.budgets} == {"home", "sky"}
    assert set(BLOCKERS) >= {"config", "unknown-accounts", "no-accounts", "nothing-chosen", "empty", "guidelines"}


def test_the_gate_checks_the_text_on_screen_and_the_accounts_own_limits() -> None:
    draft = Draft(id="d1", body="", purpose="")
    long_text = "Words for the reading group, said at length. " * 18  # about 800 characters
    config = _config(("home", "mastodon"))
    over = check_publish(draft, ["home"], config, body=long_text, purpose=PURPOSE)
    assert over.ok and any(f.category == "length" for f in over.report.findings)
    roomy = check_publish(draft, ["home"], _config(("home", "mastodon"), max_chars=1000), body=long_text, purpose=PURPOSE)
    assert roomy.ok and not any(f.category == "length" for f in roomy.report.findings)


def test_the_gate_stops_when_the_checks_fail_and_when_all_is_published() -> None:
    config = _config(("home", "mastodon"), ("sky", "bluesky"))
    draft = Draft(id="d1", body=BODY, purpose=PURPOSE)

    def broken(*args, **kwargs) -> Report:
        raise RuntimeError("a bug")

    crashed = check_publish(draft, ["home"], config, analyzer=broken)
    assert crashed.blocker == "checks" and "Nothing was sent" in crashed.message
    draft.deliveries["home"] = Delivery("home", status="sent", url="https://social.example/@alice/1")
    done = check_publish(draft, ["home"], config)
    assert done.blocker == "already-published" and "https://social.example/@alice/1" in done.message
    partly = check_publish(draft, ["home", "sky"], config)
    assert partly.ok and dict(partly.published) == {"home": "https://social.example/@alice/1"}

    def warn(text, purpose=None, **kwargs) -> Report:
        return Report(findings=[Finding("shouting.caps", "shouting", "warning", 0, 3, "Quieter.")], words=3)

    warned = check_publish(Draft(id="d4", body=BODY, purpose=PURPOSE), ["home"], config, analyzer=warn)
    assert warned.ok and [f.rule for f in warned.warnings] == ["shouting.caps"]


# --------------------------------------------------------------------------- accounts


def memory_store() -> SecretStore:
    return SecretStore(memory_backend())


def test_a_new_account_is_checked_before_anything_is_asked() -> None:
    config = Config(accounts={"home": AccountConfig("home", "mastodon", server="https://social.example")})
    cases = [
        (("my account", "mastodon"), {}, "name"),
        (("home", "bluesky"), {}, "name"),
        (("x", "myspace"), {}, "platform"),
        (("x", "mastodon"), {}, "server"),
        (("x", "mastodon"), {"server": "http://social.example"}, "server"),
        (("x", "bluesky"), {"can_ask": False}, "handle"),
    ]
    for args, kwargs, field in cases:
        with pytest.raises(SetupError) as info:
            check_new_account(config, *args, **kwargs)
        assert info.value.usage and info.value.field == field, (args, str(info.value))
    again = check_new_account(config, "home", "mastodon")
    assert again.existing is not None and again.server == "https://social.example"
    sky = check_new_account(config, "sky", "bluesky", handle=" a.test ")
    assert sky.handle == "a.test" and sky.server and sky.client.label == "Bluesky"


async def test_add_verify_and_remove_an_account(tmp_path) -> None:
    store = memory_store()
    path = tmp_path / "config.toml"
    asked: list[tuple[str, bool]] = []

    def ask(prompt: str, secret: bool) -> str:
        asked.append((prompt, secret))
        return TOKEN

    with FakeMastodon() as server:
        server.add_account("alice", token=TOKEN)
        config = Config(path=path)
        new = check_new_account(config, "work", "mastodon", server=server.url)
        added = await add_account(config, new, ask, store=store)
        assert not added.again and added.account.server == server.url and added.identity.handle.startswith("alice")
        assert asked and asked[0][1] is True
        assert store.get("work") == Secret(TOKEN) and TOKEN not in path.read_text("utf-8")
        config = load_config(path)
        assert config.accounts["work"].platform == "mastodon"

        async def open(name: str):
            from composer.accounts import open_client

            return await open_client(name, config=config, store=store)

        closed = []

        async def release(client) -> None:
            closed.append(client)
            await client.http.aclose()

        identity = await verify_account("work", config, open=open, release=release)
        assert identity.handle == added.identity.handle and len(closed) == 1

        again = await add_account(config, check_new_account(config, "work", "mastodon"), ask, store=store)
        assert again.again

        with pytest.raises(SetupError) as info:  # a wrong token: nothing is kept
            bad = check_new_account(config, "wrong", "mastodon", server=server.url)
            await add_account(config, bad, lambda prompt, secret: "not-the-token", store=store)
        assert not info.value.usage and "Nothing was saved" in str(info.value) and "not-the-token" not in str(info.value)
        assert store.get("wrong") is None and "wrong" not in load_config(path).accounts

    removed = remove_account(config, "work", store=store)
    assert removed.from_config and not removed.keyring_problem and store.get("work") is None
    assert "work" not in load_config(path).accounts
    with pytest.raises(SetupError) as info:
        remove_account(load_config(path), "work", store=store)
    assert info.value.usage and "no account named 'work'" in str(info.value)


async def test_add_account_keeps_nothing_without_a_keyring(tmp_path) -> None:
    config = Config(path=tmp_path / "config.toml")
    new = check_new_account(config, "work", "mastodon", server="https://social.example")
    asked = []
    with pytest.raises(SetupError) as info:
        await add_account(config, new, lambda prompt, secret: asked.append(prompt) or TOKEN)  # the fail backend
    assert "Nothing was saved" in str(info.value) and asked == [] and not config.path.exists()


# --------------------------------------------------------------------------- the draft session


def test_find_draft_by_path_id_and_new_file(tmp_path) -> None:
    store = DraftStore(tmp_path / "data")
    saved = store.new(BODY, PURPOSE)
    store.save(saved)
    assert find_draft(store, saved.id)[0].body == BODY
    assert find_draft(store, saved.id[-6:])[0].id == saved.id
    assert find_draft(store, str(saved.path)) == (find_draft(store, saved.id)[0], "")
    with pytest.raises(DraftError, match="is a folder"):
        find_draft(store, tmp_path)
    with pytest.raises(DraftNotFound):
        find_draft(store, tmp_path / "note.md")
    new, notice = find_draft(store, tmp_path / "note.md", create=True)
    assert new.path == tmp_path / "note.md" and new.id == "note" and "does not exist yet" in notice
    with pytest.raises(DraftNotFound, match="does not exist"):
        find_draft(store, tmp_path / "nowhere" / "note.md", create=True)


def test_draft_session_open_edit_save_publish_delete(tmp_path) -> None:
    session = DraftSession(data_dir=tmp_path / "data")
    draft = session.fresh(["home"])
    assert draft.accounts == ["home"] and session.fresh(["home", "sky"]).accounts == []
    assert session.open(draft, autosave_seconds=600) == ""
    assert session.marker is not None and session.marker.path.exists()
    assert session.save_now(skip_empty=True) is None and not draft.path.exists()  # untouched: no file
    session.changed(body=BODY, purpose=PURPOSE)
    assert session.due() is session.autosaver  # the first change is written at once
    assert session.save_now() == "" and session.store.load(draft.id).body == BODY
    session.changed(body=BODY + " More.")
    assert session.due() is None  # then at most every autosave interval
    assert session.prepare_publish() is draft

    def sent(current: Draft) -> None:
        current.deliveries["home"] = Delivery("home", status="sent", url="https://x.example/1")

    session.store.update(draft, sent)
    session.refresh_deliveries()
    assert draft.deliveries["home"].url == "https://x.example/1"
    other = session.store.new("Another one.")
    session.store.save(other)
    assert session.delete(other.id) is False and session.draft is draft
    assert session.delete(draft.id) is True and session.draft is None
    assert [d.id for d in session.store.list()] == []
    session.close()
    assert session.marker is None


def test_draft_session_says_why_a_save_failed(tmp_path) -> None:
    in_the_way = tmp_path / "note.md"
    in_the_way.mkdir()  # a folder where the draft file should go: the write fails, whoever runs it
    draft = Draft(id="note", path=in_the_way)
    session = DraftSession(data_dir=tmp_path / "data")
    session.open(draft, autosave_seconds=0)
    session.changed(body=BODY)
    error = session.save_now()
    assert error and "your text is still here" in error
    with pytest.raises(OSError, match="your text is still here"):
        session.prepare_publish()
    assert draft.body == BODY  # nothing typed is lost
    in_the_way.rmdir()
    assert session.save_now() == "" and in_the_way.is_file()
