"""A fake Nostr relay on 127.0.0.1: a real WebSocket server (the `websockets` library's threaded
server) speaking NIP-01, checking every event as a relay must:

- `["EVENT", event]`: the id must be the SHA-256 of the NIP-01 serialization and the signature a
  valid BIP-340 Schnorr signature of it by `pubkey` (checked with coincurve), else
  `["OK", id, false, "invalid: ..."]`. An id already stored → `["OK", id, true, "duplicate: already
  have this event"]` and nothing new is stored. Content longer than `max_content_length` (code
  points) → `OK false "invalid: content is too long"`. `blocked` pubkeys → `OK false "blocked: ..."`.
- `["REQ", sub, {ids|authors|kinds}...]` → the matching stored events, then `["EOSE", sub]`.
- An HTTP request with `Accept: application/nostr+json` gets the NIP-11 document (with
  `limitation.max_content_length` when set).

Faults, injected as on the HTTP fakes (`relay.inject(kind, times=1, ...)`), hit the next EVENTs:
- `latency` (`seconds`): wait, then handle the event as usual;
- `status` (`status`, `headers`): refuse the WebSocket handshake with that HTTP status (500, 429
  with Retry-After, 401);
- `malformed`: answer the EVENT with a text that is not JSON, then close;
- `drop-before`: close the connection without storing the event;
- `drop-after-commit`: store the event, then close without an OK;
- `ok-false` (`reason`): refuse the event with `["OK", id, false, reason]`, storing nothing.
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any


def check_event(event: Any) -> str | None:
    """Why `event` is not a valid NIP-01 event (written here again, apart from the client's code,
    so that a mistake there cannot hide itself); None when it is valid."""
    from coincurve import PublicKeyXOnly

    if not isinstance(event, dict) or set(event) != {"id", "pubkey", "created_at", "kind", "tags", "content", "sig"}:
        return "not an event"
    if not (isinstance(event["tags"], list) and all(isinstance(t, list) and all(isinstance(x, str) for x in t)
                                                    for t in event["tags"])):
        return "tags must be lists of strings"
    serialized = json.dumps([0, event["pubkey"], event["created_at"], event["kind"], event["tags"], event["content"]],
                            separators=(",", ":"), ensure_ascii=False)
    if hashlib.sha256(serialized.encode("utf-8")).hexdigest() != event["id"]:
        return "event id does not match"
    try:
        good = PublicKeyXOnly(bytes.fromhex(event["pubkey"])).verify(bytes.fromhex(event["sig"]),
                                                                     bytes.fromhex(event["id"]))
    except (ValueError, TypeError):
        good = False
    return None if good else "signature is wrong"


@dataclass
class RelayFault:
    kind: str
    times: int = 1
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    reason: str = ""


class FakeRelay:
    """`with FakeRelay() as relay:` ...; `relay.url` is its ws:// address, `relay.events` what it stored."""

    def __init__(self, *, max_content_length: int | None = None, info: bool = True) -> None:
        self.max_content_length = max_content_length
        self.info = info
        self.events: dict[str, dict[str, Any]] = {}
        self.received: list[dict[str, Any]] = []
        """Every EVENT message's event, valid or not, in order."""
        self.blocked: set[str] = set()
        self.faults: list[RelayFault] = []
        self.handshakes = 0
        self.lock = threading.RLock()
        self._server: Any = None
        self._thread: threading.Thread | None = None

    # -- lifecycle
    def start(self) -> FakeRelay:
        from websockets.sync.server import serve

        self._server = serve(self._handle, "127.0.0.1", 0, process_request=self._process_request,
                             close_timeout=1)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server = None

    def __enter__(self) -> FakeRelay:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._server.socket.getsockname()[:2]
        return f"ws://{host}:{port}"

    # -- faults and state
    def inject(self, kind: str, *, times: int = 1, **kw: Any) -> RelayFault:
        fault = RelayFault(kind=kind, times=times, **kw)
        with self.lock:
            self.faults.append(fault)
        return fault

    def _take(self, *kinds: str) -> RelayFault | None:
        with self.lock:
            for fault in self.faults:
                if fault.kind in kinds and fault.times > 0:
                    fault.times -= 1
                    if fault.times == 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def notes(self) -> list[dict[str, Any]]:
        """Stored kind-1 events, oldest first."""
        with self.lock:
            return [e for e in self.events.values() if e.get("kind") == 1]

    # -- the server
    def _process_request(self, connection: Any, request: Any) -> Any:
        if "application/nostr+json" in request.headers.get("Accept", ""):
            if not self.info:
                return connection.respond(404, "Not Found\n")
            doc: dict[str, Any] = {"name": "fake relay", "supported_nips": [1, 10, 11],
                                   "software": "tests/fakes/nostr.py", "version": "1"}
            if self.max_content_length:
                doc["limitation"] = {"max_content_length": self.max_content_length}
            response = connection.respond(200, json.dumps(doc))
            response.headers["Content-Type"] = "application/nostr+json"
            return response
        with self.lock:
            self.handshakes += 1
        fault = self._take("status")
        if fault is not None:
            response = connection.respond(fault.status, f"HTTP {fault.status}\n")
            for k, v in fault.headers.items():
                response.headers[k] = v
            return response
        return None

    def _handle(self, ws: Any) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            for raw in ws:
                try:
                    message = json.loads(raw)
                except ValueError:
                    ws.send(json.dumps(["NOTICE", "error: could not parse your message"]))
                    continue
                if not isinstance(message, list) or not message:
                    continue
                if message[0] == "EVENT" and len(message) == 2:
                    if not self._event(ws, message[1]):
                        return
                elif message[0] == "REQ" and len(message) >= 2:
                    self._req(ws, message[1], message[2:])
        except ConnectionClosed:
            pass

    def _event(self, ws: Any, event: Any) -> bool:
        """Handle one EVENT; False when the connection was closed on purpose."""
        with self.lock:
            self.received.append(event)
        event_id = event.get("id", "") if isinstance(event, dict) else ""
        fault = self._take("latency", "malformed", "drop-before", "drop-after-commit", "ok-false")
        if fault is not None and fault.kind == "latency":
            time.sleep(fault.seconds)
            fault = None
        if fault is not None and fault.kind == "malformed":
            ws.send("<html>502 Bad Gateway</html>")
            ws.close()
            return False
        if fault is not None and fault.kind == "drop-before":
            _cut(ws)
            return False
        if fault is not None and fault.kind == "ok-false":
            ws.send(json.dumps(["OK", event_id, False, fault.reason]))
            return True
        why = check_event(event)
        if why is not None:
            ws.send(json.dumps(["OK", event_id, False, f"invalid: {why}"]))
            return True
        if self.max_content_length and len(event["content"]) > self.max_content_length:
            ws.send(json.dumps(["OK", event_id, False, "invalid: content is too long"]))
            return True
        if event["pubkey"] in self.blocked:
            ws.send(json.dumps(["OK", event_id, False, "blocked: this relay takes notes from members only"]))
            return True
        with self.lock:
            duplicate = event_id in self.events
            if not duplicate:
                self.events[event_id] = event
        if fault is not None and fault.kind == "drop-after-commit":
            _cut(ws)
            return False
        ws.send(json.dumps(["OK", event_id, True, "duplicate: already have this event" if duplicate else ""]))
        return True

    def _req(self, ws: Any, sub: Any, filters: list[Any]) -> None:
        with self.lock:
            stored = list(self.events.values())
        for event in stored:
            if any(_matches(event, f) for f in filters if isinstance(f, dict)):
                ws.send(json.dumps(["EVENT", sub, event]))
        ws.send(json.dumps(["EOSE", sub]))


def _matches(event: dict[str, Any], f: dict[str, Any]) -> bool:
    return all((
        "ids" not in f or event["id"] in f["ids"],
        "authors" not in f or event["pubkey"] in f["authors"],
        "kinds" not in f or event["kind"] in f["kinds"],
    ))


def _cut(ws: Any) -> None:
    """Drop the connection at once, without a closing handshake (a relay that crashed or a proxy cut)."""
    try:
        ws.socket.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
