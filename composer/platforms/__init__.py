"""Platform clients, one module each, loaded only when used (httpx costs start-up time).

Which platforms there are, and which module holds each one's client, is `composer.registry`."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from composer import registry

if TYPE_CHECKING:
    from .base import PlatformClient


def clients() -> dict[str, str]:
    """Registry name -> "module:Class", for every platform with a client."""
    return {p.name: p.client for p in registry.publishable() if p.client}


PLATFORMS: dict[str, str] = clients()
"""`clients()` as the registry was when this module was imported (kept for older callers)."""


def available() -> list[str]:
    """Platform names whose module is present in this installation."""
    from importlib.util import find_spec

    return [name for name, target in clients().items() if find_spec(target.split(":")[0]) is not None]


def client_class(name: str) -> type[PlatformClient]:
    """The client class for a platform name; KeyError with the known names if unknown."""
    known = clients()
    try:
        target = known[name]
    except KeyError:
        raise KeyError(f"unknown platform {name!r}; known: {', '.join(sorted(known))}") from None
    module, _, attr = target.partition(":")
    return getattr(import_module(module), attr)
