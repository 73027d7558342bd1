"""The client's address behind the TLS proxy, trusted only as far as the proxies are configured.

Behind a proxy, REMOTE_ADDR is the proxy's: every audit record would carry it and the per-address sign-in limit
would be shared by everyone. When the peer is one of TRUSTED_PROXIES (addresses or networks, DJANGO_TRUSTED_PROXIES),
X-Forwarded-For is read from the right, hop by hop, while the hops are trusted proxies: the first address that is
not one is the client. A client's own X-Forwarded-For entries lie to the left of that and are never taken. Without
TRUSTED_PROXIES the header is ignored. First in MIDDLEWARE, so the audit trail and the rate limits see the result.
"""

import ipaddress

from django.conf import settings


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(peer, forwarded_for, networks):
    """The address the request came from, given the TCP peer, the X-Forwarded-For header and the trusted networks."""
    address = _address(peer)
    if address is None:
        return peer
    for hop in reversed([hop for hop in forwarded_for.split(",") if hop.strip()]):
        if not any(address in network for network in networks):
            break
        next_address = _address(hop)
        if next_address is None:  # a malformed entry: stop at the last trusted proxy
            break
        address = next_address
    return address.compressed


class TrustedProxyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.networks = [ipaddress.ip_network(network, strict=False) for network in settings.TRUSTED_PROXIES]

    def __call__(self, request):
        if self.networks:
            request.META["REMOTE_ADDR"] = client_address(request.META.get("REMOTE_ADDR", ""),
                                                         request.META.get("HTTP_X_FORWARDED_FOR", ""), self.networks)
        return self.get_response(request)
