"""A gunicorn of the project's own, for measuring: 127.0.0.1, a free port, one sync worker, debug off.

It runs the project's `gunicorn.conf.py` (which checks the configuration, collects static files
and forgets cached pages before the worker starts), with the command line overriding the address
and the workers. Its settings are the project's, written to a throwaway module in a temporary
folder: a throwaway secret key, 127.0.0.1 as the only allowed host, static files collected into
the temporary folder, the database the benchmark command itself is connected to, and the floor
URLs of `demo.benchmark.urls`. It runs in its own process group, and stopping it stops that
group, whatever happens to the command.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import gunicorn
from django.conf import settings
from django.db import connection

from demo.benchmark.client import Browser

SETTINGS_MODULE = """\
# Written by manage.py benchmark for its own gunicorn; removed when it stops.
import json as _json
import os as _os

from {settings_module} import *  # noqa: F403

DEBUG = False
SECRET_KEY = _os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1"]
SECURE_SSL_REDIRECT = False
BENCHMARK_SITE_URLCONF = ROOT_URLCONF  # noqa: F405
ROOT_URLCONF = "demo.benchmark.urls"
BENCHMARK_FLOOR_DIR = {floor_dir!r}
STATIC_ROOT = {static_root!r}
DATABASES = {{"default": _json.loads(_os.environ["BENCHMARK_DATABASE"])}}
"""


class ServerError(Exception):
    """The benchmark's gunicorn did not start or died."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BenchmarkServer:
    """`with BenchmarkServer(folder) as server:` gunicorn runs inside the block, and is stopped after it."""

    def __init__(self, folder: Path, *, start_timeout: float = 180):
        self.folder = folder
        self.start_timeout = start_timeout
        self.port = free_port()
        self.floor_dir = folder / "floor"
        self.log_path = folder / "gunicorn.log"
        self.process: subprocess.Popen | None = None
        self.floors = 0
        self.description = f"gunicorn {gunicorn.__version__}, 1 sync worker, debug off"

    def __enter__(self) -> BenchmarkServer:
        self.floor_dir.mkdir()
        (self.folder / "benchmark_settings.py").write_text(
            SETTINGS_MODULE.format(
                settings_module=settings.SETTINGS_MODULE,
                floor_dir=str(self.floor_dir),
                static_root=str(self.folder / "static"),
            )
        )
        database = {key: value for key, value in connection.settings_dict.items() if key != "TEST"}
        environment = {key: value for key, value in os.environ.items() if key != "GUNICORN_CMD_ARGS"}
        environment.update(
            DJANGO_SETTINGS_MODULE="benchmark_settings",
            PYTHONPATH=os.pathsep.join(filter(None, [str(self.folder), os.environ.get("PYTHONPATH")])),
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="benchmark-" + secrets.token_hex(24),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            BOOKSTORE_BEHIND_PROXY="0",
            BENCHMARK_DATABASE=json.dumps(database, default=str),
        )
        wsgi = settings.WSGI_APPLICATION.rpartition(".")
        command = [
            sys.executable, "-m", "gunicorn",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", "1", "--worker-class", "sync", "--threads", "1",
            "--timeout", "300",
            f"{wsgi[0]}:{wsgi[2]}",
        ]  # fmt: skip
        log = self.log_path.open("ab")
        try:
            self.process = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,  # where gunicorn finds the project's gunicorn.conf.py
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, stopped as a whole
            )
        finally:
            log.close()
        try:
            self._wait_until_serving()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def check_alive(self) -> None:
        if self.process is None or self.process.poll() is not None:
            raise ServerError(f"gunicorn exited; its last output:\n{self.log_tail()}")

    def _wait_until_serving(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                Browser(self.port, timeout=10).get("/robots.txt")
                return
            except OSError:
                time.sleep(0.2)
        raise ServerError(f"gunicorn did not answer within {self.start_timeout:.0f} s:\n{self.log_tail()}")

    def add_floor(self, body: bytes, content_type: str) -> str:
        """A floor path that returns `body` with `content_type`."""
        number = self.floors
        self.floors += 1
        (self.floor_dir / f"{number}.bin").write_bytes(body)
        (self.floor_dir / f"{number}.json").write_text(json.dumps({"content_type": content_type}))
        return f"/__floor__/{number}/"

    def stop(self, grace: float = 15) -> None:
        """Stop gunicorn's process group (only that one): TERM, then KILL after `grace` seconds."""
        process = self.process
        if process is None:
            return
        group = process.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and (process.poll() is None or _group_alive(group)):
            time.sleep(0.05)
        if process.poll() is None or _group_alive(group):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
