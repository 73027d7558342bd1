from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from partnerships.api.base import api_not_found
from portal import views
from portal.forms import PasswordChangeForm, SetPasswordForm

# One way in: the portal's sign-in (notice, lockout, second factor), never the admin's own form.
admin.site.login = views.admin_sign_in

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # STATIC_URL reads as "/static/" (Django adds the script prefix): no second slash, or the redirect goes to a
    # host named "static".
    path("favicon.ico", RedirectView.as_view(url=settings.STATIC_URL + "favicon.svg", permanent=True)),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path("accounts/mfa/", views.mfa_verify, name="mfa_verify"),
    path("accounts/mfa/enrol/", views.mfa_enrol, name="mfa_enrol"),
    path("accounts/security/", views.account_security, name="account_security"),
    path("accounts/security/backup-codes/", views.backup_codes_renew, name="backup_codes_renew"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(
        form_class=PasswordChangeForm, success_url="/accounts/security/"),
         name="password_change"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(form_class=SetPasswordForm),
         name="password_reset_confirm"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("api/v1/shiprider/", include("shiprider.api.urls")),
    path("api/v1/ibet/", include("ibet.api.urls")),
    path("api/v1/best/", include("best.api.urls")),
    path("api/v1/cbcf/", include("cbcf.api.urls")),
    path("api/v1/deconfliction/", include("deconfliction.api.urls")),
    path("api/v1/webhooks/", include("webhooks.api.urls")),
    path("api/v1/", include("partnerships.api.urls")),
    # Any other path under /api/ (a non-numeric id, a route that does not exist): 404 as problem details, also
    # with DEBUG on (Django's debug 404 page is HTML).
    re_path(r"^api/", api_not_found),
    path("shiprider/", include("shiprider.urls")),
    path("ibet/", include("ibet.urls")),
    path("best/", include("best.urls")),
    path("cbcf/", include("cbcf.urls")),
    path("deconfliction/", include("deconfliction.urls")),
    path("agency/webhooks/", include("webhooks.urls")),
    path("", include("partnerships.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.bad_request"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
