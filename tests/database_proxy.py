"""A TCP proxy in front of PostgreSQL that can play a hung or a stopped server.

`hang()` stands for a server whose processes are stopped: connections are still accepted and
bytes still taken, but nothing comes back. `stop()` stands for a server that is down: every
connection is dropped and new ones are refused. `forward()` brings it back on the same port.
The machine's PostgreSQL itself is never touched.
"""

from __future__ import annotations

import socket
import threading
import time


class DatabaseProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.mode = "forward"
        self.stuck = 0  # connections accepted, or messages held, while hung
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.port = 0
        self._listen()

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # the listener was closed
            self._keep(client)
            if self.mode == "hang":
                self.stuck += 1
                continue  # accepted, never answered
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            self._keep(upstream)
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _keep(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)

    def _pump(self, source: socket.socket, destination: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                if self.mode == "hang":
                    self.stuck += 1
                while self.mode == "hang":
                    time.sleep(0.02)  # hold the bytes, as a stopped process would
                destination.sendall(data)
        except OSError:
            pass
        for sock in (source, destination):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _drop_connections(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def hang(self) -> None:
        self.mode = "hang"

    def stop(self) -> None:
        self.mode = "stop"
        if self._listener is not None:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread waiting in accept()
            self._listener.close()
            self._listener = None
        self._drop_connections()

    def forward(self) -> None:
        if self._listener is None:
            self._listen()
        self.mode = "forward"

    def close(self) -> None:
        self.stop()
