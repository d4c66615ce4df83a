"""libphonenumber's rules (`phonenumbers`/`phonenumberslite`), loaded only as far as the check needs.

`import phonenumbers` runs the package's `__init__`, which imports every module of it (the
as-you-type formatter, the matcher, short-number info): about a third of its import time, none of it
used here. The check needs only `phonenumbers.phonenumberutil` (parsing, validity, number types,
formatting). `load()` imports that module under the package as Python finds it but without running
the package's `__init__`; the package completes itself (runs its `__init__`) the first time anyone
asks it for a name it does not have yet, so a later `import phonenumbers` anywhere else still sees
the whole package, sharing the modules already loaded.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType

_PACKAGE = "phonenumbers"
_UTIL = "phonenumbers.phonenumberutil"


def load() -> ModuleType:
    """The `phonenumbers.phonenumberutil` module (every name the checks use lives there)."""
    util = sys.modules.get(_UTIL)
    if util is not None:
        return util
    if _PACKAGE not in sys.modules:
        spec = importlib.util.find_spec(_PACKAGE)
        if spec is None or spec.loader is None or spec.submodule_search_locations is None:
            raise ImportError("phonenumbers is not installed: pip install phonenumberslite")
        package = importlib.util.module_from_spec(spec)  # found and made, its __init__ not run
        package.__getattr__ = _completes(package, spec)  # type: ignore[method-assign]
        sys.modules[_PACKAGE] = package
    return importlib.import_module(_UTIL)


def _completes(package: ModuleType, spec):
    """A module `__getattr__` (PEP 562) that runs the package's `__init__` once, on the first name
    asked of it that is not there yet (`phonenumbers.parse`, `from phonenumbers import ...`)."""
    ran = False

    def __getattr__(name: str):
        nonlocal ran
        if ran or (name.startswith("__") and name.endswith("__")):
            raise AttributeError(f"module {_PACKAGE!r} has no attribute {name!r}")
        ran = True
        del package.__getattr__
        spec.loader.exec_module(package)
        return getattr(package, name)

    return __getattr__
