"""What the chat platforms (Telegram, Slack) share: the writer's text made safe for their markup,
the chat or channel asked for at login, and lengths in UTF-16 code units (as their limits and
entity offsets count, and LinkedIn's too)."""

from __future__ import annotations

from dataclasses import replace

from .errors import Rejected
from .records import AccountInfo, Ask


def escape_markup(text: str) -> str:
    """`&`, `<` and `>` as entities: the only characters Telegram's HTML and Slack's mrkdwn ask to
    escape, so nothing typed is read as a tag, a link or a mention."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def with_chat(account: AccountInfo, ask: Ask, prompt: str, *, missing: str, hint: str) -> AccountInfo:
    """The account with its chat (its handle): the one given, else the writer's answer to
    `prompt`; Rejected with `missing` and `hint` when there is none."""
    if (account.handle or "").strip():
        return account
    chat = ask(prompt, False).strip()
    if not chat:
        raise Rejected(missing, hint=hint)
    return replace(account, handle=chat)
