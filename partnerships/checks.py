"""System checks for the audit trail's settings (registered in apps.py)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security)
def audit_writes_on(app_configs, **kwargs):
    if settings.AUDIT_SKIP_WRITES_FOR_BENCH:
        return [Error("AUDIT_SKIP_WRITES_FOR_BENCH is set: no read or change would be audited.",
                      hint="It exists for bench/audit_trail.py's baseline only; unset it.",
                      id="partnerships.E001")]
    return []


@register(Tags.security, deploy=True)
def audit_checkpoint_key_set(app_configs, **kwargs):
    if settings.AUDIT_CHECKPOINT_KEY.startswith("derived-from-secret-key:"):
        return [Warning("AUDIT_CHECKPOINT_KEY is not set: audit checkpoints are signed with a key derived from "
                        "DJANGO_SECRET_KEY, and rotating that key would leave the checkpoints written so far "
                        "unverifiable.", hint="Set AUDIT_CHECKPOINT_KEY (docs/operations.md).",
                        id="partnerships.W001")]
    return []
