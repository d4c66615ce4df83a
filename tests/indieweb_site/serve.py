"""Run the test site: `python -m tests.indieweb_site.serve FOLDER`. Makes a fresh database there,
the user `alice` and an access token with the create scope, binds 127.0.0.1 on a free port, prints
one JSON line {"url", "token"} and serves until killed."""

from __future__ import annotations

import json
import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    os.environ["INDIEWEB_TEST_DIR"] = sys.argv[1]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.indieweb_site.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from indieweb.models import Token

    call_command("migrate", verbosity=0, interactive=False)
    server = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=_Server, handler_class=_Quiet)
    url = f"http://127.0.0.1:{server.server_port}/"
    user = get_user_model().objects.create_user("alice", password="not-used-8c2f")
    token = Token(owner=user, client_id="https://humane-composer.example/", me=url, scope="create")
    token.save()
    print(json.dumps({"url": url, "token": token.raw_key}), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
