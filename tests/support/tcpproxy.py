"""A TCP proxy on loopback whose network the test can cut: the bot -> proxy -> PostgreSQL.

    proxy = TcpProxy(5432).start()          # listens on 127.0.0.1:proxy.port
    proxy.cut()                             # drop every connection, black-hole new ones
    proxy.restore()                         # connections go through again

`cut("blackhole")` is a network partition: connections are accepted and then nothing
ever comes back, so clients wait for their own timeouts. `cut("refuse")` is a server that
is down: the port refuses connections at once. Either way every established connection is
closed with a TCP reset, so open transactions die as they would on a real outage.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from dataclasses import dataclass
from types import TracebackType
from typing import Literal

Mode = Literal["blackhole", "refuse"]


@dataclass
class ProxyStats:
    accepted: int = 0  # connections forwarded to the target
    held: int = 0  # connections accepted during a black-hole cut, never answered
    dropped: int = 0  # established connections closed by cut()


def _reset(sock: socket.socket) -> None:
    """Close with RST: the peer's next read fails at once instead of waiting."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in recv on it
    with contextlib.suppress(OSError):
        sock.close()


class TcpProxy:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1", port: int = 0) -> None:
        self.target = (target_host, target_port)
        self.stats = ProxyStats()
        self._lock = threading.Lock()
        self._mode: Mode | None = None
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._held: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._stopped = False
        self.port = port

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> TcpProxy:
        self._listen()
        return self

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
        self._close_listener()
        self._drop_all()

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- faults ------------------------------------------------------------------------

    @property
    def connections(self) -> int:
        """Connections being forwarded right now."""
        with self._lock:
            return len(self._pairs)

    @property
    def is_cut(self) -> bool:
        return self._mode is not None

    def cut(self, mode: Mode = "blackhole") -> int:
        """Close every established connection; new ones are black-holed or refused.

        Returns how many connections were dropped."""
        with self._lock:
            self._mode = mode
        if mode == "refuse":
            self._close_listener()
        return self._drop_all()

    def restore(self) -> None:
        """Let connections through again (black-holed ones are closed: their clients gave up)."""
        with self._lock:
            mode, self._mode = self._mode, None
            held, self._held = self._held, []
        for sock in held:
            _reset(sock)
        if mode == "refuse":
            self._listen()

    # -- internals ---------------------------------------------------------------------

    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self.port = int(listener.getsockname()[1])  # the same port again after a refuse cut
        self._listener = listener
        threading.Thread(
            target=self._accept, args=(listener,), name="tcpproxy-accept", daemon=True
        ).start()

    def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)  # wakes accept()
            listener.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # the listener was closed
            with self._lock:
                if self._stopped:
                    _reset(client)
                    return
                if self._mode is not None:
                    self._held.append(client)  # accepted, never answered
                    self.stats.held += 1
                    continue
            self._connect(client)

    def _connect(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=5)
            upstream.settimeout(None)
        except OSError:
            _reset(client)
            return
        for sock in (client, upstream):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._lock:
            self._pairs.append((client, upstream))
            self.stats.accepted += 1
        for source, sink in ((client, upstream), (upstream, client)):
            threading.Thread(
                target=self._pump, args=(source, sink), name="tcpproxy-pump", daemon=True
            ).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        self._forget(source, sink)

    def _forget(self, one: socket.socket, other: socket.socket) -> None:
        with self._lock:
            pair = next((p for p in self._pairs if one in p and other in p), None)
            if pair is None:
                return  # already closed by the other direction or by cut()
            self._pairs.remove(pair)
        for sock in pair:
            _reset(sock)

    def _drop_all(self) -> int:
        with self._lock:
            pairs, self._pairs = self._pairs, []
            held, self._held = (self._held, []) if self._stopped else ([], self._held)
            self.stats.dropped += len(pairs)
        for client, upstream in pairs:
            _reset(client)
            _reset(upstream)
        for sock in held:
            _reset(sock)
        return len(pairs)
