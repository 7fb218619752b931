"""Fetching feeds and pages over HTTP the way careful feed readers do.

Conditional requests (ETag / Last-Modified -> 304), one timeout per fetch, a cap on the decoded
body as it streams (a 50 MB body or a gzip bomb is cut off, never held), redirects followed by
hand so every hop is checked, a per-host concurrency limit, no cookies, no proxies from the
environment, and no way into the host's network: a host that is or resolves to a loopback,
private, link-local, multicast or reserved address is refused unless `allow_private`
(NEWSBOT_FETCH_ALLOW_PRIVATE=1). Each failure is a `FetchError` with a `reason` fit for an admin.

Not closed: DNS rebinding. httpx resolves the host again to connect and 0.28 has no public hook
to pin the checked address (URLs rewritten to the IP would share pooled TLS connections between
names); an egress firewall is the remedy where that matters.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import socket
import ssl
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy
from importlib import metadata
from typing import Self

import httpx

log = logging.getLogger(__name__)

USER_AGENT = "newsbot/{version} (Telegram news bot; feed reader)"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
MiB = 1024 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_INTERNAL_KINDS = ("loopback", "link_local", "multicast", "unspecified", "reserved", "private")

Resolver = Callable[[str, int], Awaitable[list[str]]]  # (host, port) -> addresses; tests inject one

try:
    _VERSION = metadata.version("newsbot")
except metadata.PackageNotFoundError:  # a checkout run without being installed
    _VERSION = "dev"


@dataclass(frozen=True)
class FetchLimits:
    """How far one fetch may go. `timeout` covers resolve, connect, headers and body of all
    hops together; time spent waiting for a free per-host slot is not charged to it."""

    timeout: float = 20.0
    max_bytes: int = 5 * MiB
    max_redirects: int = 5
    per_host: int = 2
    allow_private: bool = False
    user_agent: str = USER_AGENT.format(version=_VERSION)


@dataclass(frozen=True)
class Fetched:
    """A 2xx with a body, or a 304 (body b"", the validators sent kept unless repeated).
    `max_age`: seconds fresh per Cache-Control max-age, else Expires - Date; None if not said.
    `moved_permanently`: every hop was a 301/308, so a caller may store `url` instead."""

    status: int
    url: str
    body: bytes
    etag: str | None
    last_modified: str | None
    content_type: str | None
    max_age: int | None
    moved_permanently: bool = False


class FetchError(Exception):
    """A fetch that gave nothing usable, an empty 2xx body included ("empty response": no feed or
    page is empty). `status` is set for HTTP errors, `retry_after` (s) when the server gave one."""

    def __init__(self, reason: str, *, status: int | None = None, retry_after: float | None = None):
        super().__init__(reason)
        self.reason, self.status, self.retry_after = reason, status, retry_after


async def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for `host`."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


class Fetcher:
    """One shared HTTP client with the limits above; `async with Fetcher() as fetcher: ...`."""

    def __init__(
        self, limits: FetchLimits | None = None, *, resolver: Resolver = system_resolver,
        transport: httpx.AsyncBaseTransport | None = None,
    ):
        self.limits = limits or FetchLimits()
        self._resolve = resolver
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._client = httpx.AsyncClient(
            follow_redirects=False, timeout=self.limits.timeout, trust_env=False, transport=transport,
            cookies=CookieJar(DefaultCookiePolicy(allowed_domains=[])),
            headers={"User-Agent": self.limits.user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"},
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None, max_bytes: int | None = None
    ) -> Fetched:
        """GET `url` (conditionally when given validators); a `Fetched` or a `FetchError`."""
        try:
            async with asyncio.timeout(self.limits.timeout) as timer:
                return await self._follow(_http_url(url), etag, last_modified, max_bytes or self.limits.max_bytes, timer)
        except TimeoutError:
            error = FetchError(f"timed out after {self.limits.timeout:g} s")
        except FetchError as raised:
            error = raised
        log.debug("fetch %s: %s", _loggable(url), error.reason)
        raise error

    async def _follow(
        self, url: httpx.URL, etag: str | None, last_modified: str | None, cap: int, timer: asyncio.Timeout
    ) -> Fetched:
        headers = {name: value for name, value in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if value}
        seen, redirects, permanent = {url}, 0, True
        while True:
            response, body = await self._exchange(url, headers, cap, timer)
            location = response.headers.get("location")
            if response.status_code not in _REDIRECTS or location is None:
                return _outcome(url, response, body, etag, last_modified, permanent and redirects > 0)
            url = _http_url(location, base=url)
            if url in seen:
                raise FetchError("redirect loop")
            redirects += 1
            if redirects > self.limits.max_redirects:
                raise FetchError(f"more than {self.limits.max_redirects} redirects")
            seen.add(url)
            permanent = permanent and response.status_code in _PERMANENT

    async def _exchange(
        self, url: httpx.URL, headers: dict[str, str], cap: int, timer: asyncio.Timeout
    ) -> tuple[httpx.Response, bytes]:
        """One request: the host checked, a per-host slot taken (the wait for it is not charged
        to `timer`: a busy host delays its own fetches, it does not fail them), the body read."""
        port = url.port or (443 if url.scheme == "https" else 80)
        if not self.limits.allow_private:
            await self._refuse_internal(url.host, port)
        loop = asyncio.get_running_loop()
        left = (timer.when() or 0.0) - loop.time()
        timer.reschedule(None)
        async with self._slots.setdefault(f"{url.host}:{port}", asyncio.Semaphore(self.limits.per_host)):
            timer.reschedule(loop.time() + left)
            try:
                response = await self._client.send(self._client.build_request("GET", url, headers=headers), stream=True)
                try:
                    body = await _read(response, cap) if response.is_success else b""
                finally:
                    await response.aclose()
            except httpx.TimeoutException as error:
                raise TimeoutError from error
            except httpx.ConnectError as error:
                raise FetchError(_unreachable(error, url.host)) from error
            except httpx.TransportError as error:
                raise FetchError(f"broken response: {str(error).rstrip('.').lower()}") from error
        return response, body

    async def _refuse_internal(self, host: str, port: int) -> None:
        try:
            addresses = [str(ipaddress.ip_address(host))]
            said = f"{host} is"
        except ValueError:
            try:
                addresses = await self._resolve(host, port)
            except OSError as error:
                raise FetchError(f"unreachable: cannot resolve {host}") from error
            if not addresses:
                raise FetchError(f"unreachable: cannot resolve {host}")
            said = f"{host} resolves to"
        for address in addresses:
            if kind := internal_kind(address):
                detail = "" if said.endswith(" is") else f" ({address})"
                raise FetchError(f"refused: {said} {'an' if kind[0] in 'aeiou' else 'a'} {kind} address{detail}")


def internal_kind(address: str) -> str | None:
    """Why `address` is inside a network ("loopback", "private", ...); None when public.
    IPv4 addresses embedded in IPv6 (mapped, 6to4, NAT64) are judged as themselves."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return internal_kind(str(embedded))
    for kind in _INTERNAL_KINDS:
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if ip.is_global else "private"


