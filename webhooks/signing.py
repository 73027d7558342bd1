"""Standard Webhooks signing (https://www.standardwebhooks.com/, the `standardwebhooks` package)."""

import base64
import secrets

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"


def new_secret():
    """A fresh secret: 32 random bytes, base64, with the specification's prefix."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signing_secrets(endpoint, now):
    """The endpoint's current secret, and the previous one while its grace period lasts."""
    keys = [endpoint.secret]
    if endpoint.previous_secret and endpoint.previous_secret_until and endpoint.previous_secret_until > now:
        keys.append(endpoint.previous_secret)
    return keys


def headers(*, endpoint, message_id, timestamp, body, now):
    """`webhook-id`, `webhook-timestamp` and `webhook-signature` for `body` (text): one `v1,` signature per
    secret in use, separated by spaces, as the specification allows during a rotation."""
    signatures = [Webhook(key).sign(msg_id=message_id, timestamp=timestamp, data=body)
                  for key in signing_secrets(endpoint, now)]
    return {"webhook-id": message_id, "webhook-timestamp": str(int(timestamp.timestamp())),
            "webhook-signature": " ".join(signatures)}
