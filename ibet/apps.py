from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IBETConfig(AppConfig):
    name = "ibet"
    verbose_name = _("IBET")

    def ready(self):
        from ibet import notices, search
        from ibet.case_section import ibet_records
        from partnerships import case_sections

        case_sections.register(ibet_records)
        search.register()  # its kinds in the portal's search (partnerships/search.py)
        notices.register()  # what its notices say (partnerships/notifications.py)
