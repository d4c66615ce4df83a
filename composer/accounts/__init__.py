"""Accounts: the non-secret settings from config.toml, and their secrets in the OS keyring.

- `secret_store`: `SecretStore`, the one door to the keyring.
- `clients`: `open_client(name)`, a ready platform client for an account; `client_opener(config)`,
  the same for the several accounts of one command.
- `setup`: adding, verifying and removing an account, one workflow each for every face.
"""

from composer.accounts.clients import (
    UnknownAccount,
    client_opener,
    find_account,
    missing_secret_error,
    open_client,
    save_secret_hook,
)
from composer.accounts.secret_store import FIX, SERVICE, KeyringUnavailable, SecretStore

__all__ = [
    "FIX",
    "SERVICE",
    "KeyringUnavailable",
    "SecretStore",
    "UnknownAccount",
    "client_opener",
    "find_account",
    "missing_secret_error",
    "open_client",
    "save_secret_hook",
]
