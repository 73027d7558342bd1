from django.urls import path

from best import views

app_name = "best"

urlpatterns = [
    path("", views.home, name="home"),
    path("investigations/new/", views.investigation_create, name="investigation_create"),
    path("investigations/<str:reference>/", views.investigation_detail, name="investigation_detail"),
    path("investigations/<str:reference>/<str:action>/", views.investigation_action, name="investigation_action"),
    path("units/<int:pk>/report/", views.unit_report, name="unit_report"),
    path("units/<int:pk>/members/", views.unit_members, name="unit_members"),
    path("units/<int:pk>/status/", views.unit_status, name="unit_status"),
    path("units/<int:pk>/members/<int:membership_pk>/end/", views.membership_end, name="membership_end"),
]
