from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_forget_permission_ids, dispatch_uid="partnerships_forget_permission_ids")


def _forget_permission_ids(**kwargs):
    # A flush or migrate may recreate permission rows with new ids.
    from partnerships.access import _permission_id

    _permission_id.cache_clear()
