"""A local HTTP server for feed and page fetching tests: routes, misbehaving sources, counters.

`FeedServer` serves a route table `{path: handler}` on 127.0.0.1 (ephemeral port) from a
thread per request, so slow and silent handlers never block each other or shutdown. A handler
takes the `Request` and returns a `Reply(status, headers, body)`, the body bytes or an
iterable of chunks (streamed, so a 50 MB body is generated as it is sent). The server counts
requests, keeps every request's headers and the bytes actually sent per path, and tracks the
most requests in flight at once, overall and per path.

Handler factories: `static` (honours If-None-Match / If-Modified-Since), `redirect`, `status`,
`slow`, `drip`, `huge`, `never_answers`, `gzipped`, `gzipped_raw`, `gzip_bomb`; `http_date`
formats a timestamp for Last-Modified, Expires or Retry-After. Typical use::

    with FeedServer({"/feed.xml": static(b"<rss/>", etag='"v1"')}) as server:
        url = server.url("/feed.xml")

A pytest fixture over it: `@pytest.fixture def feed_server(): with FeedServer() as s: yield s`.
"""

from __future__ import annotations

import gzip
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple, Self
from urllib.parse import urlsplit

CHUNK = 64 * 1024
FEED_TYPE = "application/rss+xml; charset=utf-8"


