"""A real HTTP receiver on loopback, in a thread: what webhook deliveries reach."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Receiver:
    """Records each request (path, headers, body) and answers `status` (204 unless told), after `delay` seconds."""

    def __init__(self):
        self.port = free_port()
        self.received = []
        self.status, self.delay, self.headers_out, self.body_out = 204, 0.0, {}, b""
        self._server = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/hooks/portal"

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
                time.sleep(receiver.delay)
                self.send_response(receiver.status)
                for name, value in receiver.headers_out.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(receiver.body_out)))
                self.end_headers()
                self.wfile.write(receiver.body_out)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def wait_for(self, count, timeout=15):
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.received
