"""Configuration: where things live, and config.toml loaded and validated into dataclasses.

The dataclasses below are the interface other modules use; `load_config` builds them.
No secrets ever live here: a token found in the file is refused (see `humane accounts add`).
"""

from __future__ import annotations

import difflib
import math
import os
import re
import secrets as _secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from composer.guidelines.settings import GuidelineSettings, RuleSetting

APP_NAME = "humane-composer"
"""Directory name under the platform's config and data folders; also the keyring service."""


def config_path() -> Path:
    """`$HUMANE_CONFIG` if set, else config.toml in the user's config directory."""
    env = os.environ.get("HUMANE_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def data_dir() -> Path:
    """`$HUMANE_DATA_DIR` if set, else the user's data directory (drafts, trash, outbox)."""
    env = os.environ.get("HUMANE_DATA_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


@dataclass(frozen=True, slots=True)
class AccountConfig:
    """`[accounts.NAME]`: an account's non-secret settings."""

    name: str
    platform: str
    server: str | None = None
    handle: str | None = None
    visibility: str | None = None
    language: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    """Other platform-specific, non-secret keys of the table."""


@dataclass(frozen=True, slots=True)
class EditorSettings:
    """`[editor]`."""

    autosave_seconds: float = 1.5
    theme: str = "textual-dark"
    undo_seconds: float = 5.0
    """Length of the visible undo window before a publish goes out."""


@dataclass(frozen=True, slots=True)
class Config:
    path: Path | None = None
    """The file it came from; None when there was no file (defaults)."""
    accounts: Mapping[str, AccountConfig] = field(default_factory=dict)
    guidelines: GuidelineSettings = field(default_factory=GuidelineSettings)
    editor: EditorSettings = field(default_factory=EditorSettings)
    warnings: tuple[str, ...] = ()
    """Things worth telling the writer that did not stop loading (unknown keys, with did-you-mean)."""
    hint: str = ""
    """When there is no config file or no account: how to add one (show it where accounts are listed)."""


class ConfigError(Exception):
    """config.toml cannot be used. `str()` names the file, the line where known, and the fix."""

    def __init__(
        self, message: str, *, path: Path | str | None = None, line: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
            where += ": "
        return where + self.message


# =========================================================================== loading and validation
#
# `load_config` reads config.toml with tomllib and checks every value, so a mistake is reported as
# "file:line: what is wrong and what to write instead" rather than surfacing later as a traceback.
# tomllib gives no positions for values, so a small line scanner (`_locate`) maps each key path to
# the line it is written on (best effort: errors still name the file when a line cannot be found).

KNOWN_SECTIONS = ("accounts", "guidelines", "editor")
ACCOUNT_KEYS = ("platform", "server", "handle", "visibility", "language")
GUIDELINE_KEYS = ("words_per_minute", "phone_region", "allow", "rules")
EDITOR_KEYS = ("autosave_seconds", "theme", "undo_seconds")
RULE_WORDS = ("off", "on", "info", "warning", "error")
REQUIRED_BY_PLATFORM: dict[str, tuple[str, ...]] = {"mastodon": ("server",), "micropub": ("server",)}
"""Keys an account cannot work without, beyond `platform` (a Mastodon instance has no default)."""

ACCOUNT_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$")
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

SECRET_KEY_RE = re.compile(
    r"(token|passw(or)?d|passphrase|secret|api[_-]?key|credential|bearer|private[_-]?key|"
    r"app[_-]?pass|jwt|cookie|^auth(orization)?$)",
    re.IGNORECASE,
)
"""Key names that hold secrets: such a key in config.toml is refused whatever its value."""
APP_PASSWORD_RE = re.compile(r"^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$")
"""Bluesky app passwords look like xxxx-xxxx-xxxx-xxxx."""
JWT_RE = re.compile(r"^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.")
TOKEN_PREFIX_RE = re.compile(r"^(ghp_|gho_|github_pat_|xox[abpr]-|sk-[A-Za-z0-9]|Bearer\s)")
RANDOM_CHARS_RE = re.compile(r"^[A-Za-z0-9_\-+/=~.]{32,}$")

ADD_ACCOUNT_HINT = (
    "To publish, add an account: `humane accounts add NAME --platform mastodon --server "
    "https://your.instance` (or --platform bluesky --handle you.bsky.social). "
    "Drafts and checks work without one."
)


def _known_platforms() -> list[str]:
    # The registry is plain data in composer/platforms/__init__.py (no client is imported).
    from composer.platforms import PLATFORMS

    return sorted(PLATFORMS)


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" Did you mean {close[0]!r}?" if close else ""


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return "a date/time"


def _entropy(text: str) -> float:
    counts: dict[str, int] = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def secret_reason(key: str, value: object) -> str | None:
    """Why `key = value` looks like a secret (a short phrase that never repeats the value), or None."""
    if SECRET_KEY_RE.search(key):
        return f"the key name {key!r} is for a secret"
    values = value if isinstance(value, list) else [value]
    for v in values:
        if not isinstance(v, str):
            continue
        s = v.strip()
        if APP_PASSWORD_RE.match(s):
            return "its value has the form of an app password (xxxx-xxxx-xxxx-xxxx)"
        if JWT_RE.match(s):
            return "its value is a session token (JWT)"
        if TOKEN_PREFIX_RE.match(s):
            return "its value starts like an access token"
        if (
            RANDOM_CHARS_RE.match(s)
            and "://" not in s
            and any(c.isdigit() for c in s)
            and any(c.isalpha() for c in s)
            and _entropy(s) >= 3.5
        ):
            return "its value is a long random string, like an access token"
    return None


# --------------------------------------------------------------------------- where keys are written


_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _parse_key(text: str, pos: int = 0) -> tuple[tuple[str, ...], int] | None:
    """Parse a dotted TOML key at `pos`: (parts, position after it), or None."""
    parts: list[str] = []
    n = len(text)
    while True:
        while pos < n and text[pos] in " \t":
            pos += 1
        if pos >= n:
            return None
        ch = text[pos]
        if ch == '"':
            end = pos + 1
            buf = []
            while end < n and text[end] != '"':
                if text[end] == "\\" and end + 1 < n:
                    buf.append(text[end : end + 2])
                    end += 2
                    continue
                buf.append(text[end])
                end += 1
            if end >= n:
                return None
            try:
                parts.append(tomllib.loads(f"k = {text[pos:end + 1]}")["k"])
            except tomllib.TOMLDecodeError:
                return None
            pos = end + 1
        elif ch == "'":
            end = text.find("'", pos + 1)
            if end < 0:
                return None
            parts.append(text[pos + 1 : end])
            pos = end + 1
        else:
            m = _BARE.match(text, pos)
            if not m:
                return None
            parts.append(m.group())
            pos = m.end()
        while pos < n and text[pos] in " \t":
            pos += 1
        if pos < n and text[pos] == ".":
            pos += 1
            continue
        return tuple(parts), pos


def _locate(text: str) -> tuple[dict[tuple[str, ...], int], list[tuple[int, tuple[str, ...], bool]]]:
    """({key path: line}, [(line, table path, is_array_table) for every table header])."""
    where: dict[tuple[str, ...], int] = {}
    headers: list[tuple[int, tuple[str, ...], bool]] = []
    current: tuple[str, ...] = ()
    in_multiline: str | None = None
    for i, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("["):
            array = stripped.startswith("[[")
            parsed = _parse_key(stripped, 2 if array else 1)
            if parsed:
                current = parsed[0]
                headers.append((i, current, array))
                where.setdefault(current, i)
            continue
        parsed = _parse_key(line)
        if parsed and parsed[1] < len(line) and line[parsed[1]] == "=":
            where.setdefault(current + parsed[0], i)
            rest = line[parsed[1] + 1 :]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_multiline = quote
    return where, headers


class _Checker:
    """Validates the parsed TOML; collects warnings; raises ConfigError on the first real problem."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.where, self.headers = _locate(text)
        self.warnings: list[str] = []

    def line(self, *key: str) -> int | None:
        for n in range(len(key), 0, -1):
            if key[:n] in self.where:
                return self.where[key[:n]]
        return None

    def error(self, key: tuple[str, ...], message: str) -> ConfigError:
        return ConfigError(message, path=self.path, line=self.line(*key))

    def warn(self, key: tuple[str, ...], message: str) -> None:
        line = self.line(*key)
        self.warnings.append(f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}")

    @staticmethod
    def section(key: tuple[str, ...]) -> str:
        return f"[{'.'.join(_quote_key(k) for k in key)}]"

    # ---------------------------------------------------------------- secrets first

    def refuse_secrets(self, data: Mapping[str, Any], key: tuple[str, ...] = ()) -> None:
        for k, v in data.items():
            full = key + (k,)
            if full[:2] == ("guidelines", "rules"):
                continue
            if isinstance(v, dict):
                self.refuse_secrets(v, full)
                continue
            if isinstance(v, list) and any(isinstance(x, dict) for x in v):
                for x in v:
                    if isinstance(x, dict):
                        self.refuse_secrets(x, full)
                continue
            if full[:2] == ("guidelines", "rules") or full[:2] == ("guidelines", "allow"):
                continue  # rule ids and allowed words: never credentials
            reason = secret_reason(k, v)
            if reason:
                name = full[1] if full[:1] == ("accounts",) and len(full) > 2 else "NAME"
                raise self.error(
                    full,
                    f"`{'.'.join(full)}` looks like a secret: {reason}. Secrets never go in config.toml: "
                    f"delete that line, then run `humane accounts add {name}`, which keeps it in the OS keyring.",
                )

    # ---------------------------------------------------------------- typed getters

    def text(self, table: Mapping[str, Any], key: tuple[str, ...], example: str) -> str | None:
        value = table.get(key[-1])
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.error(key, f"`{key[-1]}` in {self.section(key[:-1])} must be text in quotes, like {example}; it is {_kind(value)}")
        return value

    def number(
        self, table: Mapping[str, Any], key: tuple[str, ...], lo: float, hi: float, unit: str, example: float,
        *, whole: bool = False,
    ) -> float | int | None:
        value = table.get(key[-1])
        if value is None:
            return None
        ok = isinstance(value, int) if whole else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok:
            kind = "a whole number" if whole else "a number"
            got = f"{value:g}" if isinstance(value, float) else _kind(value)
            raise self.error(key, f"`{key[-1]}` in {self.section(key[:-1])} must be {kind} of {unit}, like {example:g}; it is {got}")
        if not (lo <= value <= hi) or (isinstance(value, float) and math.isnan(value)):
            raise self.error(key, f"`{key[-1]}` in {self.section(key[:-1])} must be between {lo:g} and {hi:g} {unit}; it is {value:g}")
        return value

    def unknown(self, table: Mapping[str, Any], key: tuple[str, ...], known: Iterable[str]) -> None:
        known = list(known)
        for k in table:
            if k not in known:
                self.warn(key + (k,), f"unknown key `{k}` in {self.section(key) if key else 'the top level'} (ignored).{_did_you_mean(k, known)}")

    # ---------------------------------------------------------------- sections

    def check(self, data: dict[str, Any]) -> tuple[dict[str, AccountConfig], GuidelineSettings, EditorSettings]:
        self.refuse_secrets(data)
        self.unknown(data, (), KNOWN_SECTIONS)
        for name in KNOWN_SECTIONS:
            if name in data and not isinstance(data[name], dict):
                raise self.error((name,), f"`{name}` must be a table: write it as a [{name}] section")
        accounts = self.accounts(data.get("accounts", {}))
        return accounts, self.guidelines(data.get("guidelines", {})), self.editor(data.get("editor", {}))

    def accounts(self, table: Mapping[str, Any]) -> dict[str, AccountConfig]:
        out: dict[str, AccountConfig] = {}
        platforms = _known_platforms()
        for name, acc in table.items():
            key = ("accounts", name)
            if not isinstance(acc, dict):
                raise self.error(key, f"`accounts.{name}` must be a table: write it as [accounts.{_quote_key(name)}] with platform = \"...\" under it")
            if not ACCOUNT_NAME_RE.match(name):
                raise self.error(key, f"account name {name!r} is not usable: use letters, digits and . _ - @ + (up to 64), starting with a letter or digit, like \"work\"")
            platform = self.text(acc, key + ("platform",), '"mastodon"')
            if platform is None:
                raise self.error(key, f"account {name!r} needs `platform = \"...\"`; known platforms: {', '.join(platforms)}")
            if platform not in platforms:
                raise self.error(key + ("platform",), f"account {name!r}: unknown platform {platform!r}.{_did_you_mean(platform, platforms)} Known platforms: {', '.join(platforms)}")
            server = self.text(acc, key + ("server",), '"https://mastodon.social"')
            if server is not None:
                server = self.server(key + ("server",), name, server)
            handle = self.text(acc, key + ("handle",), '"you.bsky.social"')
            visibility = self.text(acc, key + ("visibility",), '"public"')
            language = self.text(acc, key + ("language",), '"en"')
            if language is not None and not LANGUAGE_RE.match(language):
                self.warn(key + ("language",), f"account {name!r}: language {language!r} does not look like a language code such as \"en\" or \"pt-BR\"")
            for required in REQUIRED_BY_PLATFORM.get(platform, ()):
                if acc.get(required) in (None, ""):
                    raise self.error(key, f"account {name!r} ({platform}) needs `{required} = \"...\"`, like server = \"https://mastodon.social\"")
            options = {k: v for k, v in acc.items() if k not in ACCOUNT_KEYS}
            for k in options:
                close = difflib.get_close_matches(k, ACCOUNT_KEYS, n=1, cutoff=0.75)
                if close:
                    self.warn(key + (k,), f"account {name!r}: unknown key `{k}` (kept as a platform option). Did you mean {close[0]!r}?")
            out[name] = AccountConfig(
                name=name, platform=platform, server=server, handle=handle,
                visibility=visibility, language=language, options=options,
            )
        return out

    def server(self, key: tuple[str, ...], name: str, url: str) -> str:
        from urllib.parse import urlsplit

        raw = url.strip()
        parts = urlsplit(raw)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise self.error(key, f"account {name!r}: server {raw!r} is not a web address; write it in full, like \"https://mastodon.social\"")
        if parts.scheme == "http" and not _is_loopback(parts.hostname):
            raise self.error(key, f"account {name!r}: server {raw!r} uses plain http, which would send your credentials unencrypted; use its https:// address")
        return raw.rstrip("/")

    def guidelines(self, table: Mapping[str, Any]) -> GuidelineSettings:
        key = ("guidelines",)
        self.unknown(table, key, GUIDELINE_KEYS)
        defaults = GuidelineSettings()
        wpm = self.number(table, key + ("words_per_minute",), 50, 1000, "words per minute", 238, whole=True)
        region = self.text(table, key + ("phone_region",), '"US"')
        if region is not None:
            if not re.fullmatch(r"[A-Za-z]{2}", region):
                raise self.error(key + ("phone_region",), f"`phone_region` must be a two-letter country code like \"US\" or \"DE\"; it is {region!r}")
            region = region.upper()
        allow = table.get("allow", [])
        if isinstance(allow, str):
            allow = [allow]
        if not isinstance(allow, list) or not all(isinstance(w, str) for w in allow):
            raise self.error(key + ("allow",), '`allow` in [guidelines] must be a list of words or phrases, like ["damn", "kill it"]')
        rules_table = table.get("rules", {})
        if not isinstance(rules_table, dict):
            raise self.error(key + ("rules",), "`rules` must be a table: write it as a [guidelines.rules] section")
        return GuidelineSettings(
            rules=self.rules(rules_table),
            words_per_minute=int(wpm) if wpm is not None else defaults.words_per_minute,
            phone_region=region or defaults.phone_region,
            allow=tuple(dict.fromkeys(w.strip().lower() for w in allow if w.strip())),
        )

    def rules(self, table: Mapping[str, Any]) -> dict[str, RuleSetting]:
        from composer.guidelines.model import CATEGORIES, SEVERITIES

        out: dict[str, RuleSetting] = {}
        for rule, value in table.items():
            key = ("guidelines", "rules", rule)
            category = rule.split(".", 1)[0]
            if category not in CATEGORIES:
                self.warn(key, f"rule {rule!r} in [guidelines.rules] names no known category (ignored).{_did_you_mean(category, CATEGORIES)} Categories: {', '.join(CATEGORIES)}")
                continue
            how = f'write "{rule}" = "off", "on", "info", "warning" or "error", or {{ enabled = true, severity = "warning" }}'
            if isinstance(value, bool):
                out[rule] = RuleSetting(enabled=value)
            elif isinstance(value, str):
                word = value.strip().lower()
                if word not in RULE_WORDS:
                    raise self.error(key, f"rule {rule!r}: {value!r} is not a setting;{_did_you_mean(word, RULE_WORDS)} {how}")
                if word == "off":
                    out[rule] = RuleSetting(enabled=False)
                elif word == "on":
                    out[rule] = RuleSetting(enabled=True)
                else:
                    out[rule] = RuleSetting(enabled=True, severity=word)  # type: ignore[arg-type]
            elif isinstance(value, dict):
                for k in value:
                    if k not in ("enabled", "severity"):
                        self.warn(key, f"rule {rule!r}: unknown key `{k}` (ignored).{_did_you_mean(k, ('enabled', 'severity'))}")
                enabled = value.get("enabled", True)
                if not isinstance(enabled, bool):
                    raise self.error(key, f"rule {rule!r}: `enabled` must be true or false")
                severity = value.get("severity")
                if severity is not None and severity not in SEVERITIES:
                    raise self.error(key, f"rule {rule!r}: severity {severity!r} must be one of {', '.join(SEVERITIES)}")
                out[rule] = RuleSetting(enabled=enabled, severity=severity)
            else:
                raise self.error(key, f"rule {rule!r} is {_kind(value)}; {how}")
        return out

    def editor(self, table: Mapping[str, Any]) -> EditorSettings:
        key = ("editor",)
        self.unknown(table, key, EDITOR_KEYS)
        d = EditorSettings()
        autosave = self.number(table, key + ("autosave_seconds",), 0.2, 60, "seconds", 1.5)
        undo = self.number(table, key + ("undo_seconds",), 0, 60, "seconds", 5)
        theme = self.text(table, key + ("theme",), '"textual-dark"')
        return EditorSettings(
            autosave_seconds=float(autosave) if autosave is not None else d.autosave_seconds,
            theme=theme or d.theme,
            undo_seconds=float(undo) if undo is not None else d.undo_seconds,
        )


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return True
    import ipaddress

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _quote_key(key: str) -> str:
    return key if _BARE.fullmatch(key) else '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def _read_text(path: Path) -> str | None:
    """The file's text, None if it does not exist; ConfigError if unreadable or not UTF-8."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ConfigError("is a folder, not a config file; point HUMANE_CONFIG at a file", path=path) from None
    except OSError as err:
        raise ConfigError(f"cannot be read ({err.strerror or err}); check its permissions", path=path) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise ConfigError("is not UTF-8 text; save it as UTF-8", path=path, line=line) from None


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        msg = str(err)
        m = _TOML_POS.search(msg)
        line = col = None
        if m:
            line, col = int(m.group(1)), int(m.group(2))
            msg = msg[: m.start()]
        elif msg.endswith("(at end of document)"):
            line = text.count("\n") + 1
            msg = msg[: -len("(at end of document)")].rstrip()
        raise ConfigError(f"TOML syntax error: {msg}; fix it or see config.example.toml", path=path, line=line, column=col) from None


def _refuse_secret_lines(path: Path, text: str) -> None:
    table: tuple[str, ...] = ()
    for i, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            parsed = _parse_key(stripped, 2 if stripped.startswith("[[") else 1)
            table = parsed[0] if parsed else ()
            continue
        m = re.match(r"\s*([\"']?)([A-Za-z0-9_.-]+)\1\s*=", line)
        if m and table[:2] != ("guidelines", "rules") and SECRET_KEY_RE.search(m.group(2).rsplit(".", 1)[-1]):
            raise ConfigError(
                f"`{m.group(2)}` looks like a secret. Secrets never go in config.toml: delete that line, "
                "then run `humane accounts add NAME`, which keeps it in the OS keyring.",
                path=path, line=i,
            )


def load_config(path: Path | str | None = None) -> Config:
    """Read and check config.toml (default `config_path()`). A missing file gives the defaults
    (with `hint` saying how to add an account). Raises ConfigError with file, line and the fix."""
    path = Path(path).expanduser() if path is not None else config_path()
    text = _read_text(path)
    if text is None:
        return Config(path=None, hint=f"No config file at {path}. {ADD_ACCOUNT_HINT}")
    try:
        data = _parse_toml(path, text)
    except ConfigError:
        _refuse_secret_lines(path, text)  # a secret on a broken line is refused, never echoed
        raise
    checker = _Checker(path, text)
    accounts, guidelines, editor = checker.check(data)
    return Config(
        path=path,
        accounts=accounts,
        guidelines=guidelines,
        editor=editor,
        warnings=tuple(checker.warnings),
        hint="" if accounts else f"No accounts in {path}. {ADD_ACCOUNT_HINT}",
    )


# =========================================================================== editing accounts
#
# `humane accounts add/remove` edit config.toml. The account's table is replaced or removed as text,
# so the writer's comments and layout elsewhere survive. Only when an account is written in a form
# the text edit cannot handle safely (dotted keys or an inline table under [accounts]) is the whole
# file rewritten with tomli-w, which drops comments. Every write is atomic (temp file, fsync, rename).


def _account_table(account: AccountConfig) -> dict[str, Any]:
    table: dict[str, Any] = {"platform": account.platform}
    for k in ("server", "handle", "visibility", "language"):
        v = getattr(account, k)
        if v is not None:
            table[k] = v
    for k, v in account.options.items():
        if k not in table and v is not None:
            table[k] = v
    return table


def _account_span(text: str, name: str) -> tuple[int, int] | None | bool:
    """Line range [start, end) of the `[accounts.NAME]` table (and its sub-tables), None if absent,
    False if the account is written in a way a text edit cannot replace safely."""
    _, headers = _locate(text)
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
    where, _ = _locate(text)
    if any(k[:2] == key for k in where) or any(p[:2] == key for _, p, _a in headers):
        return False
    return None


def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = 0o600
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        pass
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{_secrets.token_hex(4)}.tmp")
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


def _current(path: Path) -> tuple[str, dict[str, Any]]:
    text = _read_text(path)
    if text is None:
        return "", {}
    return text, _parse_toml(path, text)


def save_account(path: Path | str | None, account: AccountConfig) -> None:
    """Add or replace `[accounts.NAME]` in config.toml (created if missing), keeping the rest.

    Refuses (ConfigError) a bad name, an unknown platform, a secret among the options, or a file
    that is not valid TOML (a broken file is never overwritten)."""
    import tomli_w

    path = Path(path).expanduser() if path is not None else config_path()
    text, data = _current(path)
    table = _account_table(account)
    checker = _Checker(path, "")
    checker.refuse_secrets({"accounts": {account.name: table}})
    checker.accounts({account.name: table})  # same checks as loading
    block = tomli_w.dumps({"accounts": {account.name: table}}).strip("\n") + "\n"
    span = _account_span(text, account.name)
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
    if new_text is None or _parses_to(new_text, expected) is False:
        new_text = tomli_w.dumps(expected)
    _atomic_write_text(path, new_text)


def remove_account(path: Path | str | None, name: str) -> bool:
    """Remove `[accounts.NAME]` from config.toml, keeping the rest; False if it was not there."""
    import tomli_w

    path = Path(path).expanduser() if path is not None else config_path()
    text, data = _current(path)
    accounts = dict(data.get("accounts", {})) if isinstance(data.get("accounts"), dict) else {}
    if name not in accounts:
        return False
    del accounts[name]
    expected = dict(data)
    expected["accounts"] = accounts
    span = _account_span(text, name)
    new_text: str | None = None
    if span not in (None, False):
        start, end = span  # type: ignore[misc]
        lines = text.split("\n")
        while end < len(lines) and not lines[end].strip() and (start == 0 or not lines[start - 1].strip()):
            end += 1  # do not leave a double blank line behind
        new_text = "\n".join(lines[:start] + lines[end:])
    if new_text is None or _parses_to(new_text, expected) is False:
        if not accounts:
            del expected["accounts"]
        new_text = tomli_w.dumps(expected)
    _atomic_write_text(path, new_text)
    return True


def _parses_to(text: str, expected: dict[str, Any]) -> bool:
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
    text, data = _current(path)
    guidelines = data.get("guidelines", {})
    allow = guidelines.get("allow", []) if isinstance(guidelines, dict) else None
    if isinstance(allow, str):
        allow = [allow]
    if not isinstance(allow, list) or not all(isinstance(a, str) for a in allow):
        raise ConfigError(
            "`allow` in [guidelines] must be a list of words or phrases; fix it by hand, then try again",
            path=path, line=_locate(text)[0].get(("guidelines", "allow")),
        )
    if not phrase or phrase in (a.strip().lower() for a in allow):
        return tuple(allow)
    allow = [*allow, phrase]
    expected = {**data, "guidelines": {**guidelines, "allow": allow}}
    value = "[" + ", ".join(tomli_w.dumps({"a": a}).split("=", 1)[1].strip() for a in allow) + "]"
    where, headers = _locate(text)
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
    if new_text is None or not _parses_to(new_text, expected):
        new_text = tomli_w.dumps(expected)
    _atomic_write_text(path, new_text)
    return tuple(allow)
