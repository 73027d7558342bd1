from django.urls import path

from partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_create, name="case_create"),
    path("<str:reference>/", views.case_detail, name="case_detail"),
    path("<str:reference>/edit/", views.case_edit, name="case_edit"),
    path("<str:reference>/sharing/", views.case_sharing, name="case_sharing"),
    path("<str:reference>/sharing/revoke/", views.case_unshare, name="case_unshare"),
]
