"""What looks like a secret in config.toml (a key named for one, or a value shaped like a token),
so that it is refused: secrets live in the keyring only."""

from __future__ import annotations

import math
import re
from pathlib import Path

from composer import registry

from .model import ConfigError
from .toml_file import parse_key

SECRET_KEY_RE = re.compile(
    r"(token|passw(or)?d|passphrase|secret|api[_-]?key|credential|bearer|private[_-]?key|"
    r"app[_-]?pass|jwt|cookie|^auth(orization)?$)",
    re.IGNORECASE,
)
"""Key names that hold secrets: such a key in config.toml is refused whatever its value."""
JWT_RE = re.compile(r"^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.")
TOKEN_PREFIX_RE = re.compile(r"^(ghp_|gho_|github_pat_|xox[abpr]-|sk-[A-Za-z0-9]|Bearer\s)")
RANDOM_CHARS_RE = re.compile(r"^[A-Za-z0-9_\-+/=~.]{32,}$")
PUBLIC_RE = re.compile(r"^(npub|nprofile|note|nevent)1[02-9ac-hj-np-z]{50,}$")
"""Public Nostr identifiers (NIP-19: a public key, a note id): random-looking, and no secret."""


def entropy(text: str) -> float:
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
        for entry in registry.publishable():
            secret = entry.login.secret if entry.login else None
            if secret and secret.pattern and re.fullmatch(secret.pattern, s):
                return f"its value has the form of a {entry.label} {secret.kind} ({secret.shape})"
        if JWT_RE.match(s):
            return "its value is a session token (JWT)"
        if TOKEN_PREFIX_RE.match(s):
            return "its value starts like an access token"
        if (
            not PUBLIC_RE.match(s)
            and RANDOM_CHARS_RE.match(s)
            and "://" not in s
            and any(c.isdigit() for c in s)
            and any(c.isalpha() for c in s)
            and entropy(s) >= 3.5
        ):
            return "its value is a long random string, like an access token"
    return None


def refuse_secret_lines(path: Path, text: str) -> None:
    table: tuple[str, ...] = ()
    for i, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            parsed = parse_key(stripped, 2 if stripped.startswith("[[") else 1)
            table = parsed[0] if parsed else ()
            continue
        m = re.match(r"\s*([\"']?)([A-Za-z0-9_.-]+)\1\s*=", line)
        if m and table[:2] != ("guidelines", "rules") and SECRET_KEY_RE.search(m.group(2).rsplit(".", 1)[-1]):
            raise ConfigError(
                f"`{m.group(2)}` looks like a secret. Secrets never go in config.toml: delete that line, "
                "then run `humane accounts add NAME`, which keeps it in the OS keyring.",
                path=path, line=i,
            )
