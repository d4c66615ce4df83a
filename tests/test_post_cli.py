"""`humane post PATH --to ACCOUNT...`: the installed command against the fake Mastodon and Bluesky
servers on 127.0.0.1, with the accounts' secrets in a real Secret Service."""

from __future__ import annotations

from pathlib import Path

import pytest

from composer.accounts import SecretStore
from composer.drafts import DraftStore
from tests.command import humane, mastodon_and_bluesky
from tests.keyring_fixture import FAIL_BACKEND, keyring_env, keyring_service  # noqa: F401 (fixtures)

TOKEN = "tok-POST-CLI-8e41f07b2d"
APP_PASSWORD = "wxyz-abcd-efgh-ijkl"
PURPOSE = "to tell friends about the reading group"
BODY = "The reading group meets on Thursday at the library, 7 pm. Bring the book if you have it."

pytestmark = pytest.mark.keyring


@pytest.fixture
def servers(keyring_env):
    """A Mastodon and a Bluesky server, with accounts `masto` and `sky` added through the CLI."""
    with mastodon_and_bluesky(TOKEN, APP_PASSWORD) as servers:
        yield servers


def new_draft(body: str = BODY, purpose: str = PURPOSE) -> Path:
    store = DraftStore()
    draft = store.new(body=body, purpose=purpose)
    return store.save(draft)


def deliveries(path: Path):
    return DraftStore().load(path).deliveries


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_publishes_to_both_accounts_and_records_the_results(servers) -> None:
    mastodon, bluesky = servers
    path = new_draft()
    r = humane("post", str(path), "--to", "masto", "sky")
    assert r.returncode == 0, r.stdout + r.stderr
    out = lines(r.stdout)
    assert len(out) == 2
    assert out[0].startswith(f"masto: {mastodon.url}/")
    assert out[1].startswith("sky: https://bsky.app/profile/alice.test/post/")
    assert [s["text"] for s in mastodon.posts()] == [BODY]
    assert [p.value["text"] for p in bluesky.posts()] == [BODY]
    saved = deliveries(path)
    assert saved["masto"].status == "sent" and saved["masto"].url == out[0].split(": ", 1)[1]
    assert saved["sky"].status == "sent" and saved["sky"].url == out[1].split(": ", 1)[1]
    # Posting again publishes nothing new and prints the same addresses.
    again = humane("post", str(path), "--to", "masto", "sky")
    assert again.returncode == 0 and lines(again.stdout) == out
    assert len(mastodon.posts()) == 1 and len(bluesky.posts()) == 1


def test_by_draft_id_and_a_long_text_becomes_a_thread(servers) -> None:
    mastodon, bluesky = servers
    body = " ".join(f"Sentence number {i} about the reading group and its books." for i in range(40))
    path = new_draft(body)
    r = humane("post", path.stem, "--to", "masto", "--to", "sky")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "length.bluesky" in r.stderr and "thread" in r.stderr  # the warning is shown, the post goes on
    assert len(mastodon.posts()) >= 2 and len(bluesky.posts()) >= 2
    replies = [s for s in mastodon.posts() if s.get("in_reply_to_id")]
    assert len(replies) == len(mastodon.posts()) - 1


def test_guideline_errors_stop_it(servers) -> None:
    mastodon, bluesky = servers
    path = new_draft(purpose="")
    r = humane("post", str(path), "--to", "masto")
    assert r.returncode == 2
    err = lines(r.stderr)
    assert any(line.startswith(f"{path}:") and " error purpose.missing: " in line for line in err)
    assert "not published" in err[-1]
    assert r.stdout == "" and mastodon.posts() == [] and mastodon.requests("POST") == []
    assert deliveries(path) == {}


def test_warning_findings_are_printed_like_humane_check(servers) -> None:
    mastodon, _ = servers
    body = "Reading group on Thursday.\nWrite to me at bob@example.com for the address."
    path = new_draft(body)
    check = humane("check", str(path))  # before: publishing adds the results to the front matter
    full = path.read_text("utf-8")
    r = humane("post", str(path), "--to", "masto")
    assert r.returncode == 0, r.stderr
    email = [line for line in lines(check.stdout) if "personal-info.email" in line]
    assert email and email[0] in lines(r.stderr)
    body_first_line = full[: full.index(body)].count("\n") + 1
    assert email[0].split(":")[1] == str(body_first_line + 1)  # the address is on the body's 2nd line
    assert len(mastodon.posts()) == 1


