"""A small Django site that runs django-indieweb (IndieAuth tokens, a Micropub endpoint) for the
tests: `tests/indieweb_fixture.py` starts it on 127.0.0.1 in its own process."""
