from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeconflictionConfig(AppConfig):
    name = "deconfliction"
    verbose_name = _("Deconfliction")

    def ready(self):
        from deconfliction import notices

        notices.register()  # what its notices say (partnerships/notifications.py)
