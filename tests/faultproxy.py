"""A TCP proxy of the tests' own, between leadcli and a PostgreSQL server, that misbehaves on cue.

`FaultProxy(("127.0.0.1", 5432))` listens on a free loopback port and forwards every connection to
the server. Its `mode` says what it does to traffic, from now on, for every connection:

- `pass`: forwards both ways (after `delay` seconds each way, to simulate a slow link);
- `hang`: keeps every socket open but forwards nothing (a network that hangs: no error, no reply);
- `drop`: closes every open connection at once and refuses new ones (a dropped network, server gone).

Only loopback traffic, nothing else on the machine is touched.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
import time


class FaultProxy:
    def __init__(self, target: tuple[str, int], *, delay: float = 0.0) -> None:
        self.target = target
        self.delay = delay  # seconds added to each direction of every chunk (RTT += 2 * delay)
        self.mode = "pass"
        self.connections = 0  # how many connections were accepted in all
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True, name="faultproxy-accept").start()

    def url(self, base: str) -> str:
        """`base` (a postgresql:// URL) pointed at the proxy instead of the server."""
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(base)
        user = f"{parts.username}@" if parts.username else ""
        return urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{self.port}"))

    # --- faults ------------------------------------------------------------------------------

    def passing(self) -> None:
        self.mode = "pass"

    def hang(self) -> None:
        self.mode = "hang"

    def drop(self) -> None:
        """Cut every open connection and refuse new ones until `passing()`."""
        self.mode = "drop"
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for client, server in pairs:
            for side in (client, server):
                with contextlib.suppress(OSError):
                    side.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    side.close()

    def close(self) -> None:
        self._stopped = True
        self.drop()
        with contextlib.suppress(OSError):
            self._listener.close()

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- forwarding ----------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.mode == "drop":
                client.close()
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            self.connections += 1
            with self._lock:
                self._pairs.append((client, server))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        selector = selectors.DefaultSelector()
        try:
            selector.register(client, selectors.EVENT_READ, server)
            selector.register(server, selectors.EVENT_READ, client)
        except (OSError, ValueError):
            return
        try:
            while not self._stopped:
                if self.mode == "hang":
                    time.sleep(0.02)  # read nothing, send nothing: the bytes wait in the kernel
                    continue
                for key, _ in selector.select(timeout=0.05):
                    if self.mode != "pass":
                        break
                    source: socket.socket = key.fileobj  # type: ignore[assignment]
                    data = source.recv(65536)
                    if not data:
                        return
                    if self.delay:
                        time.sleep(self.delay)
                    key.data.sendall(data)
        except OSError:
            return
        finally:
            selector.close()
            for side in (client, server):
                with contextlib.suppress(OSError):
                    side.close()
