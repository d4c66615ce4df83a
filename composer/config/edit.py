"""`humane accounts add/remove` edit config.toml. The account's table is replaced or removed as text,
so the writer's comments and layout elsewhere survive. Only when an account is written in a form
the text edit cannot handle safely (dotted keys or an inline table under [accounts]) is the whole
file rewritten with tomli-w, which drops comments. Every write is atomic (temp file, fsync, rename)."""

from __future__ import annotations

import os
import secrets
import tomllib
from pathlib import Path
from typing import Any

from .model import AccountConfig
from .paths import config_path
from .toml_file import locate, parse_toml, read_text
from .validate import Checker

def account_table(account: AccountConfig) -> dict[str, Any]:
    table: dict[str, Any] = {"platform": account.platform}
    for k in ("server", "handle", "visibility", "language"):
        v = getattr(account, k)
        if v is not None:
            table[k] = v
    for k, v in account.options.items():
        if k not in table and v is not None:
            table[k] = v
    return table


def account_span(text: str, name: str) -> tuple[int, int] | None | bool:
    """Line range [start, end) of the `[accounts.NAME]` table (and its sub-tables), None if absent,
    False if the account is written in a way a text edit cannot replace safely."""
    _, headers = locate(text)
    lines = text.split("\n")
    key = ("accounts", name)
    start = None
    for idx, (line, path, _array) in enumerate(headers):
        if path == key:
            start = line - 1
            end = len(lines)
            for line2, path2, _a in headers[idx + 1 :]:
                if path2[:2] != key:
                    end = line2 - 1
                    break
            while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
                end -= 1  # blank lines and comments before the next table belong to it
            return start, end
    where, _ = locate(text)
    if any(k[:2] == key for k in where) or any(p[:2] == key for _, p, _a in headers):
        return False
    return None


def atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = 0o600
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        pass
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def current(path: Path) -> tuple[str, dict[str, Any]]:
    text = read_text(path)
    if text is None:
        return "", {}
    return text, parse_toml(path, text)


def save_account(path: Path | str | None, account: AccountConfig) -> None:
    """Add or replace `[accounts.NAME]` in config.toml (created if missing), keeping the rest.

    Refuses (ConfigError) a bad name, an unknown platform, a secret among the options, or a file
    that is not valid TOML (a broken file is never overwritten)."""
    import tomli_w

    path = Path(path).expanduser() if path is not None else config_path()
    text, data = current(path)
    table = account_table(account)
    checker = Checker(path, "")
    checker.refuse_secrets({"accounts": {account.name: table}})
    checker.accounts({account.name: table})  # same checks as loading
    block = tomli_w.dumps({"accounts": {account.name: table}}).strip("\n") + "\n"
    span = account_span(text, account.name)
    new_text: str | None = None
    if span is None:
        if not text or text.endswith("\n\n"):
            sep = ""
        elif text.endswith("\n"):
            sep = "\n"
        else:
            sep = "\n\n"
        new_text = text + sep + block
    elif span is not False:
        start, end = span
        lines = text.split("\n")
        new_text = "\n".join(lines[:start] + block.rstrip("\n").split("\n") + lines[end:])
        if not new_text.endswith("\n"):
            new_text += "\n"
    expected = dict(data)
    expected["accounts"] = {**dict(data.get("accounts", {})), account.name: table}
    if new_text is None or parses_to(new_text, expected) is False:
        new_text = tomli_w.dumps(expected)
    atomic_write_text(path, new_text)


def remove_account(path: Path | str | None, name: str) -> bool:
    """Remove `[accounts.NAME]` from config.toml, keeping the rest; False if it was not there."""
    import tomli_w

    path = Path(path).expanduser() if path is not None else config_path()
    text, data = current(path)
    accounts = dict(data.get("accounts", {})) if isinstance(data.get("accounts"), dict) else {}
    if name not in accounts:
        return False
    del accounts[name]
    expected = dict(data)
    expected["accounts"] = accounts
    span = account_span(text, name)
    new_text: str | None = None
    if span not in (None, False):
        start, end = span  # type: ignore[misc]
        lines = text.split("\n")
        while end < len(lines) and not lines[end].strip() and (start == 0 or not lines[start - 1].strip()):
            end += 1  # do not leave a double blank line behind
        new_text = "\n".join(lines[:start] + lines[end:])
    if new_text is None or parses_to(new_text, expected) is False:
        if not accounts:
            del expected["accounts"]
        new_text = tomli_w.dumps(expected)
    atomic_write_text(path, new_text)
    return True


def parses_to(text: str, expected: dict[str, Any]) -> bool:
    try:
        got = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    if got.get("accounts") == {} and "accounts" in got and not expected.get("accounts"):
        got = {k: v for k, v in got.items() if k != "accounts"}
        expected = {k: v for k, v in expected.items() if k != "accounts" or v}
    return got == expected
