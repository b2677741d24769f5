"""HTTP as a browser and a load generator speak it, from the standard library (plus wrk when installed)."""

from __future__ import annotations

import http.client
import re
import shutil
import socket
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

HOST = "127.0.0.1"


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    seconds: float

    def header(self, name: str, default: str = "") -> str:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return default

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Browser:
    """One visitor: sequential requests, each on a new connection, with a cookie jar."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 300

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None) -> Response:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        started = time.perf_counter()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
            seconds = time.perf_counter() - started
            response = Response(answer.status, answer.getheaders(), content, seconds)
        finally:
            connection.close()
        for name, value in response.headers:
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post_form(self, path: str, data: dict[str, str]) -> Response:
        body = urlencode(data).encode()
        return self.request("POST", path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})


def percentile(samples: list[float], percent: float) -> float:
    """Nearest-rank percentile: the smallest sample at or above `percent` % of them."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * percent // 100))
    return ordered[int(rank) - 1]


@dataclass
class LoadRun:
    """One load run against one path."""

    requests: int
    seconds: float
    non_2xx: int
    socket_errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def load_generator_name(choice: str, duration: float) -> str:
    """`wrk` when asked for, or when `auto` and wrk is installed and the durations are whole seconds."""
    if choice == "auto":
        whole = float(duration).is_integer() and duration >= 1
        return "wrk" if wrk_available() and whole else "python"
    return choice


def load_run(generator: str, port: int, path: str, *, connections: int, seconds: float) -> LoadRun:
    if generator == "wrk":
        return _wrk_run(port, path, connections=connections, seconds=seconds)
    return _python_run(port, path, connections=connections, seconds=seconds)


def _wrk_run(port: int, path: str, *, connections: int, seconds: float) -> LoadRun:
    duration = max(1, round(seconds))
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", f"http://{HOST}:{port}{path}"]
    output = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    total = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)\b", output)
    if not total:
        raise RuntimeError(f"wrk printed no total: {output}")
    scale = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[total.group(3)]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return LoadRun(
        requests=int(total.group(1)),
        seconds=float(total.group(2)) * scale,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(number) for number in errors.groups()) if errors else 0,
    )


def _read_response(sock: socket.socket, buffer: bytearray) -> tuple[int, bool]:
    """Read one response off the socket; return its status and whether the server closes the connection."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the headers")
        buffer += chunk
    head_end = buffer.index(b"\r\n\r\n") + 4
    lines = bytes(buffer[:head_end]).decode("latin-1").split("\r\n")
    del buffer[:head_end]
    status = int(lines[0].split()[1])
    length, closes = None, lines[0].startswith("HTTP/1.0")
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection":
            closes = "close" in value.lower()
    if length is None:  # the body runs to the end of the connection
        while chunk := sock.recv(65536):
            buffer += chunk
        buffer.clear()
        return status, True
    while len(buffer) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed inside the body")
        buffer += chunk
    del buffer[:length]
    return status, closes


def _python_run(port: int, path: str, *, connections: int, seconds: float) -> LoadRun:
    """`connections` threads, each keeping one connection busy (reconnecting when the server closes it)."""
    request = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: */*\r\n\r\n".encode()
    counts = {"requests": 0, "non_2xx": 0, "errors": 0}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        done = non_2xx = errors = 0
        sock, buffer = None, bytearray()
        while time.perf_counter() < deadline:
            try:
                if sock is None:
                    sock = socket.create_connection((HOST, port), timeout=5)
                    buffer.clear()
                sock.sendall(request)
                status, closes = _read_response(sock, buffer)
            except OSError:
                errors += 1
                closes = True
            else:
                if time.perf_counter() <= deadline:
                    done += 1
                    non_2xx += not 200 <= status < 300
            if closes and sock is not None:
                sock.close()
                sock = None
        if sock is not None:
            sock.close()
        with lock:
            counts["requests"] += done
            counts["non_2xx"] += non_2xx
            counts["errors"] += errors

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = min(time.perf_counter(), deadline) - started
    return LoadRun(counts["requests"], elapsed, counts["non_2xx"], counts["errors"])


def median_ratio(pairs: list[tuple[LoadRun, LoadRun]]) -> float:
    """Median over rounds of page req/s ÷ floor req/s, each pair from the same round."""
    ratios = [page.per_second / floor.per_second for floor, page in pairs if floor.per_second]
    return statistics.median(ratios) if ratios else float("nan")
