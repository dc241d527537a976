"""The HTTP layer: a loopback-only threading server around EmulatorApp, usable in-process as a context manager."""

from __future__ import annotations

import http.server
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable

from .app import EmulatorApp
from .config import LOOPBACK, EmulatorConfig
from .dataset import Dataset
from .messages import ApiRequest


class _Handler(http.server.BaseHTTPRequestHandler):
    # HTTP/1.1 keeps connections alive, as a real client's session pool expects of Gong.
    protocol_version = "HTTP/1.1"
    server_version = "gong-emulator"
    sys_version = ""
    # Headers and body go out in separate writes; without TCP_NODELAY, Nagle plus delayed ACKs add ~40 ms a call.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def _serve(self) -> None:
        app: EmulatorApp = self.server.app  # type: ignore[attr-defined]
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = ApiRequest(
            self.command,
            url.path,
            urllib.parse.parse_qs(url.query),
            self.headers,
            self.rfile.read(length) if length > 0 else b"",
        )
        response = app.dispatch(request)
        if response is None:
            self.close_connection = True  # an injected drop: hang up without a status line
            return
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:
        # stdout carries only the one "listening" line; access logs go to stderr and only when asked for.
        if self.server.app.config.verbose:  # type: ignore[attr-defined]
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, app: EmulatorApp, port: int) -> None:
        self.app = app
        super().__init__((LOOPBACK, port), _Handler)


class Emulator:
    """A Gong emulator on 127.0.0.1 served from a background thread: `with Emulator(config) as emu: emu.base_url`.

    `clock` (`time.monotonic` by default, as on the command line) is what the rate limit, Retry-After and token
    expiry measure time by; a test can pass a clock it moves itself.
    """

    def __init__(
        self,
        config: EmulatorConfig | None = None,
        dataset: Dataset | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config or EmulatorConfig()
        self.config.validate()
        self.app = EmulatorApp(self.config, dataset, clock)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def dataset(self) -> Dataset:
        return self.app.dataset

    @property
    def base_url(self) -> str:
        return self.app.base_url

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    def start(self) -> Emulator:
        # Generate everyone's history before serving, so the first request is no slower than the rest.
        self._warm_up()
        self._server = _Server(self.app, self.config.port)
        self.app.base_url = f"http://{LOOPBACK}:{self._server.server_address[1]}"
        # A short poll interval makes stop() quick: shutdown() waits for the serving loop's next poll.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="gong-emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = self._thread = None

    def stats(self) -> dict:
        """The same dict GET /_emulator/stats returns."""
        return self.app.stats.snapshot()

    def reset_stats(self) -> None:
        self.app.stats.reset()

    def _warm_up(self) -> None:
        dataset = self.dataset
        dataset.active_user_ids(dataset.history_start, dataset.today())

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
