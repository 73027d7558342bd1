"""Outbound requests to webhook endpoints that cannot be aimed at the portal's own network.

The host is resolved once, every address it resolves to is checked (no private, loopback, link-local, multicast,
reserved or unspecified address: `ipaddress`), and the connection goes to the address that was checked, so that a
second lookup cannot answer otherwise (DNS rebinding). HTTPS only, its certificate checked against the host name.
No redirect is followed (a 3xx is a failure), the request has a deadline (WEBHOOK_TIMEOUT_SECONDS) and at most
WEBHOOK_RESPONSE_MAX_BYTES of the answer are read. With DEBUG on (a developer's machine) loopback is allowed, over
plain http too, so that a receiver can run beside the portal.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings

from webhooks.errors import DeliveryError, no_answer_params, sentence


class AddressRefused(Exception):
    """The URL may not be called: `code` (a DeliveryError) and `params` say why; str() says it in the active
    language."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code, self.params = code, params

    def __str__(self):
        return sentence(self.code, self.params)


@dataclass
class Answer:
    status: int | None  # None when no answer came
    duration_ms: int
    body: str  # the start of what was read back
    error_code: str = ""  # why it failed, when it did: a DeliveryError, said in the reader's language when read
    error_params: dict = field(default_factory=dict)

    @property
    def error(self):
        return sentence(self.error_code, self.error_params)


def _allowed(address):
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return settings.DEBUG
    return address.is_global and not (address.is_private or address.is_link_local or address.is_multicast
                                      or address.is_reserved or address.is_unspecified)


def check_url(url):
    """(scheme, host, port, target path, [checked addresses]) of a URL a webhook may be sent to; AddressRefused
    with the reason otherwise. Resolves the host name (once)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise AddressRefused(DeliveryError.URL_INVALID) from error
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in ("https", "http") or not host:
        raise AddressRefused(DeliveryError.URL_NOT_HTTPS)
    if parts.username or parts.password:
        raise AddressRefused(DeliveryError.URL_CREDENTIALS)
    port = port or (443 if scheme == "https" else 80)
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    else:
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise AddressRefused(DeliveryError.HOST_UNRESOLVED, host=host) from error
        addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in found))
    refused = [str(address) for address in addresses if not _allowed(address)]
    if refused or not addresses:
        raise AddressRefused(DeliveryError.ADDRESS_REFUSED, host=host, addresses=", ".join(refused))
    if scheme == "http" and not (settings.DEBUG and all(address.is_loopback for address in addresses)):
        raise AddressRefused(DeliveryError.HTTPS_ONLY)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, host, port, target, addresses


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the checked address; the certificate is checked against the host name (SNI too)."""

    def __init__(self, host, port, *, address, timeout, context):
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def post(url, body, headers):
    """POST `body` (bytes) to `url` with `headers`; an Answer, never an exception for the receiver's failures.
    AddressRefused when the URL may not be called."""
    scheme, host, port, target, addresses = check_url(url)
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    address = str(addresses[0])
    if scheme == "https":
        connection = _PinnedHTTPSConnection(host, port, address=address, timeout=timeout,
                                            context=ssl.create_default_context())
    else:
        connection = _PinnedHTTPConnection(host, port, address=address, timeout=timeout)
    started = time.monotonic()
    deadline = started + timeout
    try:
        connection.request("POST", target, body=body, headers={
            **headers, "Content-Type": "application/json", "User-Agent": "BorderPartnershipsPortal-Webhooks/1"})
        response = connection.getresponse()
        read, cap = b"", settings.WEBHOOK_RESPONSE_MAX_BYTES
        while len(read) < cap and time.monotonic() < deadline:
            chunk = response.read1(min(8192, cap - len(read)))
            if not chunk:
                break
            read += chunk
        status = response.status
        code = "" if 200 <= status < 300 else DeliveryError.HTTP_STATUS
        if 300 <= status < 400:
            code = DeliveryError.HTTP_REDIRECT
        return Answer(status=status, duration_ms=_ms(started), body=_text(read), error_code=code,
                      error_params={"status": status} if code else {})
    except (OSError, http.client.HTTPException) as failure:
        return Answer(status=None, duration_ms=_ms(started), body="", error_code=DeliveryError.NO_ANSWER,
                      error_params=no_answer_params(failure))
    finally:
        connection.close()


def _ms(started):
    return int((time.monotonic() - started) * 1000)


def _text(data):
    return data[:500].decode("utf-8", errors="replace").replace("\x00", "")
