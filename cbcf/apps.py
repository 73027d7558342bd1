from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CBCFConfig(AppConfig):
    name = "cbcf"
    verbose_name = _("CBCF")
