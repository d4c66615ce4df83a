"""What every OAuth 2.0 login of a terminal app needs (Mastodon's, X's): a PKCE pair (RFC 7636,
S256), the writer carrying the code from the browser by copy and paste."""

from __future__ import annotations

import base64
import hashlib
import secrets


def pkce() -> tuple[str, str]:
    """(code_verifier, code_challenge): the verifier is kept for the token request, the challenge
    goes into the authorize address."""
    verifier = secrets.token_urlsafe(64)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()
    return verifier, challenge
