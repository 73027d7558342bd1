"""Why a webhook delivery failed, kept as a code and its parameters, and said in the reader's language.

A delivery is sent by a background task, in no reader's language; the code it records (Delivery.last_error_code, with
Delivery.last_error_params) is turned into a sentence when someone reads it: an English administrator and a French
one each read it in their own language. Only the technical part of a failure (an HTTP status, an exception's class
and message, a host name) is kept as it was.
"""

import ssl

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryError(models.TextChoices):
    """What went wrong with a delivery's last attempt (the choice labels name the kinds, for filters and the admin)."""

    ENDPOINT_DISABLED = "endpoint_disabled", _("Endpoint disabled")
    DISABLED_FOR_FAILING = "disabled_for_failing", _("Endpoint disabled for failing")
    EVENT_GONE = "event_gone", _("Event no longer concerns the agency")
    HTTP_STATUS = "http_status", _("Error status from the receiver")
    HTTP_REDIRECT = "http_redirect", _("Redirect from the receiver")
    NO_ANSWER = "no_answer", _("No answer from the receiver")
    URL_INVALID = "url_invalid", _("Invalid URL")
    URL_NOT_HTTPS = "url_not_https", _("Not an https:// URL")
    URL_CREDENTIALS = "url_credentials", _("User name or password in the URL")
    HOST_UNRESOLVED = "host_unresolved", _("Host not resolved")
    ADDRESS_REFUSED = "address_refused", _("Address refused")
    HTTPS_ONLY = "https_only", _("Plain http refused")
    OTHER = "other", _("Other failure")


# The sentence of each code; %(name)s are filled from the parameters recorded with it.
SENTENCES = {
    DeliveryError.ENDPOINT_DISABLED: _("The endpoint is disabled."),
    DeliveryError.DISABLED_FOR_FAILING: _("The endpoint was disabled."),
    DeliveryError.EVENT_GONE: _("What this event was about no longer concerns the agency."),
    DeliveryError.HTTP_STATUS: _("The receiver answered %(status)s."),
    DeliveryError.HTTP_REDIRECT: _("The receiver answered %(status)s: redirects are not followed."),
    DeliveryError.NO_ANSWER: _("No answer from the receiver (%(detail)s)."),
    DeliveryError.URL_INVALID: _("This is not a valid URL."),
    DeliveryError.URL_NOT_HTTPS: _("Give an https:// URL."),
    DeliveryError.URL_CREDENTIALS: _("A webhook URL carries no user name or password: the signature authenticates "
                                     "it."),
    DeliveryError.HOST_UNRESOLVED: _("The host %(host)s cannot be resolved."),
    DeliveryError.ADDRESS_REFUSED: _("%(host)s leads to an address webhooks may not be sent to (%(addresses)s): "
                                     "private, loopback, link-local, multicast and reserved addresses are refused."),
    DeliveryError.HTTPS_ONLY: _("Give an https:// URL: webhooks are sent over HTTPS only."),
    DeliveryError.OTHER: _("The delivery failed: %(detail)s"),
}


# Why no answer came, when the failure is one of these (the parameter `reason`), said in the reader's language in
# place of the exception's own English words, which stay in `detail` for the technical reader.
NO_ANSWER_REASONS = {
    "timeout": _("it did not answer in time"),
    "refused": _("the connection was refused"),
    "reset": _("the connection was closed before an answer"),
    "tls": _("the TLS handshake or the receiver's certificate failed"),
}


def no_answer_params(failure):
    """The parameters of a NO_ANSWER for `failure` (an OSError or an HTTPException): its reason when known, and
    the exception's class and message."""
    detail = f"{type(failure).__name__}: {failure}"[:400]
    for kind, reason in ((ssl.SSLError, "tls"), (TimeoutError, "timeout"), (ConnectionRefusedError, "refused"),
                         (ConnectionResetError, "reset")):
        if isinstance(failure, kind):
            return {"detail": detail, "reason": reason}
    return {"detail": detail}


def sentence(code, params=None):
    """The sentence of `code` in the active language, its parameters filled in; "" for no code."""
    if not code:
        return ""
    words = SENTENCES.get(code)
    params = params or {}
    if code == DeliveryError.NO_ANSWER and params.get("reason") in NO_ANSWER_REASONS:
        params = {**params, "detail": NO_ANSWER_REASONS[params["reason"]]}
    if words is None:  # a code this version does not know (written by a later one): its detail, else the code
        return str(params.get("detail") or code)
    try:
        return str(words) % params
    except (KeyError, TypeError, ValueError):  # its parameters are missing: the kind of failure, at least
        return str(DeliveryError(code).label)
