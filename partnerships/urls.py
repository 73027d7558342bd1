from django.urls import path

from partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/export.csv", views.case_export, name="case_export"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<str:reference>/", views.case_detail, name="case_detail"),
    path("cases/<str:reference>/print/", views.case_print, name="case_print"),
    path("cases/<str:reference>/subjects/", views.case_subject_add, name="case_subject_add"),
    path("cases/<str:reference>/documents/", views.case_document_add, name="case_document_add"),
    path("cases/<str:reference>/documents/<int:pk>/", views.case_document_download, name="case_document_download"),
    path("cases/<str:reference>/edit/", views.case_edit, name="case_edit"),
    path("cases/<str:reference>/sharing/", views.case_sharing, name="case_sharing"),
    path("cases/<str:reference>/sharing/revoke/", views.case_unshare, name="case_unshare"),
    path("cases/<str:reference>/requests/share/", views.case_request_new, {"kind": "share"},
         name="case_request_share"),
    path("cases/<str:reference>/requests/court-release/", views.case_request_new, {"kind": "court_release"},
         name="case_request_court_release"),
    path("cases/<str:reference>/requests/<int:pk>/", views.case_request_decide, name="case_request_decide"),
    path("cases/<str:reference>/access-log/", views.case_access_log, name="case_access_log"),
    path("search/", views.search_page, name="search"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notification_mark_read, name="notifications_read"),
    path("agency/officers/", views.agency_officers, name="agency_officers"),
    path("agency/officers/<int:pk>/", views.agency_officer_edit, name="agency_officer_edit"),
    path("agency/officers/<int:pk>/active/", views.agency_officer_set_active, name="agency_officer_set_active"),
    path("agency/officers/<int:pk>/unlock/", views.agency_officer_unlock, name="agency_officer_unlock"),
    path("agency/officers/<int:pk>/mfa-reset/", views.agency_officer_mfa_reset, name="agency_officer_mfa_reset"),
    path("agency/activity/", views.agency_activity, name="agency_activity"),
    path("agency/tokens/", views.agency_tokens, name="agency_tokens"),
    path("agency/tokens/new/", views.agency_token_issue, name="agency_token_issue"),
    path("audit/", views.audit_search, name="audit_search"),
    path("designations/", views.designation_list, name="designation_list"),
    path("designations/new/", views.designation_create, name="designation_create"),
    path("designations/<int:pk>/", views.designation_detail, name="designation_detail"),
    path("designations/<int:pk>/renew/", views.designation_renew, name="designation_renew"),
]
