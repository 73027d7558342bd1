from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from django.contrib.admin.models import LogEntry
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django.db.models.signals import post_delete, post_migrate, post_save

        from partnerships import access, audit, checks, searchables, selectors  # noqa: F401 (checks registers itself)
        from partnerships.models import Agency, Officer

        searchables.register()  # cases, subjects and documents in the search (partnerships/search.py)
        post_migrate.connect(_forget_permission_ids, dispatch_uid="partnerships_forget_permission_ids")
        user_logged_in.connect(audit.on_sign_in, dispatch_uid="audit_sign_in")
        user_login_failed.connect(audit.on_sign_in_failed, dispatch_uid="audit_sign_in_failed")
        user_logged_out.connect(audit.on_sign_out, dispatch_uid="audit_sign_out")
        post_save.connect(audit.on_admin_log_entry, sender=LogEntry, dispatch_uid="audit_admin_log_entry")
        post_save.connect(selectors.forget_agency_datalist, sender=Agency, dispatch_uid="agency_datalist_saved")
        post_save.connect(access.on_officer_saved, sender=Officer, dispatch_uid="officer_agency_group")
        post_delete.connect(selectors.forget_agency_datalist, sender=Agency, dispatch_uid="agency_datalist_deleted")
        # A deployment migrates: the kept case list form and agency list are rendered again by the new code.
        post_migrate.connect(selectors.forget_agency_datalist, sender=self, dispatch_uid="agency_datalist_migrated")


def _forget_permission_ids(**kwargs):
    # A flush or migrate may recreate permission rows with new ids.
    from partnerships.access import _permission_id

    _permission_id.cache_clear()
