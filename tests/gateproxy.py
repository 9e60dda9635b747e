"""A TCP proxy on 127.0.0.1 in front of a server, with a gate: while the gate is closed what
clients send is held (the server seems to have stalled: a paused process, a network that
drops packets), and it is passed on when the gate opens. For tests of work that must not make
the window wait for the network."""

from __future__ import annotations

import contextlib
import socket
import threading


class GateProxy:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.gate = threading.Event()
        self.gate.set()
        self._held = 0
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = int(self._listener.getsockname()[1])
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def held(self) -> int:
        """How many sends are waiting at the closed gate."""
        with self._lock:
            return self._held

    def close_gate(self) -> None:
        self.gate.clear()

    def open_gate(self) -> None:
        self.gate.set()

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _addr = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self._sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, gated: bool) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if gated and not self.gate.is_set():
                    with self._lock:
                        self._held += 1
                    self.gate.wait()
                    with self._lock:
                        self._held -= 1
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)

    def stop(self) -> None:
        self._stopped = True
        self.gate.set()
        self._listener.close()
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.close()
