from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShipRiderConfig(AppConfig):
    name = "shiprider"
    verbose_name = _("ShipRider")