def test_bad_usage(servers, tmp_path) -> None:
    path = new_draft()
    r = humane("post", str(path), "--to", "masto", "nobody", "ghost")
    assert r.returncode == 2
    line = lines(r.stderr)
    assert len(line) == 1 and "'nobody', 'ghost'" in line[0] and "masto" in line[0] and "sky" in line[0]
    r = humane("post", str(tmp_path / "missing.md"), "--to", "masto")
    assert r.returncode == 2 and len(lines(r.stderr)) == 1 and "missing.md" in r.stderr
    broken = tmp_path / "broken.md"
    broken.write_text("+++\npurpose = \n+++\nbody\n")
    r = humane("post", str(broken), "--to", "masto")
    assert r.returncode == 2 and len(lines(r.stderr)) == 1 and "broken.md:2" in r.stderr
    empty = new_draft(body="  \n")
    r = humane("post", str(empty), "--to", "masto")
    assert r.returncode == 2 and "empty" in r.stderr
    r = humane("post", str(path))
    assert r.returncode == 2 and "--to" in r.stderr
    assert "Traceback" not in r.stderr


def test_transient_failure_waits_in_the_outbox_then_goes_out_once(servers) -> None:
    mastodon, bluesky = servers
    path = new_draft()
    mastodon.inject("status", path="/api/v1/statuses", method="POST", status=503, body={"error": "busy"})
    r = humane("post", str(path), "--to", "masto", "sky")
    assert r.returncode == 1
    out = lines(r.stdout)
    assert out[0].startswith("masto: waits in the outbox:") and "humane outbox flush" in out[0]
    assert out[1].startswith("sky: https://bsky.app/")
    assert deliveries(path)["masto"].status == "queued"
    r = humane("post", str(path), "--to", "masto", "sky")
    assert r.returncode == 0, r.stdout
    assert len(mastodon.posts()) == 1 and len(bluesky.posts()) == 1


@pytest.mark.parametrize("platform", ["mastodon", "bluesky"])
def test_dropped_answer_then_retry_leaves_one_post(servers, platform) -> None:
    mastodon, bluesky = servers
    path = new_draft()
    if platform == "mastodon":
        mastodon.inject("drop-after-commit", path="/api/v1/statuses", method="POST")
        name, count = "masto", lambda: len(mastodon.posts())
    else:
        bluesky.inject("drop-after-commit", path="/xrpc/com.atproto.repo.createRecord", method="POST")
        name, count = "sky", lambda: len(bluesky.posts())
    r = humane("post", str(path), "--to", name)
    assert r.returncode == 1 and "waits in the outbox" in r.stdout
    assert count() == 1  # the server has it; we do not know yet
    r = humane("post", str(path), "--to", name)
    assert r.returncode == 0, r.stdout
    assert count() == 1
    assert deliveries(path)[name].status == "sent"


def test_revoked_token_fails_with_what_to_do(servers) -> None:
    mastodon, _ = servers
    mastodon.revoke(TOKEN)
    path = new_draft()
    r = humane("post", str(path), "--to", "masto", "sky")
    assert r.returncode == 1
    out = lines(r.stdout)
    assert out[0].startswith("masto: failed:") and "humane accounts add" in out[0] and TOKEN not in out[0]
    assert out[1].startswith("sky: https://")
    assert deliveries(path)["masto"].error_kind == "auth"


def test_missing_secret_and_no_keyring(servers, monkeypatch) -> None:
    mastodon, bluesky = servers
    SecretStore().delete("masto")
    path = new_draft()
    r = humane("post", str(path), "--to", "masto", "sky")
    assert r.returncode == 1
    out = lines(r.stdout)
    assert out[0].startswith("masto: not published: The keyring holds no secret for the account 'masto'")
    assert "humane accounts add masto --platform mastodon" in out[0]
    assert out[1].startswith("sky: https://")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", FAIL_BACKEND)
    path = new_draft(BODY + " Second one.")
    r = humane("post", str(path), "--to", "sky")
    assert r.returncode == 1
    assert lines(r.stdout) == [lines(r.stdout)[0]] and "gnome-keyring" in r.stdout
    assert len(bluesky.posts()) == 1


def test_a_draft_file_outside_the_drafts_folder(servers, tmp_path) -> None:
    mastodon, _ = servers
    path = tmp_path / "note.md"
    path.write_text(f'+++\npurpose = "{PURPOSE}"\n+++\n{BODY}\n', encoding="utf-8")
    mastodon.inject("status", path="/api/v1/statuses", method="POST", status=502)
    r = humane("post", str(path), "--to", "masto")
    assert r.returncode == 1 and f"humane post {path} --to masto" in r.stdout
    r = humane("post", str(path), "--to", "masto")
    assert r.returncode == 0, r.stdout
    text = path.read_text("utf-8")
    assert 'status = "sent"' in text and text.endswith(BODY + "\n")
    assert len(mastodon.posts()) == 1
