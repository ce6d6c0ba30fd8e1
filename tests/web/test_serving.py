"""How the app is served: gzip with zlib-ng, uvloop and httptools, a listening socket per worker."""

from __future__ import annotations

import gzip
import socket
import threading
import zlib
from typing import Any, ClassVar

import pytest
from fastapi.testclient import TestClient

from smartpick.store import SQLiteStore
from smartpick.web import create_app, workers
from smartpick.web.compress import GZIP_LEVEL
from smartpick.web.settings import ALLOWED_HOSTS_ENV, PUBLIC_URL_ENV

from . import fakes

PROFILE = {"specialty": "Internal Medicine", "applicant_type": "us_img", "step2_score": 231}


def _plan(client: TestClient, encoding: str) -> Any:
    return client.post(
        "/api/plan?advice=false", json=PROFILE, headers={"accept-encoding": encoding}
    )


def test_gzip_answers_decompress_to_the_plain_answer_at_the_configured_level() -> None:
    zlib_ng = pytest.importorskip("zlib_ng.zlib_ng")
    client = TestClient(create_app(fakes.FakePlanner(), SQLiteStore(":memory:")))
    plain = _plan(client, "identity")
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    with client.stream(
        "POST",
        "/api/plan?advice=false",
        json=PROFILE,
        headers={"accept-encoding": "gzip"},
    ) as packed:
        sent = b"".join(packed.iter_raw())
        assert packed.headers["content-encoding"] == "gzip"
        assert packed.headers["vary"] == "Accept-Encoding"
        assert int(packed.headers["content-length"]) == len(sent)
    assert gzip.decompress(sent) == plain.content  # a standard gzip stream, the same bytes
    deflater = zlib_ng.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    assert sent == deflater.compress(plain.content) + deflater.flush()  # zlib-ng, level 5


def test_small_and_excluded_answers_are_not_compressed() -> None:
    client = TestClient(create_app(fakes.FakePlanner(), SQLiteStore(":memory:")))
    small = client.get("/favicon.ico", headers={"accept-encoding": "gzip"})
    assert small.status_code == 204 and "content-encoding" not in small.headers
    bad = client.post("/api/plan", content=b"x=1", headers={"content-type": "text/plain"})
    assert bad.status_code == 415 and bad.json()["field"] == "Content-Type"


def test_serve_runs_uvloop_and_httptools_and_gives_each_worker_its_socket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import uvicorn

    from smartpick.cli import main

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: seen.update(kwargs))
    for name in (ALLOWED_HOSTS_ENV, PUBLIC_URL_ENV):  # serve sets them: restored afterwards
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    assert main(["serve", "--port", "8124"]) == 0
    assert seen["loop"] == workers.event_loop() == "uvloop"
    assert seen["http"] == workers.http_parser() == "httptools"
    monkeypatch.setattr(workers, "run_workers", lambda n, host, port, **kw: seen.update(n=n, **kw))
    seen.clear()
    assert main(["serve", "--port", "8124", "--workers", "2"]) == 0
    assert seen["n"] == 2 and seen["loop"] == "uvloop" and seen["http"] == "httptools"


class _FakeProcess:
    """uvicorn's worker process, recorded instead of started."""

    made: ClassVar[list[_FakeProcess]] = []

    def __init__(self, config: Any, sockets: list[socket.socket]) -> None:
        self.sockets, self.alive, self.pid = sockets, True, len(self.made)
        self.exitcode: int | None = None
        self.started = self.terminated = False
        self.made.append(self)

    def start(self) -> None:
        self.started = True

    def is_alive(self, timeout: float) -> bool:
        return self.alive

    def kill(self) -> None:
        self.alive = False

    def join(self) -> None:
        pass

    def terminate(self) -> None:
        self.terminated = True


def test_supervisor_replaces_a_dead_worker_on_its_own_socket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import uvicorn

    monkeypatch.setattr(workers, "Process", _FakeProcess)
    _FakeProcess.made = []
    sockets = [socket.socket(), socket.socket()]
    try:
        sup = workers.Supervisor(uvicorn.Config(workers.WORKER_APP), sockets)
        made = _FakeProcess.made
        sup.start()
        assert [p.sockets for p in made] == [[sockets[0]], [sockets[1]]]
        assert all(p.started for p in made)
        sup.check()
        assert len(made) == 2  # both answer: nothing replaced
        made[1].alive = False
        sup.check()
        assert len(made) == 3 and sup.processes[1] is made[2]  # type: ignore[comparison-overlap]
        assert made[2].started and made[2].sockets == [sockets[1]] and not sup.stop.is_set()
        made[0].alive, made[0].exitcode = False, 3  # STARTUP_FAILURE
        sup.check()
        assert sup.stop.is_set() and len(made) == 3  # not replaced: the app cannot start
        sup.terminate()
        assert made[0].terminated and made[2].terminated and not made[1].terminated
    finally:
        for sock in sockets:
            sock.close()


@pytest.mark.skipif(not workers.spreads_connections(), reason="SO_REUSEPORT balancing is Linux's")
def test_the_kernel_spreads_connections_over_the_workers_sockets() -> None:
    listeners = workers.listeners("127.0.0.1", 0, 2, 64)
    port = listeners[0].getsockname()[1]
    assert listeners[1].getsockname()[1] == port
    counts = [0, 0]
    clients: list[socket.socket] = []
    try:
        for sock in listeners:
            sock.settimeout(0.2)
        for _ in range(40):  # a burst, as keep-alive clients open their connections
            clients.append(socket.create_connection(("127.0.0.1", port)))

        def drain(i: int) -> None:
            while True:
                try:
                    conn, _ = listeners[i].accept()
                except TimeoutError:
                    return
                conn.close()
                counts[i] += 1

        threads = [threading.Thread(target=drain, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        for s in [*clients, *listeners]:
            s.close()
    assert sum(counts) == 40 and min(counts) >= 5  # each socket its share (binomial, 40 draws)


def test_workers_do_not_share_a_port_another_server_holds() -> None:
    taken = workers.listeners("127.0.0.1", 0, 1, 8)
    try:
        with pytest.raises(SystemExit):  # uvicorn's exit code for a server that cannot start
            workers.listeners("127.0.0.1", taken[0].getsockname()[1], 2, 8)
    finally:
        taken[0].close()
