"""A secret that is an OAuth token: pasted alone, or kept in the keyring as a JSON object
(`{"access_token", "refresh_token", "expires_at", ...}`) by a client that renews it (X, Threads)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .records import Secret


def token_fields(secret: Secret) -> dict[str, Any]:
    """The JSON object a secret keeps, or `{"access_token": secret}` for a bare token."""
    raw = secret.reveal().strip()
    if raw.startswith("{"):
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if isinstance(data, dict):
            return data
    return {"access_token": raw}


def access_token(secret: Secret) -> str:
    """The access token of a secret (`token_fields`); "" when a JSON secret holds none."""
    return str(token_fields(secret).get("access_token") or "")


def token_secret(fields: Mapping[str, Any]) -> Secret:
    """The secret that keeps `fields` (empty ones left out), as `token_fields` reads it back."""
    return Secret(json.dumps({k: v for k, v in fields.items() if v}, separators=(",", ":"), sort_keys=True))
