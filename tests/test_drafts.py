"""Draft files: exact round trip, hand-written files, unreadable files, listing, trash."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composer.drafts import Delivery, Draft, DraftError, DraftNotFound, DraftStore, frontmatter
from composer.drafts.store import draft_to_meta
from composer.platforms.base import PartRecord
from composer.platforms.untrusted import sanitise

# Text with the awkward cases over-represented: fences, CR/LF mixes, blanks, NUL, emoji, RTL.
AWKWARD = st.sampled_from(
    ["+++", "+++\n", "\n+++\n", "\r\n", "\r", "\n", "  ", "\t", "\x00", "😀", "👩‍👩‍👧", "שלום", "مرحبا",
     "\u202e", "\u2028", "\ufeff", '"""', "'''", "[x]", "a = 1", "\\", "é", "e\u0301"]
)
TEXT = st.lists(st.one_of(st.text(), AWKWARD), max_size=12).map("".join)


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "data")


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(body=TEXT, purpose=TEXT, cw=TEXT, account=st.text(min_size=1, max_size=20))
def test_round_trip_is_exact(store: DraftStore, body: str, purpose: str, cw: str, account: str) -> None:
    draft = store.new(body=body, purpose=purpose)
    draft.content_warning = cw
    draft.accounts = [account]
    draft.deliveries[account] = Delivery(
        account=account,
        status="queued",
        parts=[PartRecord(key="k1", digest="d1", id="1", url="https://x/1", extra={"cid": purpose[:5]})],
        error=sanitise(purpose),  # a server's words: the app keeps them without control characters
        error_kind="transient",
        attempts=2,
        next_try=datetime(2030, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
        updated=datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    path = store.save(draft)
    back = store.load(draft.id)
    assert back == draft
    assert back.body == body  # byte for byte: compare the encodings too
    assert back.body.encode("utf-8") == body.encode("utf-8")
    # The body is the tail of the file, unchanged.
    assert path.read_bytes().endswith(body.encode("utf-8"))


def test_body_with_fence_lines_and_crlf(store: DraftStore) -> None:
    body = "+++\r\nschema = 9\r\n+++\r\n\r\nend  \r"
    draft = store.new(body=body, purpose="+++\n+++")
    store.save(draft)
    assert store.load(draft.id).body == body
    assert store.load(draft.id).purpose == "+++\n+++"


def test_lone_surrogate_is_replaced_not_refused(store: DraftStore) -> None:
    draft = store.new(body="half \ud83d pair")
    store.save(draft)
    assert store.load(draft.id).body == "half \ufffd pair"


def test_hand_written_file_gets_defaults(store: DraftStore) -> None:
    store.drafts_dir.mkdir(parents=True)
    path = store.drafts_dir / "my-note.md"
    path.write_bytes(b'+++\r\npurpose = "tell friends"\r\naccounts = "work"\r\n+++\r\nHello\r\nthere\r\n')
    d = store.load("my-note")
    assert d.id == "my-note"
    assert d.purpose == "tell friends"
    assert d.accounts == ["work"]
    assert d.body == "Hello\r\nthere\r\n"
    assert d.created.tzinfo is not None and d.deliveries == {}


def test_plain_markdown_without_front_matter_is_all_body(store: DraftStore) -> None:
    store.drafts_dir.mkdir(parents=True)
    (store.drafts_dir / "plain.md").write_bytes(b"\xef\xbb\xbf# Title\n\nText +++\n")
    d = store.load("plain")
    assert d.body == "# Title\n\nText +++\n"
    assert d.title == "# Title"


def test_unknown_keys_are_kept(store: DraftStore) -> None:
    store.drafts_dir.mkdir(parents=True)
    (store.drafts_dir / "x.md").write_text('+++\nseries = ["a", "b"]\n[meta]\nmood = "ok"\n+++\nbody')
    d = store.load("x")
    assert d.extra == {"series": ["a", "b"], "meta": {"mood": "ok"}}
    d.body = "changed"
    store.save(d)
    again = store.load("x")
    assert again.extra == d.extra and again.body == "changed"


@pytest.mark.parametrize(
    "content, line, words",
    [
        (b"+++\npurpose = \"x\"\nbody without end\n", 1, "no closing `+++`"),
        (b"+++\npurpose = \"x\"\npurpose = 2\n+++\nbody\n", 3, "not valid TOML"),
        (b"+++\npurpose = x y\n+++\nbody\n", 2, "not valid TOML"),
        (b"+++\npurpose = \"ok\"\n+++\nline one\n\xff\xfe bad\n", 5, "not UTF-8"),
        (b"+++\npurpose = \"\xe9\"\n+++\nbody\n", 2, "not UTF-8"),
        (b"+++\naccounts = 5\n+++\nbody\n", 2, "`accounts` must be a list"),
        (b"+++\n[deliveries.w]\nstatus = \"flying\"\n+++\nbody\n", 3, "`deliveries.w.status` is 'flying'"),
        (b"+++\ncreated = \"yesterday\"\n+++\nbody\n", 2, "`created` must be a date"),
        (b"+++\nschema = 99\n+++\nbody\n", 2, "newer Humane Composer"),
        (b"+++", 1, "no end"),
    ],
)
def test_unreadable_file_names_file_line_and_problem(
    store: DraftStore, content: bytes, line: int, words: str
) -> None:
    store.drafts_dir.mkdir(parents=True)
    path = store.drafts_dir / "broken.md"
    path.write_bytes(content)
    with pytest.raises(DraftError) as info:
        store.load("broken")
    err = info.value
    assert err.path == path and err.line == line
    assert words in str(err)
    assert str(err).startswith(f"{path}:{line}: ")
    assert err.raw == content.decode("utf-8", "replace")  # the text stays readable
    assert path.read_bytes() == content  # never touched


def test_list_is_newest_first_and_skips_unreadable(store: DraftStore) -> None:
    a = store.new(body="first")
    a.updated = datetime(2024, 1, 1, tzinfo=UTC)
    b = store.new(body="second")
    b.updated = datetime(2025, 1, 1, tzinfo=UTC)
    store.save(a)
    store.save(b)
    (store.drafts_dir / "bad.md").write_bytes(b"+++\nnope\n")
    (store.drafts_dir / ".hidden.md").write_text("ignored")
    (store.drafts_dir / "notes.txt").write_text("ignored")
    listed = store.list()
    assert [d.id for d in listed] == [b.id, a.id]
    assert [e.path.name for e in listed.errors] == ["bad.md"]
    assert (store.drafts_dir / "bad.md").exists()


def test_empty_store_lists_nothing(store: DraftStore) -> None:
    listed = store.list()
    assert list(listed) == [] and listed.errors == []


def test_new_draft_leaves_no_file_until_saved(store: DraftStore) -> None:
    d = store.new()
    assert not store.path(d.id).exists()
    store.save(d)
    assert store.path(d.id).exists()
    assert oct(store.path(d.id).stat().st_mode & 0o777) == "0o600"


def test_ids_are_unique_and_prefix_lookup_works(store: DraftStore) -> None:
    ids = {store.new().id for _ in range(200)}
    assert len(ids) == 200
    d = store.new(body="x")
    store.save(d)
    assert store.load(d.id[:-1]).id == d.id  # unique prefix
    with pytest.raises(DraftNotFound, match="humane drafts list"):
        store.load("nothing-like-it")
    with pytest.raises(DraftNotFound, match="not a draft id"):
        store.path("../x")


def test_ambiguous_prefix_is_refused(store: DraftStore) -> None:
    store.drafts_dir.mkdir(parents=True)
    for name in ("abc1", "abc2"):
        (store.drafts_dir / f"{name}.md").write_text("x")
    with pytest.raises(DraftNotFound, match="matches 2 drafts"):
        store.load("abc")


def test_load_by_path_and_save_back_there(store: DraftStore, tmp_path: Path) -> None:
    path = tmp_path / "elsewhere" / "post.md"
    path.parent.mkdir()
    path.write_text("+++\npurpose = \"p\"\n+++\nhi\n")
    d = store.load(path)
    assert d.id == "post" and d.path == path
    d.body = "hi again\n"
    assert store.save(d) == path
    assert path.read_text().endswith("+++\nhi again\n")
    assert not store.path("post").exists()


def test_trash_and_restore(store: DraftStore) -> None:
    d = store.new(body="keep me")
    store.save(d)
    where = store.delete(d.id)
    assert where.parent == store.trash_dir and where.exists()
    assert not store.path(d.id).exists()
    assert [t.id for t in store.list_trash()] == [d.id]
    back = store.restore(d.id)
    assert back == store.path(d.id)
    assert store.load(d.id).body == "keep me"
    assert not where.exists()


def test_trash_keeps_both_copies_of_the_same_id(store: DraftStore) -> None:
    d = store.new(body="one")
    store.save(d)
    first = store.delete(d.id)
    d2 = Draft(id=d.id, body="two")
    store.save(d2)
    second = store.delete(d.id)
    assert first != second and first.exists() and second.exists()
    assert store.restore(second.stem) == store.path(d.id)
    assert store.load(d.id).body == "two"
    with pytest.raises(FileExistsError, match="already exists"):
        store.restore(first.stem)
    assert first.exists()


def test_unreadable_file_can_be_trashed_unchanged(store: DraftStore) -> None:
    store.drafts_dir.mkdir(parents=True)
    path = store.drafts_dir / "bad.md"
    path.write_bytes(b"+++\n\xff\n")
    moved = store.delete("bad")
    assert moved.read_bytes() == b"+++\n\xff\n"


def test_save_never_overwrites_an_unreadable_file(store: DraftStore) -> None:
    d = store.new(body="mine")
    store.save(d)
    path = store.path(d.id)
    path.write_bytes(b"+++\nbroken = \n+++\nsomeone's words\n")  # broken by hand while open
    d.body = "mine, newer"
    store.save(d)
    assert store.load(d.id).body == "mine, newer"
    assert len(store.set_aside) == 1
    kept = store.set_aside[0]
    assert kept.read_bytes() == b"+++\nbroken = \n+++\nsomeone's words\n"
    assert "unreadable" in kept.name
    assert [e.path for e in store.list().errors] == [kept]


def test_save_keeps_another_programs_edit_as_a_conflict_copy(store: DraftStore) -> None:
    d = store.new(body="v1")
    d.deliveries["w"] = Delivery(account="w", status="queued", parts=[PartRecord(key="k", digest="x")])
    store.save(d)
    other = DraftStore(store.root)
    theirs = other.load(d.id)
    theirs.body = "edited elsewhere"
    os.utime(store.path(d.id), ns=(1, 1))  # make sure the file looks different even on coarse clocks
    other.save(theirs)
    d.body = "v2 here"
    store.save(d)
    assert store.load(d.id).body == "v2 here"
    copies = [p for p in store.drafts_dir.iterdir() if ".conflict-" in p.name]
    assert len(copies) == 1
    copy = store.load(copies[0])
    assert copy.body == "edited elsewhere"
    assert copy.deliveries == {}  # a copy is never sent again


def test_update_merges_delivery_state_from_other_writers(store: DraftStore) -> None:
    d = store.new(body="text")
    store.save(d)
    other = DraftStore(store.root)

    def add(dr: Draft) -> None:
        dr.deliveries["a"] = Delivery(account="a", status="sent", url="https://x/1")

    other.update(d.id, add)

    def edit(dr: Draft) -> None:
        dr.body = "new text"

    result = store.update(d.id, edit)
    assert result.deliveries["a"].status == "sent"
    assert store.load(d.id).body == "new text"
    assert store.set_aside == []


def test_meta_has_every_field_in_order(store: DraftStore) -> None:
    d = store.new(body="b", purpose="p")
    d.deliveries["x"] = Delivery(account="x")
    meta = draft_to_meta(d)
    assert list(meta)[:8] == ["schema", "id", "purpose", "accounts", "content_warning", "created", "updated", "deliveries"]
    data = frontmatter.dump(meta, "b")
    assert data.startswith(b"+++\nschema = 1\n")
    assert b"\n+++\nb" in data


def test_cleanup_removes_temp_files_of_dead_writers(store: DraftStore) -> None:
    store.drafts_dir.mkdir(parents=True)
    dead = store.drafts_dir / ".x.md.999999999.abcd.tmp"
    alive = store.drafts_dir / f".x.md.{os.getpid()}.abcd.tmp"
    dead.write_text("partial")
    alive.write_text("in progress")
    store.list()
    assert not dead.exists() and alive.exists()
