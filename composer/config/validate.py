"""Checking config.toml's values, so that a mistake is reported as "file:line: what is wrong and
what to write instead" rather than surfacing later as a traceback."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from composer import registry, urls
from composer.guidelines.settings import GuidelineSettings, RuleSetting

from .model import AccountConfig, ConfigError, EditorSettings
from .secret_values import secret_reason
from .toml_file import locate, quote_key

KNOWN_SECTIONS = ("accounts", "guidelines", "editor")
ACCOUNT_KEYS = ("platform", "server", "handle", "visibility", "language")
GUIDELINE_KEYS = ("words_per_minute", "phone_region", "allow", "rules")
EDITOR_KEYS = ("autosave_seconds", "theme", "undo_seconds")
RULE_WORDS = ("off", "on", "info", "warning", "error")
REQUIRED_BY_PLATFORM: dict[str, tuple[str, ...]] = {
    p.name: ("server",) for p in registry.publishable() if p.login and p.login.server.required
}
"""Keys an account cannot work without, beyond `platform` (a server where the registry has no default)."""

ACCOUNT_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$")
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


EXAMPLE = registry.publishable()[0]
"""The platform examples in messages name."""
EXAMPLE_SERVER = EXAMPLE.login.server.example if EXAMPLE.login else "https://example.social"


def add_account_hint() -> str:
    """How to add an account, with the first two platforms as examples."""
    first, second = registry.publishable()[:2]
    other = second.add_command().split(" --platform ", 1)[1]
    return (
        f"To publish, add an account: `{first.add_command()}` (or --platform {other}). "
        "Drafts and checks work without one."
    )


ADD_ACCOUNT_HINT = add_account_hint()


def known_platforms() -> list[str]:
    """The platforms an account can be on (those with a client), sorted."""
    return sorted(p.name for p in registry.publishable())


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" Did you mean {close[0]!r}?" if close else ""


def kind_of(value: object) -> str:
    """What a TOML value is, in the words of a message (`must be text in quotes, not a number`)."""
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


class Checker:
    """Validates the parsed TOML; collects warnings; raises ConfigError on the first real problem."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.where, self.headers = locate(text)
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
        return f"[{'.'.join(quote_key(k) for k in key)}]"

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
            raise self.error(key, f"`{key[-1]}` in {self.section(key[:-1])} must be text in quotes, like {example}; it is {kind_of(value)}")
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
            got = f"{value:g}" if isinstance(value, float) else kind_of(value)
            raise self.error(key, f"`{key[-1]}` in {self.section(key[:-1])} must be {kind} of {unit}, like {example:g}; it is {got}")
        if not (lo <= value <= hi) or (isinstance(value, float) and math.isnan(value)):
            raise self.error(key, f"`{key[-1]}` in {self.section(key[:-1])} must be between {lo:g} and {hi:g} {unit}; it is {value:g}")
        return value

    def unknown(self, table: Mapping[str, Any], key: tuple[str, ...], known: Iterable[str]) -> None:
        known = list(known)
        for k in table:
            if k not in known:
                self.warn(key + (k,), f"unknown key `{k}` in {self.section(key) if key else 'the top level'} (ignored).{did_you_mean(k, known)}")

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
        platforms = known_platforms()
        for name, acc in table.items():
            key = ("accounts", name)
            if not isinstance(acc, dict):
                raise self.error(key, f"`accounts.{name}` must be a table: write it as [accounts.{quote_key(name)}] with platform = \"...\" under it")
            if not ACCOUNT_NAME_RE.match(name):
                raise self.error(key, f"account name {name!r} is not usable: use letters, digits and . _ - @ + (up to 64), starting with a letter or digit, like \"work\"")
            platform = self.text(acc, key + ("platform",), f'"{EXAMPLE.name}"')
            if platform is None:
                raise self.error(key, f"account {name!r} needs `platform = \"...\"`; known platforms: {', '.join(platforms)}")
            if platform not in platforms:
                raise self.error(key + ("platform",), f"account {name!r}: unknown platform {platform!r}.{did_you_mean(platform, platforms)} Known platforms: {', '.join(platforms)}")
            entry = registry.get(platform)
            server = self.text(acc, key + ("server",), f'"{EXAMPLE_SERVER}"')
            if server is not None:
                server = self.server(key + ("server",), name, server, entry)
            handle = self.text(acc, key + ("handle",), '"you.bsky.social"')
            visibility = self.text(acc, key + ("visibility",), '"public"')
            language = self.text(acc, key + ("language",), '"en"')
            if language is not None and not LANGUAGE_RE.match(language):
                self.warn(key + ("language",), f"account {name!r}: language {language!r} does not look like a language code such as \"en\" or \"pt-BR\"")
            for required in REQUIRED_BY_PLATFORM.get(platform, ()):
                if acc.get(required) in (None, ""):
                    raise self.error(key, f"account {name!r} ({platform}) needs `{required} = \"...\"`, like server = \"{EXAMPLE_SERVER}\"")
            options = {k: v for k, v in acc.items() if k not in ACCOUNT_KEYS}
            for k in options:
                close = difflib.get_close_matches(k, ACCOUNT_KEYS, n=1, cutoff=0.75)
                if close:
                    self.warn(key + (k,), f"account {name!r}: unknown key `{k}` (kept as a platform option). Did you mean {close[0]!r}?")
            out[name] = AccountConfig(
                name=name, platform=platform, server=server, handle=handle,
                visibility=visibility, language=language, options=options,
            )
        for name, acc in out.items():
            host = acc.options.get("media_host")
            if host is not None and (not isinstance(host, str) or host not in out or host == name):
                self.warn(("accounts", name, "media_host"),
                          f"account {name!r}: media_host {host!r} names no other account in this file; "
                          "name the account whose uploads get a public address (a Micropub site)")
        return out

    def server(self, key: tuple[str, ...], name: str, url: str, entry: registry.Platform) -> str:
        spec = entry.login.server if entry.login else registry.Server("server")
        raws = [u.strip() for u in url.split(",")] if spec.several else [url.strip()]
        for raw in raws:
            why = urls.problem(raw, spec.scheme)
            if why == "not-an-address":
                raise self.error(key, f"account {name!r}: server {raw!r} is not a web address; write it in full, like \"{EXAMPLE_SERVER}\"")
            if why == "unencrypted":
                raise self.error(key, f"account {name!r}: server {raw!r} uses plain {urls.PLAIN.get(spec.scheme, 'http')}, which would send your credentials unencrypted; use its {spec.scheme}:// address")
        return ",".join(raw.rstrip("/") for raw in raws)

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
                self.warn(key, f"rule {rule!r} in [guidelines.rules] names no known category (ignored).{did_you_mean(category, CATEGORIES)} Categories: {', '.join(CATEGORIES)}")
                continue
            how = f'write "{rule}" = "off", "on", "info", "warning" or "error", or {{ enabled = true, severity = "warning" }}'
            if isinstance(value, bool):
                out[rule] = RuleSetting(enabled=value)
            elif isinstance(value, str):
                word = value.strip().lower()
                if word not in RULE_WORDS:
                    raise self.error(key, f"rule {rule!r}: {value!r} is not a setting;{did_you_mean(word, RULE_WORDS)} {how}")
                if word == "off":
                    out[rule] = RuleSetting(enabled=False)
                elif word == "on":
                    out[rule] = RuleSetting(enabled=True)
                else:
                    out[rule] = RuleSetting(enabled=True, severity=word)  # type: ignore[arg-type]
            elif isinstance(value, dict):
                for k in value:
                    if k not in ("enabled", "severity"):
                        self.warn(key, f"rule {rule!r}: unknown key `{k}` (ignored).{did_you_mean(k, ('enabled', 'severity'))}")
                enabled = value.get("enabled", True)
                if not isinstance(enabled, bool):
                    raise self.error(key, f"rule {rule!r}: `enabled` must be true or false")
                severity = value.get("severity")
                if severity is not None and severity not in SEVERITIES:
                    raise self.error(key, f"rule {rule!r}: severity {severity!r} must be one of {', '.join(SEVERITIES)}")
                out[rule] = RuleSetting(enabled=enabled, severity=severity)
            else:
                raise self.error(key, f"rule {rule!r} is {kind_of(value)}; {how}")
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
