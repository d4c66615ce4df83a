"""An in-memory keyring backend, for tests and benchmarks that need a keyring but not the OS one
(`SecretStore(memory_backend())`). The real Secret Service is in tests/keyring_fixture.py."""

from __future__ import annotations

from typing import Any


def memory_backend() -> Any:
    from keyring.backend import KeyringBackend
    from keyring.errors import PasswordDeleteError

    class MemoryKeyring(KeyringBackend):
        """Secrets in a dict, gone when the process ends."""

        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            self.data: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.data.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.data[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            if self.data.pop((service, username), None) is None:
                raise PasswordDeleteError(username)

    return MemoryKeyring()
