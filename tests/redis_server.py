"""A real ``redis-server`` (Debian's package) on a free port in a temporary folder, for the
class store's tests: started here, stopped at the end, never a mock.  Missing, it skips on a
developer's machine and fails in CI (``browser.missing``)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from browser import free_port, missing

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class RedisServer:
    """``durable``: every write is in the append-only file before Redis answers it
    (``appendfsync always``), so a restart keeps every acknowledged answer."""

    def __init__(self, durable: bool = False) -> None:
        if not Path(REDIS_SERVER).exists():
            missing("no redis-server (apt-get install redis-server); the Redis store's tests skipped")
        self.folder = tempfile.mkdtemp(prefix="nnviz-redis-")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.durable = durable
        self.start()

    def start(self) -> None:
        persistence = ["--appendonly", "yes", "--appendfsync", "always"] if self.durable else ["--appendonly", "no"]
        self.proc = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                self.folder,
                "--save",
                "",
                *persistence,
                "--protected-mode",
                "yes",
                "--enable-debug-command",
                "local",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("redis-server did not answer within 20 s")

    def halt(self) -> None:
        """Stop the server and keep its data folder (a restart, not a new server)."""
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def stop(self) -> None:
        self.halt()
        shutil.rmtree(self.folder, ignore_errors=True)
