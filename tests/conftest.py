"""Isolation for every test: no test reads or writes the real user's config, data or keyring, and none
keeps the widgets of the tests before it alive."""

from __future__ import annotations

import sys
from collections.abc import Iterator

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


def _clear_cache(module: str, *path: str) -> None:
    """`cache_clear()` the lru_cache at module.path, if that module has been imported."""
    cached = sys.modules.get(module)
    for name in path:
        cached = getattr(cached, name, None)
    if hasattr(cached, "cache_clear"):
        cached.cache_clear()


@pytest.fixture(autouse=True)
def _release_dead_widgets() -> Iterator[None]:
    """Textual 8.2's `StylesCache.get_inner_outer` is an lru_cache on an instance method
    (Textualize/textual#6665): it keeps up to 1,024 dead widgets' style caches alive, with their
    rendered lines (about 200,000 objects in a worker by the end of the run)."""
    yield
    _clear_cache("textual._styles_cache", "StylesCache", "get_inner_outer")


def pytest_unconfigure(config: pytest.Config) -> None:
    """Drop what tests left in library caches before pytest's last garbage collections (five
    full ones): textstat keeps the whole CMU dictionary it loads for the tests that compare with
    it (about 270,000 lists). With those in memory the collections took over 5 s on a busy
    machine, and pytest-xdist's gateway then interrupted the worker: the KeyboardInterrupt
    warning that ended the run."""
    _clear_cache("textstat.backend.utils._get_cmudict", "get_cmudict")
    _clear_cache("textual._styles_cache", "StylesCache", "get_inner_outer")


@pytest.fixture
async def http():
    """One httpx client as the app makes it (timeouts, no redirects), closed after the test."""
    from composer.platforms.http import new_http_client

    async with new_http_client() as client:
        yield client
