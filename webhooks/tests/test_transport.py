"""Outbound requests cannot be aimed at the portal's own network (webhooks/transport.py)."""

import ssl

import pytest

from webhooks import services
from webhooks.models import Delivery, Endpoint
from webhooks.tests.factories import register

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", [
    "https://10.0.0.1/hooks",
    "https://169.254.169.254/latest/meta-data/",
    "https://localhost/hooks",  # a name that resolves to 127.0.0.1
    "https://127.0.0.1/hooks",
    "https://[::1]/hooks",
    "https://[::ffff:10.0.0.1]/hooks",
    "https://192.168.1.20/hooks",
    "https://224.0.0.1/hooks",
    "https://0.0.0.0/hooks",
])
def test_endpoints_on_private_loopback_and_link_local_addresses_are_refused_outside_debug(bob_admin, url):
    with pytest.raises(services.WebhookRefused, match="may not be sent to"):
        register(bob_admin, url)
    assert not Endpoint.objects.exists()


@pytest.mark.parametrize("url, reason", [
    ("http://8.8.8.8/hooks", "HTTPS only"),
    ("ftp://8.8.8.8/hooks", "https://"),
    ("https://user:pw@8.8.8.8/hooks", "no user name"),
    ("https://no-such-host.invalid/hooks", "cannot be resolved"),
    ("https://8.8.8.8:99999/hooks", "not a valid URL"),
])
def test_other_addresses_that_cannot_be_called_are_refused_with_the_reason(bob_admin, url, reason):
    with pytest.raises(services.WebhookRefused, match=reason):
        register(bob_admin, url)


def test_loopback_over_http_is_allowed_with_debug_only(bob_admin, settings):
    settings.DEBUG = True
    endpoint, _secret = register(bob_admin, "http://127.0.0.1:9/hooks")
    assert endpoint.url == "http://127.0.0.1:9/hooks"
    with pytest.raises(services.WebhookRefused, match="may not be sent to"):
        register(bob_admin, "https://10.0.0.1/hooks")  # DEBUG opens loopback, nothing else


def test_an_address_refused_when_sending_is_not_called(cast, bob_admin, bobs_receiver, settings,
                                                       django_capture_on_commit_callbacks):
    """Registered while DEBUG was on; checked again at each attempt, after resolving: the receiver hears nothing."""
    from partnerships.models import AccessLevel
    from partnerships.tests.factories import JointCaseFactory, share

    settings.DEBUG = True
    register(bob_admin, bobs_receiver.url)
    settings.DEBUG = False
    case = JointCaseFactory(by=cast.alice)
    with django_capture_on_commit_callbacks(execute=True):  # the task runs in-process after the commit
        share(case, cast.bob.officer.agency, AccessLevel.VIEW, by=cast.alice)
    delivery = Delivery.objects.get(case=case)
    assert delivery.attempts == 1 and delivery.status == "pending" and "may not be sent to" in delivery.last_error
    assert bobs_receiver.received == []


