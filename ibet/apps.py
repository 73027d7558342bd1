from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IBETConfig(AppConfig):
    name = "ibet"
    verbose_name = _("IBET")
