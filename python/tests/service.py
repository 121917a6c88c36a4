# SPDX-License-Identifier: Apache-2.0
"""A real HTTP service on 127.0.0.1 guarded by the Python RequestVerifier (standard library server)."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator

from agent_passport import RequestVerifier, refusal


class Service:
    """Answers 200 with the verified agent, or the toolkit's refusal; remembers what it received."""

    def __init__(self, make_verifier: Any) -> None:
        self.make_verifier = make_verifier
        self.received: list[dict[str, str]] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def handle_one(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else None
                service.received.append({k.lower(): v for k, v in self.headers.items()})
                result = service.verifier.verify(self.command, self.path, self.headers.items(), body)
                if result.verified:
                    status, headers, payload = 200, {"content-type": "application/json"}, {"agent": result.agent}
                else:
                    status, headers, payload = refusal(result)
                data = json.dumps(payload).encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = handle_one  # noqa: N815

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.verifier: RequestVerifier = make_verifier(self.origin)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def forget(self) -> None:
        """A restarted service: no passport remembered."""
        self.verifier = self.make_verifier(self.origin)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve(make_verifier: Any) -> Iterator[Service]:
    service = Service(make_verifier)
    try:
        yield service
    finally:
        service.close()
