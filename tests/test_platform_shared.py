"""The pieces the platform clients share (reading.py, tokens.py, oauth.py, chat.py): each once,
with the cases every client relied on when it had its own copy."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from composer.platforms.chat import escape_markup, utf16_length, with_chat
from composer.platforms.errors import Rejected
from composer.platforms.oauth import pkce
from composer.platforms.reading import id_of, mapping, positive, same_words, squash, time_of
from composer.platforms.records import AccountInfo, Secret
from composer.platforms.tokens import access_token, token_fields, token_secret


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-12-05T09:30:00Z", datetime(2026, 12, 5, 9, 30, tzinfo=UTC)),  # Mastodon, X, Bluesky
        ("2026-12-05T09:30:00.123+00:00", datetime(2026, 12, 5, 9, 30, 0, 123000, tzinfo=UTC)),
        ("2026-12-05T10:30:00+0100", datetime(2026, 12, 5, 9, 30, tzinfo=UTC)),  # Graph's offsets
        ("2026-12-05T09:30:00", datetime(2026, 12, 5, 9, 30, tzinfo=UTC)),  # no offset: UTC
    ],
)
def test_times_as_every_server_writes_them(value: str, expected: datetime) -> None:
    found = time_of(value)
    assert found == expected and found is not None and found.utcoffset() is not None


@pytest.mark.parametrize("value", [None, "", 12, "yesterday", "2026-13-45T00:00:00Z"])
def test_what_is_no_time_is_none(value: object) -> None:
    assert time_of(value) is None


def test_an_offset_is_kept() -> None:
    found = time_of("2026-12-05T09:30:00-0530")
    assert found is not None and found.utcoffset() == -timedelta(hours=5, minutes=30)
    assert found.tzinfo != UTC


def test_texts_compared_as_servers_give_them_back() -> None:
    composed, decomposed = "caf\u00e9 au lait", "cafe\u0301 au lait"
    assert squash(f"{composed}\n\n") == squash(decomposed) == "caf\u00e9aulait"
    assert same_words("a  b\nc", "a b c") and same_words(composed, decomposed)
    assert not same_words("ab c", "a bc")  # whitespace folded, never dropped
    assert squash("ab c") == squash("a bc")


def test_ids_and_numbers_read_with_care() -> None:
    assert id_of({"id": "109"}) == "109" and id_of({"id": 109}) == "109"
    assert [id_of(v) for v in ({"id": ""}, {"id": " "}, {"id": True}, {"id": None}, {}, ["109"], None)] == [None] * 7
    assert [positive(v) for v in ("500", 500, 0, -1, "", None, "many")] == [500, 500, None, None, None, None, None]
    assert mapping({"a": 1}) == {"a": 1} and mapping(["a"]) == {} and mapping(None) == {}


def test_a_token_secret_is_read_back_as_it_was_kept() -> None:
    kept = token_secret({"access_token": "tok-123456", "refresh_token": "ref-123456", "client_secret": ""})
    assert token_fields(kept) == {"access_token": "tok-123456", "refresh_token": "ref-123456"}
    assert access_token(kept) == "tok-123456"
    assert token_fields(Secret("  bare-token  ")) == {"access_token": "bare-token"}
    assert token_fields(Secret("{not json")) == {"access_token": "{not json"}
    assert access_token(Secret('{"refresh_token": "r"}')) == ""


def test_pkce_challenge_is_the_verifiers_sha256() -> None:
    verifier, challenge = pkce()
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert challenge == digest and len(verifier) >= 43 and pkce()[0] != verifier


def test_chat_markup_and_lengths() -> None:
    assert escape_markup("<!here> & <@U1>") == "&lt;!here&gt; &amp; &lt;@U1&gt;"
    assert utf16_length("a😀é") == 4


def test_the_chat_is_asked_for_only_when_none_was_given() -> None:
    asked: list[str] = []

    def ask(prompt: str, secret: bool) -> str:
        asked.append(prompt)
        return " @news "

    given = AccountInfo("tg", "telegram", handle="@given")
    assert with_chat(given, ask, "Which chat?", missing="none", hint="add one") is given and asked == []
    got = with_chat(AccountInfo("tg", "telegram"), ask, "Which chat?", missing="none", hint="add one")
    assert got.handle == "@news" and asked == ["Which chat?"]
    with pytest.raises(Rejected) as caught:
        with_chat(AccountInfo("tg", "telegram"), lambda p, s: "  ", "Which chat?", missing="No chat.", hint="Add it.")
    assert caught.value.message == "No chat." and caught.value.hint == "Add it."
