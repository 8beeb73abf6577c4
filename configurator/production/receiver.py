"""A sample partner receiver: verifies signatures, keeps each package once, durably.

Run it with ``python -m configurator.production.receiver --port 8765 --secret S --out DIR``;
partners can copy it. It answers 401 to a signature that does not verify, 200 to a package it
already has (same ``webhook-id``), and 200 after storing a new one.

What it has received is its folder: each package is written to ``DIR/<webhook-id>.json``
(to a temporary name, flushed to disk, then renamed), and a package is "already there" when
its file is. So a restart forgets nothing, and requests are served in parallel threads
without a shared lock: two deliveries of the same package write the same bytes and the
rename keeps one. Without ``out`` (tests), packages are kept in memory.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socketserver
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from .signing import verify

SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,200}")
MAX_BODY = 10 * 1024 * 1024


class Receiver:
    def __init__(self, secret: str, out: Path | None = None) -> None:
        self.secret = secret
        self.out = out
        self._memory: dict[str, dict[str, Any]] = {}
        self.requests = 0
        self.rejected = 0
        self.lock = threading.Lock()  # the counters only
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)

    @property
    def packages(self) -> dict[str, dict[str, Any]]:
        """Every package received, by its ``webhook-id``."""
        if self.out is None:
            with self.lock:
                return dict(self._memory)
        return {
            path.stem: json.loads(path.read_bytes())
            for path in sorted(self.out.glob("*.json"))
            if not path.name.startswith(".")
        }

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            return self._answer(start_response, 400, {"error": "bad length"})
        body = environ["wsgi.input"].read(length)
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        signed = verify(self.secret, headers, body)
        with self.lock:
            self.requests += 1
            if not signed:
                self.rejected += 1
        if not signed:
            return self._answer(start_response, 401, {"error": "bad signature"})
        refusal = self.refusal(headers)
        if refusal is not None:
            return self._answer(start_response, *refusal)
        key = headers["webhook-id"]
        if SAFE_ID.fullmatch(key) is None:
            return self._answer(start_response, 400, {"error": "bad webhook-id"})
        try:
            package = json.loads(body)
        except ValueError:
            return self._answer(start_response, 400, {"error": "not JSON"})
        self._keep(key, package, body)
        return self._answer(start_response, 200, {"received": key})

    def refusal(self, headers: dict[str, str]) -> tuple[int, dict[str, Any]] | None:
        """A status and body to answer instead of keeping the package (a partner's own
        checks: a full disk, an unknown product); None keeps it."""
        return None

    def _keep(self, key: str, package: dict[str, Any], body: bytes) -> None:
        """Store the package unless it is already there; durable before the 200 is sent."""
        if self.out is None:
            with self.lock:
                self._memory.setdefault(key, package)
            return
        target = self.out / f"{key}.json"
        if target.exists():
            return
        handle, temporary = tempfile.mkstemp(prefix=f".{key}.", dir=self.out)
        with os.fdopen(handle, "wb") as file:
            file.write(body)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)

    @staticmethod
    def _answer(start_response: Callable, code: int, data: dict) -> list[bytes]:
        reason = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 500: "Server Error"}
        start_response(
            f"{code} {reason.get(code, 'Status')}", [("Content-Type", "application/json")]
        )
        return [json.dumps(data).encode()]


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(receiver: Receiver, port: int = 0) -> ThreadingWSGIServer:
    """Start the receiver in a thread; returns the server (``server.server_port``)."""
    server = make_server(
        "127.0.0.1", port, receiver, server_class=ThreadingWSGIServer, handler_class=_Quiet
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--out", type=Path, default=Path("received"))
    args = parser.parse_args()
    server = make_server(
        "127.0.0.1",
        args.port,
        Receiver(args.secret, args.out),
        server_class=ThreadingWSGIServer,
        handler_class=_Quiet,
    )
    print(f"Receiving on http://127.0.0.1:{args.port}/ into {args.out}/")
    server.serve_forever()


if __name__ == "__main__":
    main()
