"""The client's address behind configured proxies: in the audit trail and the per-address sign-in limit."""

import pytest
from django.urls import reverse

from partnerships.models import AuditEvent
from portal.proxies import client_address

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.10"


@pytest.mark.parametrize(("peer", "forwarded", "expected"), [
    ("10.0.0.10", "203.0.113.7", "203.0.113.7"),                      # through the proxy
    ("10.0.0.10", "198.51.100.1, 203.0.113.7", "203.0.113.7"),        # the client's own entry is not believed
    ("10.0.0.10", "203.0.113.7, 10.0.0.11", "203.0.113.7"),           # two proxies of the trusted network
    ("192.0.2.50", "203.0.113.7", "192.0.2.50"),                      # not from a proxy: the header is ignored
    ("10.0.0.10", "not-an-address", "10.0.0.10"),                     # malformed: the proxy itself
    ("10.0.0.10", "", "10.0.0.10"),
])
def test_the_client_is_the_first_hop_that_is_not_a_trusted_proxy(peer, forwarded, expected):
    import ipaddress

    assert client_address(peer, forwarded, [ipaddress.ip_network("10.0.0.0/24")]) == expected


def test_the_audit_trail_records_the_client_behind_a_trusted_proxy(client, alice, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    client.post(reverse("login"), {"username": "alice", "password": "wrong-password", "acknowledge": "on"},
                REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN_FAILED).ip_address == "203.0.113.7"


def test_a_forwarded_header_from_anyone_else_is_ignored(client, alice, settings):
    settings.TRUSTED_PROXIES = []
    client.post(reverse("login"), {"username": "alice", "password": "wrong-password", "acknowledge": "on"},
                REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN_FAILED).ip_address == "192.0.2.50"


def test_the_sign_in_limit_counts_each_client_behind_the_proxy_apart(client, alice, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    wrong = {"username": "nobody-here", "password": "wrong-password", "acknowledge": "on"}
    statuses = [client.post(reverse("login"), wrong, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code
                for _ in range(40)]
    assert 429 in statuses  # the first client reached the limit...
    other = client.post(reverse("login"), wrong, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert other.status_code != 429  # ...and another one behind the same proxy did not
