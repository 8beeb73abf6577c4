"""A sample partner receiver: verifies signatures, keeps each package once.

Run it with ``python -m configurator.production.receiver --port 8765 --secret S --out DIR``;
partners can copy it. It answers 401 to a signature that does not verify, 200 to a package it
already has (same ``webhook-id``), and 200 after storing a new one.
"""

from __future__ import annotations

import argparse
import json
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

from .signing import verify


class Receiver:
    def __init__(self, secret: str, out: Path | None = None) -> None:
        self.secret = secret
        self.out = out
        self.packages: dict[str, dict[str, Any]] = {}
        self.requests = 0
        self.rejected = 0
        self.script: list[int] = []  # status codes to answer first (tests: 500 then 200)
        self.lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        with self.lock:
            self.requests += 1
            if not verify(self.secret, headers, body):
                self.rejected += 1
                return self._answer(start_response, 401, {"error": "bad signature"})
            if self.script:
                code = self.script.pop(0)
                if code != 200:
                    return self._answer(start_response, code, {"error": "scripted"})
            key = headers["webhook-id"]
            if key not in self.packages:
                self.packages[key] = json.loads(body)
                if self.out is not None:
                    self.out.mkdir(parents=True, exist_ok=True)
                    (self.out / f"{key}.json").write_bytes(body)
            return self._answer(start_response, 200, {"received": key})

    @staticmethod
    def _answer(start_response: Callable, code: int, data: dict) -> list[bytes]:
        reason = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 500: "Server Error"}
        start_response(
            f"{code} {reason.get(code, 'Status')}", [("Content-Type", "application/json")]
        )
        return [json.dumps(data).encode()]


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(receiver: Receiver, port: int = 0):
    """Start the receiver in a thread; returns the server (``server.server_port``)."""
    server = make_server("127.0.0.1", port, receiver, handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--out", type=Path, default=Path("received"))
    args = parser.parse_args()
    server = make_server("127.0.0.1", args.port, Receiver(args.secret, args.out))
    print(f"Receiving on http://127.0.0.1:{args.port}/ into {args.out}/")
    server.serve_forever()


if __name__ == "__main__":
    main()
