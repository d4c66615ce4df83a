"""A real HTTP server on 127.0.0.1 (stdlib, one thread per connection) with routes and fault injection.

Each platform's fake subclasses `FakeServer`, registers routes with `@route(METHOD, PATTERN)` and keeps
its own state (posts, tokens). Tests inject faults that hit the next matching requests:

    server.inject("status", path="/api/v1/statuses", status=500, body={"error": "boom"})
    server.inject("latency", seconds=0.2)                  # every request, once
    server.inject("drop-after-commit", path="/api/v1/statuses")   # handler runs, then the socket closes
    server.inject("status", path="/api/v1/statuses", skip=2)       # the third matching request fails

Fault kinds: latency (then handled normally), status (answer `status` with `body`/`headers` without
running the handler), html (an HTML error page with `status`), malformed-json (200 with a broken body,
handler not run), drop-before (close without running the handler), drop-after-commit (run the handler so
the post exists, then close the connection without an answer).
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    match: re.Match[str] | None = None

    @property
    def json(self) -> Any:
        return json.loads(self.body or b"null")

    @property
    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode("utf-8"), keep_blank_values=True)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def multipart(self) -> dict[str, tuple[str | None, str, bytes]]:
        """A multipart/form-data body: name -> (file name or None, content type, bytes)."""
        from email.parser import BytesParser
        from email.policy import HTTP

        ctype = self.header("content-type") or ""
        if not ctype.lower().startswith("multipart/form-data"):
            return {}
        message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + self.body)
        out: dict[str, tuple[str | None, str, bytes]] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if isinstance(name, str):
                payload = part.get_payload(decode=True)
                out[name] = (part.get_filename(), part.get_content_type(), payload if isinstance(payload, bytes) else b"")
        return out


@dataclass
class Response:
    status: int = 200
    body: Any = None
    """dict/list → JSON; str → text; bytes → as is; None → empty."""
    headers: dict[str, str] = field(default_factory=dict)

    def encode(self) -> tuple[bytes, str]:
        if self.body is None:
            return b"", self.headers.get("Content-Type", "application/json")
        if isinstance(self.body, bytes):
            return self.body, self.headers.get("Content-Type", "application/octet-stream")
        if isinstance(self.body, str):
            return self.body.encode("utf-8"), self.headers.get("Content-Type", "text/plain; charset=utf-8")
        return json.dumps(self.body).encode("utf-8"), "application/json; charset=utf-8"


@dataclass
class Fault:
    kind: str
    path: str | None = None
    method: str | None = None
    times: int = 1
    status: int = 500
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    skip: int = 0
    """Matching requests to let through first (`skip=2`: the third one is hit: a thread's part 3)."""

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and (
            self.path is None or re.fullmatch(self.path, path) is not None or path == self.path
        )


Handler = Callable[["FakeServer", Request], Response]


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    """Mark a FakeServer method as the handler for METHOD and a full-match regex of the path."""

    def mark(fn: Handler) -> Handler:
        fn.__route__ = (method.upper(), re.compile(pattern))  # type: ignore[attr-defined]
        return fn

    return mark


class FakeServer:
    """Start with `with FakeXServer() as server:` (or start()/stop()); `server.url` is its base URL."""

    def __init__(self, *, latency: float = 0.0) -> None:
        self.latency = latency
        """Added to every answer (bench/publish.py uses 0.2 s)."""
        self.faults: list[Fault] = []
        self.log: list[Request] = []
        self.lock = threading.RLock()
        self._routes = [
            getattr(self, name).__route__ + (getattr(self, name),)
            for name in dir(type(self))
            if hasattr(getattr(type(self), name), "__route__")
        ]
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle
    def start(self) -> FakeServer:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else every small answer waits ~40 ms for a delayed ACK

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _handle(self) -> None:
                try:
                    server._dispatch(self)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up (a timeout test): not a fake bug

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    # -- faults
    def inject(self, kind: str, *, path: str | None = None, method: str | None = None, times: int = 1, **kw: Any) -> Fault:
        fault = Fault(kind=kind, path=path, method=method, times=times, **kw)
        with self.lock:
            self.faults.append(fault)
        return fault

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.times > 0 and fault.matches(method, path):
                    if fault.skip > 0:
                        fault.skip -= 1
                        continue
                    fault.times -= 1
                    if fault.times == 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def requests(self, method: str | None = None, path: str | None = None) -> list[Request]:
        with self.lock:
            return [
                r for r in self.log
                if (method is None or r.method == method) and (path is None or re.fullmatch(path, r.path))
            ]

    # -- dispatch
    def _dispatch(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        req = Request(
            method=h.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in h.headers.items()},
            body=body,
        )
        with self.lock:
            self.log.append(req)
        if self.latency:
            time.sleep(self.latency)
        fault = self._take_fault(req.method, req.path)
        if fault is not None:
            if fault.kind == "latency":
                time.sleep(fault.seconds)
            elif fault.kind == "status":
                return self._write(h, Response(fault.status, fault.body, dict(fault.headers)))
            elif fault.kind == "html":
                page = f"<html><head><title>{fault.status} Bad Gateway</title></head><body><h1>nginx</h1></body></html>"
                return self._write(h, Response(fault.status, page, {"Content-Type": "text/html", **fault.headers}))
            elif fault.kind == "malformed-json":
                return self._write(h, Response(200, b'{"id": "12', {"Content-Type": "application/json"}))
            elif fault.kind == "drop-before":
                return self._drop(h)
        response = self._route(req)
        if fault is not None and fault.kind == "drop-after-commit":
            return self._drop(h)
        self._write(h, response)

    def _route(self, req: Request) -> Response:
        for method, pattern, fn in self._routes:
            if method == req.method:
                m = pattern.fullmatch(req.path)
                if m:
                    req.match = m
                    try:
                        return fn(req)
                    except Exception as err:  # a bug in a fake must show up in the test
                        return Response(500, {"error": f"fake server bug: {type(err).__name__}: {err}"})
        return self.not_found(req)

    def not_found(self, req: Request) -> Response:
        return Response(404, {"error": "Record not found"})

    @staticmethod
    def _write(h: BaseHTTPRequestHandler, response: Response) -> None:
        data, ctype = response.encode()
        h.send_response(response.status)
        headers = {"Content-Type": ctype, **response.headers}
        for k, v in headers.items():
            if k.lower() != "content-length":
                h.send_header(k, v)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        if data:
            h.wfile.write(data)

    @staticmethod
    def _drop(h: BaseHTTPRequestHandler) -> None:
        h.close_connection = True
        try:
            h.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
