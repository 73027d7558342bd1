from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShipRiderConfig(AppConfig):
    name = "shiprider"
    verbose_name = _("ShipRider")

    def ready(self):
        from partnerships.signals import designation_lapsed
        from shiprider import notices, search
        from shiprider.services import tell_planners_designation_lapsed

        designation_lapsed.connect(tell_planners_designation_lapsed, dispatch_uid="shiprider_designation_lapsed")
        search.register()  # its kinds in the portal's search (partnerships/search.py)
        notices.register()  # what its notices say (partnerships/notifications.py)
