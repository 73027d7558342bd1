from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class CBCFConfig(AppConfig):
    name = "cbcf"
    verbose_name = _("CBCF")

    def ready(self):
        from cbcf import notices, search

        search.register()  # its kinds in the portal's search (partnerships/search.py)
        notices.register()  # what its notices say (partnerships/notifications.py)
        if apps.is_installed("webhooks"):
            from cbcf import payloads

            payloads.register()  # what a webhook about an action item says (webhooks/payloads.py)
