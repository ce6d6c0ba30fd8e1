"""Real processes to kill: ``smartpick serve`` and other commands as subprocesses on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

PROFILE = {"specialty": "Internal Medicine", "step2_score": 225, "us_letters": 2}
SAVE = {"profile": PROFILE, "exclude": [], "include": []}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def command(db: Path, store: str, *args: str) -> list[str]:
    """``smartpick --db DB --store STORE ARGS`` as an argument vector."""
    return [sys.executable, "-m", "smartpick", "--db", str(db), "--store", store, *args]


def env() -> dict[str, str]:
    out = dict(os.environ)
    out.pop("SMARTPICK_DATABASE_URL", None)
    return out


def run(db: Path, store: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run a command to the end."""
    return subprocess.run(
        command(db, store, *args), capture_output=True, text=True, timeout=timeout, env=env()
    )


def spawn(db: Path, store: str, *args: str) -> subprocess.Popen[bytes]:
    """Start a command in its own session (to kill it with SIGKILL); stderr goes to a file
    beside the catalog (``.stderr`` names it)."""
    log = db.with_name(f"stderr-{time.monotonic_ns()}.log")
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            command(db, store, *args),
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=env(),
            start_new_session=True,
        )
    proc.stderr_path = log  # type: ignore[attr-defined]
    return proc


def stderr_of(proc: subprocess.Popen[bytes]) -> str:
    path: Path = proc.stderr_path  # type: ignore[attr-defined]
    return path.read_text(errors="replace")[-2000:]


def kill9(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process (no clean-up of any kind runs) and reap it."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


@dataclass
class Server:
    """A ``smartpick serve`` process."""

    proc: subprocess.Popen[bytes]
    base: str

    @classmethod
    def start(cls, db: Path, store: str, timeout: float = 30) -> Server:
        port = free_port()
        proc = spawn(db, store, "serve", "--host", "127.0.0.1", "--port", str(port))
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited ({proc.returncode}): {stderr_of(proc)}")
            try:
                if httpx.get(base + "/api/specialties", timeout=1).status_code == 200:
                    return cls(proc, base)
            except httpx.HTTPError:
                time.sleep(0.03)
        kill9(proc)
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        kill9(self.proc)


@dataclass
class Savers:
    """Threads that save plans through ``POST /api/plans`` until stopped or the server dies."""

    base: str
    threads: int = 6
    acked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # non-2xx answers (not connection drops)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _pool: list[threading.Thread] = field(default_factory=list)

    def _work(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as client:
            while not self._stop.is_set():
                try:
                    resp = client.post("/api/plans", json=SAVE, params={"advice": "false"})
                except httpx.HTTPError:
                    return  # the server is gone
                with self._lock:
                    if resp.status_code == 201:
                        self.acked.append(resp.json()["id"])
                    else:
                        self.errors.append(f"{resp.status_code} {resp.text[:200]}")

    def start(self) -> Savers:
        self._pool = [threading.Thread(target=self._work, daemon=True) for _ in range(self.threads)]
        for t in self._pool:
            t.start()
        return self

    def wait_for(self, n: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while len(self.acked) < n and time.monotonic() < deadline:
            time.sleep(0.005)
        assert len(self.acked) >= n, f"only {len(self.acked)} saves answered: {self.errors[:3]}"

    def stop(self) -> None:
        self._stop.set()
        for t in self._pool:
            t.join(timeout=30)


def missing(base: str, ids: Sequence[str]) -> list[str]:
    """The ids the server does not return (GET /api/plans/{id} is not 200)."""
    with httpx.Client(base_url=base, timeout=30) as client:
        return [i for i in ids if client.get(f"/api/plans/{i}").status_code != 200]


def temps(folder: Path) -> list[Path]:
    """Temp files a build or an import may leave."""
    return sorted(p for p in folder.iterdir() if p.name.endswith((".tmp", "-journal")))


def logs(folder: Path) -> None:
    """Remove the stderr files of the processes (kept only while a test runs)."""
    for log in folder.glob("stderr-*.log"):
        log.unlink()
