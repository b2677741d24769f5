"""Under gunicorn as production runs it, a hung or stopped PostgreSQL gives quick 503s, and the site recovers.

The database is reached through tests/database_proxy.py, which plays the hung or stopped server;
the time limits are set to 1 s, so a page's bound is 1 s to connect plus 1.5 s for a statement.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connections

from demo.data import SEED_BOOK_SLUG
from tests.bookstore.test_gunicorn import free_port
from tests.database_proxy import DatabaseProxy

ROOT = Path(__file__).resolve().parents[2]
PAGE = f"/books/{SEED_BOOK_SLUG}/"
# The promise: a page answers within 5 s while the database is hung. The configured
# limits (1 s connect, 1 s statement + 0.5 s grace) come well inside it.
RESPONSE_BOUND_SECONDS = 5

pytestmark = pytest.mark.skipif(
    connections["default"].vendor != "postgresql", reason="plays a hung PostgreSQL server; the suite runs on SQLite"
)


def fetch(url: str, timeout: float = RESPONSE_BOUND_SECONDS) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


class Server:
    def __init__(self, base: str, log: Path, proxy: DatabaseProxy) -> None:
        self.base, self.log, self.proxy = base, log, proxy

    def get(self, path: str, timeout: float = RESPONSE_BOUND_SECONDS) -> tuple[int, dict[str, str], str]:
        return fetch(self.base + path, timeout)

    def log_lines(self) -> list[str]:
        return self.log.read_text().splitlines()


@pytest.fixture(scope="module")
def server(django_db_setup, tmp_path_factory):
    database = connections["default"].settings_dict
    proxy = DatabaseProxy(database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432))
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "REDIS_URL", "DATABASE"))}
    env.update(
        DJANGO_SECRET_KEY="outage-test-secret-key-long-enough-for-production-checks-0123456789",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"postgres://{database['USER']}@127.0.0.1:{proxy.port}/{database['NAME']}",
        DATABASE_CONNECT_TIMEOUT="1",
        DATABASE_STATEMENT_TIMEOUT="1",
    )
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    # The project's gunicorn.conf.py (its worker model) with one worker process.
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = subprocess.Popen(
        [gunicorn, "bookstore.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch(base + "/healthz", timeout=2)
                break
            except OSError:
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "gunicorn did not start in 60 s"
                time.sleep(0.3)
        yield Server(base, log, proxy)
    finally:
        process.terminate()
        process.wait(timeout=20)
        proxy.close()


@pytest.fixture
def database_up(server):
    server.proxy.forward()
    status, _, _ = server.get(PAGE + "?warm=1")  # a query parameter: rendered, never from the page cache
    assert status == 200
    yield server
    server.proxy.forward()


def assert_the_503_page(status: int, headers: dict[str, str], page: str) -> None:
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "<h1>Back in a moment</h1>" in page
    assert "Traceback" not in page


def test_a_hung_database_gives_a_503_within_the_time_limits(database_up):
    server = database_up
    server.proxy.hang()
    # The worker's open connection fails its health check at the statement limit; the request
    # does not then wait again to connect.
    assert_the_503_page(*server.get(PAGE + "?hung=1"))
    # A new connection to the hung server gives up at the connect limit.
    assert_the_503_page(*server.get(PAGE + "?hung=2"))
    status, headers, body = server.get("/readyz")
    assert (status, headers["Retry-After"], body) == (503, "30", "not ready: database default unreachable\n")


def test_static_files_robots_and_healthz_answer_while_a_page_waits_for_a_hung_database(database_up):
    server = database_up
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', server.get(PAGE)[2])
    assert stylesheet
    server.proxy.hang()
    stuck_before = server.proxy.stuck
    page_answer: list[int] = []
    waiting = threading.Thread(target=lambda: page_answer.append(server.get(PAGE + "?waiting=1")[0]))
    waiting.start()
    while server.proxy.stuck == stuck_before:  # the page's request has reached the hung database
        time.sleep(0.01)
    answers = [server.get(path)[0] for path in ("/healthz", "/robots.txt", stylesheet.group(1))]
    still_waiting = waiting.is_alive()
    waiting.join()
    assert answers == [200, 200, 200]
    assert still_waiting, "the page's request ended before the others were answered: they did not run beside it"
    assert page_answer == [503]


def test_a_stopped_database_gives_the_503_page_one_log_line_and_recovery_without_restart(database_up):
    server = database_up
    time.sleep(0.2)  # let earlier requests' lines reach the log
    logged_before = len(server.log_lines())
    server.proxy.stop()
    assert_the_503_page(*server.get(PAGE + "?stopped=1"))
    time.sleep(0.2)
    logged = server.log_lines()[logged_before:]
    error_lines = [line for line in logged if '"GET ' not in line]  # all but gunicorn's access log line
    assert error_lines == [f"Database unavailable, answered 503: GET {PAGE} (Connection refused)"], logged
    assert "Traceback" not in server.log.read_text()
    assert server.get("/readyz")[0] == 503

    server.proxy.forward()
    status, _, page = server.get(PAGE + "?stopped=2")
    assert status == 200
    assert "The Russian Revolution in Retreat" in page
    assert server.get("/readyz")[0] == 200
