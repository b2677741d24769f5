"""`gunicorn bookstore.wsgi` serves the site and its static files with debug off."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_gunicorn_serves_pages_and_static_files_with_debug_off(tmp_path):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "REDIS_URL"))}
    env.update(
        DJANGO_SECRET_KEY="gunicorn-test-secret-" + "9fK2xQ7mL4vZ8rT1wN6bH3yD0cJ5gPsA",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    bin_dir = Path(sys.executable).parent
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert migrate.returncode == 0, migrate.stderr
    server = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "bookstore.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, body = fetch(base + "/")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not start in 60 s"
                time.sleep(0.3)
        assert status == 200
        page = body.decode()
        assert "No books yet." in page
        # Hashed file names, as collected for production by gunicorn.conf.py.
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
        assert stylesheet, page
        status, headers, css = fetch(base + stylesheet.group(1))
        assert status == 200
        assert b".product" in css
        assert "max-age=315360000" in headers.get("Cache-Control", "")
        status, _, body = fetch(base + "/books/missing/")
        assert status == 404 and b"Page not found" in body
        assert b"Traceback" not in body
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_gunicorn_refuses_to_start_without_production_settings():
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "REDIS_URL"))}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "bookstore.wsgi", "--bind", f"127.0.0.1:{free_port()}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS must be set" in result.stdout + result.stderr
