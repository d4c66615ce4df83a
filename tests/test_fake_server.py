"""The fake-server harness itself: routes, faults, a real socket."""

import httpx
import pytest

from tests.fakes.server import FakeServer, Request, Response, route


class Echo(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    @route("POST", r"/things")
    def make(self, req: Request) -> Response:
        self.count += 1
        return Response(201, {"n": self.count, "got": req.json})


def test_route_and_faults():
    with Echo() as server:
        r = httpx.post(server.url + "/things", json={"a": 1})
        assert r.status_code == 201 and r.json() == {"n": 1, "got": {"a": 1}}
        server.inject("status", path="/things", status=429, body={"error": "slow"}, headers={"Retry-After": "3"})
        r = httpx.post(server.url + "/things", json={})
        assert r.status_code == 429 and r.headers["retry-after"] == "3" and server.count == 1
        server.inject("drop-after-commit", path="/things")
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.post(server.url + "/things", json={})
        assert server.count == 2  # committed, answer lost
        assert httpx.get(server.url + "/nope").status_code == 404
        assert len(server.requests("POST", "/things")) == 3
