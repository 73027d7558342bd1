from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.db.models import IntegerField

        from portal import accounts, lookups, middleware

        IntegerField.register_lookup(lookups.InWithinRange)

        user_login_failed.connect(accounts.on_sign_in_failed, dispatch_uid="portal_lockout_count")
        user_logged_in.connect(middleware.on_signed_in, dispatch_uid="portal_session_start")
