from composer.cli import _entry

_entry()
