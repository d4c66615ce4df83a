"""Isolation for every test: no test reads or writes the real user's config, data or keyring."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HUMANE_CONFIG", str(home / "config" / "config.toml"))
    monkeypatch.setenv("HUMANE_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "xdg-state"))
    # Never touch a real keyring from a test that did not ask for one.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)


@pytest.fixture
async def http():
    """One httpx client as the app makes it (timeouts, no redirects), closed after the test."""
    from composer.platforms.http import new_http_client

    async with new_http_client() as client:
        yield client