def test_redirects_are_not_followed_and_slow_receivers_time_out(cast, bob_admin, bobs_receiver, charlies_receiver,
                                                                loopback_allowed, settings,
                                                                django_capture_on_commit_callbacks):
    from partnerships.models import AccessLevel
    from partnerships.tests.factories import JointCaseFactory, share

    register(bob_admin, bobs_receiver.url)
    bobs_receiver.status, bobs_receiver.headers_out = 307, {"Location": charlies_receiver.url}
    case = JointCaseFactory(by=cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        share(case, cast.bob.officer.agency, AccessLevel.VIEW, by=cast.alice)
    delivery = Delivery.objects.get(case=case)
    assert delivery.last_status_code == 307 and "redirects are not followed" in delivery.last_error
    assert delivery.status == "pending" and charlies_receiver.received == []

    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    bobs_receiver.status, bobs_receiver.delay = 204, 2
    bobs_receiver.body_out = b"x" * 200_000  # never read past WEBHOOK_RESPONSE_MAX_BYTES
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
    delivery = services.delivery_attempt(delivery_id=delivery.pk)
    assert delivery.attempts == 2 and delivery.last_status_code is None
    assert "did not answer in time" in delivery.last_error
    assert delivery.last_duration_ms < 1500


def test_a_failed_delivery_keeps_a_code_and_each_reader_reads_it_in_their_language(
        cast, client, bob_admin, bobs_receiver, loopback_allowed, django_capture_on_commit_callbacks):
    """The task that sends records why it failed as a code and its parameters, in no reader's language; the page and
    the API say it in the reader's (issue 22)."""
    from django.urls import reverse

    from partnerships.models import AccessLevel
    from partnerships.tests.factories import JointCaseFactory, share

    endpoint, _secret = register(bob_admin, bobs_receiver.url)
    bobs_receiver.status = 503
    case = JointCaseFactory(by=cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        share(case, cast.bob.officer.agency, AccessLevel.VIEW, by=cast.alice)
    delivery = Delivery.objects.get(case=case)
    assert (delivery.last_error_code, delivery.last_error_params) == ("http_status", {"status": 503})

    client.force_login(bob_admin)
    for path in (reverse("webhooks:endpoint_detail", args=[endpoint.pk]),
                 reverse("webhooks:delivery_list", args=[endpoint.pk])):
        english = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        french = client.get(path, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        assert "The receiver answered 503." in english and "Le récepteur a répondu 503." in french
        assert "The receiver answered" not in french
    from webhooks.tests.test_api import api_for

    api = api_for(bob_admin).get(f"/api/v1/webhooks/endpoints/{endpoint.pk}/deliveries/", HTTP_ACCEPT_LANGUAGE="fr")
    row = api.json()["results"][0]
    assert (row["last_error_code"], row["last_error_params"]) == ("http_status", {"status": 503})
    assert row["last_error"] == "Le récepteur a répondu 503."


def test_a_disabled_endpoints_waiting_deliveries_say_so_in_french(cast, bob_admin, settings):
    from django.utils import timezone, translation

    endpoint, _secret = register(bob_admin, "https://8.8.8.8/hooks")
    delivery = Delivery.objects.create(endpoint=endpoint, event_type="case.shared", message_id="msg_1",
                                       next_attempt_at=timezone.now())
    services.endpoint_disabled_notify(endpoint=endpoint, since=timezone.now())
    delivery.refresh_from_db()
    assert delivery.last_error_code == "disabled_for_failing"
    with translation.override("fr"):
        assert delivery.last_error == "Le point de terminaison a été désactivé."


@pytest.mark.parametrize("kept, code, params", [
    ("The receiver answered 500.", "http_status", {"status": 500}),
    ("The receiver answered 307: redirects are not followed.", "http_redirect", {"status": 307}),
    ("TimeoutError: timed out", "no_answer", {"detail": "TimeoutError: timed out"}),
    ("The endpoint was disabled.", "disabled_for_failing", {}),
    ("The host nowhere.invalid cannot be resolved.", "host_unresolved", {"host": "nowhere.invalid"}),
    ("10.0.0.1 leads to an address webhooks may not be sent to (10.0.0.1): private, loopback, link-local, multicast "
     "and reserved addresses are refused.", "address_refused", {"host": "10.0.0.1", "addresses": "10.0.0.1"}),
    ("Something nobody foresaw", "other", {"detail": "Something nobody foresaw"}),
])
def test_the_migration_turns_the_english_texts_kept_before_into_codes(kept, code, params):
    import importlib

    migration = importlib.import_module("webhooks.migrations.0002_delivery_error_codes")
    assert migration.code_of(kept) == (code, params)


@pytest.mark.parametrize("failure, english, french", [
    (TimeoutError("timed out"), "No answer from the receiver (it did not answer in time).",
     "Aucune réponse du récepteur (il n'a pas répondu à temps)."),
    (ConnectionRefusedError(111, "Connection refused"), "No answer from the receiver (the connection was refused).",
     "Aucune réponse du récepteur (la connexion a été refusée)."),
    (ssl.SSLCertVerificationError(1, "certificate verify failed"),
     "No answer from the receiver (the TLS handshake or the receiver's certificate failed).",
     "Aucune réponse du récepteur (la négociation TLS ou le certificat du récepteur a échoué)."),
])
def test_why_no_answer_came_is_said_in_the_readers_language_and_the_exception_kept(failure, english, french):
    from django.utils import translation

    from webhooks.errors import DeliveryError, no_answer_params, sentence

    params = no_answer_params(failure)
    assert params["detail"].startswith(type(failure).__name__)
    with translation.override("en"):
        assert sentence(DeliveryError.NO_ANSWER, params) == english
    with translation.override("fr"):
        assert sentence(DeliveryError.NO_ANSWER, params) == french


def test_a_failure_of_another_kind_keeps_its_own_words():
    from webhooks.errors import DeliveryError, no_answer_params, sentence

    params = no_answer_params(OSError("Network is unreachable"))
    assert "reason" not in params
    assert sentence(DeliveryError.NO_ANSWER, params) == "No answer from the receiver (OSError: Network is unreachable)."