def _http_url(text: str, base: httpx.URL | None = None) -> httpx.URL:
    try:
        url = base.join(text) if base is not None else httpx.URL(text)
    except httpx.InvalidURL as error:
        raise FetchError("not a valid URL") from error
    if url.scheme not in ("http", "https"):
        raise FetchError("redirected to a non-http(s) URL" if base is not None else "not an http(s) URL")
    if not url.host:
        raise FetchError("not a valid URL: no host")
    return url.copy_with(fragment=None)


async def _read(response: httpx.Response, cap: int) -> bytes:
    """The decoded body, aborted as soon as it passes `cap` bytes (decoded, not on the wire)."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    length = response.headers.get("content-length", "")
    if encoding == "identity" and length.isdigit() and int(length) > cap:
        raise FetchError(_too_large(cap))
    if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
        raise FetchError(f"unsupported content encoding: {encoding}")
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32) if encoding != "identity" else None  # gzip or zlib
    chunks, size = [], 0
    async for raw in response.aiter_raw():
        try:  # never more than one byte past the cap, however well it compresses
            data = inflater.decompress(raw, cap - size + 1) if inflater else raw
        except zlib.error as error:
            raise FetchError(f"broken response: bad {encoding} data") from error
        size += len(data)
        if size > cap:
            raise FetchError(_too_large(cap))
        chunks.append(data)
    return b"".join(chunks)


def _outcome(
    url: httpx.URL, response: httpx.Response, body: bytes, etag: str | None, last_modified: str | None,
    moved_permanently: bool,
) -> Fetched:
    status, headers = response.status_code, response.headers
    if status == 304 and not (etag or last_modified):
        raise FetchError("HTTP 304 Not Modified to an unconditional request", status=status)
    if status != 304 and not response.is_success:
        retry_after = _retry_after(headers.get("retry-after"))
        raise FetchError(f"HTTP {status} {response.reason_phrase}".rstrip(), status=status, retry_after=retry_after)
    if status != 304 and not body:
        raise FetchError("empty response", status=status)
    if status != 304:  # a 304 need not repeat the validators it confirms
        etag, last_modified = None, None
    etag, last_modified = headers.get("etag", etag), headers.get("last-modified", last_modified)
    return Fetched(
        status, str(url), body, etag, last_modified, headers.get("content-type"), _max_age(headers), moved_permanently
    )


def _max_age(headers: httpx.Headers) -> int | None:
    for directive in headers.get("cache-control", "").split(","):
        name, _, value = directive.strip().partition("=")
        if name.lower() == "max-age" and value.strip('"').isdigit():
            return int(value.strip('"'))
    if "expires" not in headers:
        return None
    expires = _http_date(headers["expires"]) or 0.0  # an invalid Expires means already stale
    return max(0, int(expires - (_http_date(headers.get("date")) or time.time())))


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return float(value)
    when = _http_date(value)
    return None if when is None else max(0.0, when - time.time())


def _http_date(value: str | None) -> float | None:
    try:
        return parsedate_to_datetime(value).timestamp() if value else None
    except (TypeError, ValueError):
        return None


def _too_large(cap: int) -> str:
    size = f"{cap // MiB} MB" if cap % MiB == 0 else f"{cap // 1024} KB" if cap % 1024 == 0 else f"{cap} bytes"
    return f"larger than {size}: cut off"


def _unreachable(error: BaseException, host: str) -> str:
    """The most telling cause in the chain: unresolvable name, TLS failure or socket error."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return f"unreachable: cannot resolve {host}"
        if isinstance(cause, ssl.SSLError):
            return f"TLS failed: {getattr(cause, 'verify_message', None) or cause.reason or cause}"
        if isinstance(cause, OSError) and cause.errno and cause.errno > 0:
            return f"unreachable: {os.strerror(cause.errno).lower()}"
        cause = cause.__cause__ or cause.__context__
    return f"unreachable: {str(error).rstrip('.').lower()}"


def _loggable(url: str) -> str:
    """`url` without userinfo, query or fragment: what may appear in a log."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return "<invalid URL>"
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{parsed.host}{port}{parsed.path}"
