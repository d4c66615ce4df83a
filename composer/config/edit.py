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

from .model import AccountConfig, ConfigError
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
    elif isinstance(span, tuple):
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


# =========================================================================== the allow list
#
# The composer's "mine to share" on a finding adds its words to `[guidelines] allow`. As with the
# accounts, the line is edited as text so that comments and layout survive; a form the text edit
# cannot handle is rewritten whole with tomli-w.


def allow_phrase(path: Path | str | None, phrase: str) -> tuple[str, ...]:
    """Add `phrase` (lower case, spaces collapsed) to `[guidelines] allow` in config.toml, created
    if missing; returns the whole list. Refuses (ConfigError) a file that is not valid TOML or
    whose `allow` is not a list, so a broken file is never overwritten."""
    import tomli_w

    path = Path(path).expanduser() if path is not None else config_path()
    phrase = " ".join(phrase.split()).lower()
    text, data = current(path)
    guidelines = data.get("guidelines", {})
    allow = guidelines.get("allow", []) if isinstance(guidelines, dict) else None
    if isinstance(allow, str):
        allow = [allow]
    if not isinstance(allow, list) or not all(isinstance(a, str) for a in allow):
        raise ConfigError(
            "`allow` in [guidelines] must be a list of words or phrases; fix it by hand, then try again",
            path=path, line=locate(text)[0].get(("guidelines", "allow")),
        )
    if not phrase or phrase in (a.strip().lower() for a in allow):
        return tuple(allow)
    allow = [*allow, phrase]
    expected = {**data, "guidelines": {**guidelines, "allow": allow}}
    value = "[" + ", ".join(tomli_w.dumps({"a": a}).split("=", 1)[1].strip() for a in allow) + "]"
    where, headers = locate(text)
    lines = text.split("\n")
    new_text: str | None = None
    line = where.get(("guidelines", "allow"))
    if line is not None:
        for end in range(line, min(len(lines), line + 200) + 1):  # the array may span lines
            chunk = "\n".join(lines[line - 1 : end])
            try:
                tomllib.loads(chunk)
            except tomllib.TOMLDecodeError:
                continue
            first = lines[line - 1]
            tail = lines[end - 1][lines[end - 1].rfind("]") + 1 :]
            comment = tail if tail.strip().startswith("#") else ""
            lines[line - 1 : end] = [first[: first.index("=") + 1] + " " + value + comment]
            new_text = "\n".join(lines)
            break
    elif any(h == ("guidelines",) and not array for _, h, array in headers):
        at = next(n for n, h, array in headers if h == ("guidelines",) and not array)
        lines.insert(at, f"allow = {value}")
        new_text = "\n".join(lines)
    elif "guidelines" not in data:
        sep = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
        new_text = f"{text}{sep}[guidelines]\nallow = {value}\n"
    if new_text is None or not parses_to(new_text, expected):
        new_text = tomli_w.dumps(expected)
    atomic_write_text(path, new_text)
    return tuple(allow)


# =========================================================================== one setting
#
# A setting the composer remembers for the writer (the theme picked in the palette) is written the
# same way: its line replaced in place, or added under its table, comments and layout kept.


def set_setting(path: Path | str | None, section: str, key: str, value: str | int | float | bool) -> None:
    """Set `[section] key = value` in config.toml (created if missing), keeping the rest. Refuses
    (ConfigError) a file that is not valid TOML or whose `[section]` is not a table, so a broken
    file is never overwritten."""
    import tomli_w

    path = Path(path).expanduser() if path is not None else config_path()
    text, data = current(path)
    table = data.get(section, {})
    if not isinstance(table, dict):
        raise ConfigError(f"`{section}` must be a table ([{section}]); fix it by hand, then try again", path=path)
    if table.get(key) == value:
        return
    expected = {**data, section: {**table, key: value}}
    line_text = tomli_w.dumps({key: value}).strip()
    where, headers = locate(text)
    lines = text.split("\n")
    new_text: str | None = None
    line = where.get((section, key))
    if line is not None:
        lines[line - 1] = line_text  # a multi-line value is caught by parses_to below
        new_text = "\n".join(lines)
    elif any(h == (section,) and not array for _, h, array in headers):
        at = next(n for n, h, array in headers if h == (section,) and not array)
        lines.insert(at, line_text)
        new_text = "\n".join(lines)
    elif section not in data:
        sep = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
        new_text = f"{text}{sep}[{section}]\n{line_text}\n"
    if new_text is None or not parses_to(new_text, expected):
        new_text = tomli_w.dumps(expected)
    atomic_write_text(path, new_text)
