from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CBCFConfig(AppConfig):
    name = "cbcf"
    verbose_name = _("CBCF")

    def ready(self):
        from cbcf import search

        search.register()  # its kinds in the portal's search (partnerships/search.py)