@dataclass(frozen=True)
class Request:
    """What a handler sees; `stopping` is set when the server shuts down (wait on it, not sleep)."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]  # names lowercased
    stopping: threading.Event


class Reply(NamedTuple):
    """What a handler returns; a plain (status, headers, body) tuple does as well."""

    status: int = 200
    headers: Mapping[str, str] = {}
    body: bytes | Iterable[bytes] = b""


Handler = Callable[[Request], Reply]


class FeedServer:
    """The server; routes may be added or replaced while it runs (`server.routes[path] = ...`)."""

    def __init__(self, routes: Mapping[str, Handler] | None = None):
        self.routes: dict[str, Handler] = dict(routes or {})
        self.requests: Counter[str] = Counter()
        self.headers: dict[str, list[dict[str, str]]] = {}
        self.bytes_sent: Counter[str] = Counter()
        self.max_in_flight = 0
        self.max_in_flight_by_path: Counter[str] = Counter()
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._in_flight: Counter[str] = Counter()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self))
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), name="feed-server", daemon=True)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Wakes waiting handlers, stops accepting, closes the socket (handler threads are daemons)."""
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def in_flight(self, path: str) -> int:
        """Requests to `path` being handled right now."""
        with self._lock:
            return self._in_flight[path]

    def last_headers(self, path: str) -> dict[str, str]:
        """The headers of the latest request to `path` (names lowercased)."""
        return self.headers[path][-1]

    def _entered(self, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.requests[path] += 1
            self.headers.setdefault(path, []).append(headers)
            self._in_flight[path] += 1
            self.max_in_flight = max(self.max_in_flight, sum(self._in_flight.values()))
            self.max_in_flight_by_path[path] = max(self.max_in_flight_by_path[path], self._in_flight[path])

    def _left(self, path: str) -> None:
        with self._lock:
            self._in_flight[path] -= 1

    def _sent(self, path: str, count: int) -> None:
        with self._lock:
            self.bytes_sent[path] += count


def _handler_class(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def handle(self) -> None:
            try:
                super().handle()
            except ConnectionError:
                pass  # the client went away: mid-body (a cut-off) or between keep-alive requests

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            headers = {name.lower(): value for name, value in self.headers.items()}
            request = Request(self.command, parts.path, parts.query, headers, server.stopping)
            server._entered(parts.path, headers)
            try:
                handler = server.routes.get(parts.path, _not_found)
                self._reply(parts.path, *handler(request))
            finally:
                server._left(parts.path)

        def _reply(self, path: str, status: int, headers: Mapping[str, str], body: bytes | Iterable[bytes]) -> None:
            self.send_response(status)
            names = {name.lower() for name in headers}
            for name, value in headers.items():
                self.send_header(name, value)
            chunked = not isinstance(body, bytes) and "content-length" not in names
            if isinstance(body, bytes) and "content-length" not in names:
                self.send_header("Content-Length", str(len(body)))
            if chunked:
                self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for chunk in [body] if isinstance(body, bytes) else body:
                if server.stopping.is_set():
                    break
                if chunk:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
                    self.wfile.flush()
                    server._sent(path, len(chunk))
            if chunked:
                self.wfile.write(b"0\r\n\r\n")

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: the counters say what happened

    return _Handler


def _not_found(_request: Request) -> Reply:
    return Reply(404, {"Content-Type": "text/plain"}, b"not found")


def static(
    body: bytes,
    *,
    content_type: str = FEED_TYPE,
    etag: str | None = None,
    last_modified: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Handler:
    """`body` with its validators; 304 when the request's If-None-Match or If-Modified-Since
    says the client has it (If-None-Match wins when both are sent, as in RFC 9110)."""
    validators = {"ETag": etag, "Last-Modified": last_modified}
    sent = {"Content-Type": content_type, **{k: v for k, v in validators.items() if v}, **(headers or {})}

    def handle(request: Request) -> Reply:
        if _not_modified(request.headers, etag, last_modified):
            return Reply(304, {k: v for k, v in sent.items() if k != "Content-Type"}, b"")
        return Reply(200, sent, body)

    return handle


def _not_modified(headers: Mapping[str, str], etag: str | None, last_modified: str | None) -> bool:
    if "if-none-match" in headers:
        tags = [tag.strip().removeprefix("W/") for tag in headers["if-none-match"].split(",")]
        return etag is not None and ("*" in tags or etag.removeprefix("W/") in tags)
    if "if-modified-since" in headers and last_modified:
        try:
            return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(headers["if-modified-since"])
        except (TypeError, ValueError):
            return False
    return False


def http_date(timestamp: float) -> str:
    """An HTTP date (IMF-fixdate) for Last-Modified, Expires or Retry-After."""
    return formatdate(timestamp, usegmt=True)


def status(code: int, body: bytes = b"", headers: Mapping[str, str] | None = None) -> Handler:
    """Always `code` with `body` (e.g. 404, 500, 429 with {"Retry-After": "120"}, an empty 200)."""
    return lambda _request: Reply(code, dict(headers or {}), body)


def redirect(location: str, code: int = 302) -> Handler:
    """A redirect to `location` (relative or absolute); two of them pointing at each other loop."""
    return status(code, headers={"Location": location})


def slow(delay: float, body: bytes = b"<rss/>", content_type: str = FEED_TYPE) -> Handler:
    """Answers `body` after `delay` seconds (a busy source; shows concurrency at the server)."""

    def handle(request: Request) -> Reply:
        request.stopping.wait(delay)
        return Reply(200, {"Content-Type": content_type}, body)

    return handle


def drip(chunks: Iterable[bytes], interval: float, content_type: str = FEED_TYPE) -> Handler:
    """Sends 200 at once, then one chunk every `interval` seconds (a body that never ends in time)."""

    def handle(request: Request) -> Reply:
        def body() -> Iterator[bytes]:
            for chunk in chunks:
                if request.stopping.wait(interval):
                    return
                yield chunk

        return Reply(200, {"Content-Type": content_type}, body())

    return handle


def huge(size: int = 50 * 1024 * 1024, *, declare_length: bool = True, content_type: str = FEED_TYPE) -> Handler:
    """A `size`-byte body generated chunk by chunk, with Content-Length or (if not declared) chunked."""

    def handle(_request: Request) -> Reply:
        def body() -> Iterator[bytes]:
            block = b"<item>" + b"x" * (CHUNK - 13) + b"</item>"
            left = size
            while left > 0:
                yield block[:left]
                left -= CHUNK

        headers = {"Content-Type": content_type}
        if declare_length:
            headers["Content-Length"] = str(size)
        return Reply(200, headers, body())

    return handle


def never_answers(request: Request) -> Reply:
    """Reads the request and says nothing until the server stops (a hanging source)."""
    request.stopping.wait()
    return Reply(503, {}, b"")


def gzipped(body: bytes, content_type: str = FEED_TYPE) -> Handler:
    """`body` sent with Content-Encoding: gzip."""
    return gzipped_raw(gzip.compress(body), content_type)


def gzip_bomb(decoded_size: int, content_type: str = FEED_TYPE) -> Handler:
    """A small gzip body that decodes to `decoded_size` zero bytes (compressed chunk by chunk)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(CHUNK)
    parts = [compressor.compress(zeros[: min(CHUNK, decoded_size - sent)]) for sent in range(0, decoded_size, CHUNK)]
    return gzipped_raw(b"".join(parts) + compressor.flush(), content_type)


def gzipped_raw(compressed: bytes, content_type: str = FEED_TYPE) -> Handler:
    """Already gzip-compressed bytes, sent with Content-Encoding: gzip."""
    return status(200, compressed, {"Content-Type": content_type, "Content-Encoding": "gzip"})
