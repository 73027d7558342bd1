from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BESTConfig(AppConfig):
    name = "best"
    verbose_name = _("BEST")

    def ready(self):
        from best import notices, search

        search.register()  # its kinds in the portal's search (partnerships/search.py)
        notices.register()  # what its notices say (partnerships/notifications.py)
