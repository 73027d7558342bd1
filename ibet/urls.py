from django.urls import path

from ibet import views

app_name = "ibet"

urlpatterns = [
    path("", views.team_list, name="team_list"),
    path("regions/new/", views.region_create, name="region_create"),
    path("regions/<int:pk>/", views.region_detail, name="region_detail"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_dashboard, name="team_dashboard"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("teams/<int:pk>/officers/", views.team_officers, name="team_officers"),
    path("occurrences/", views.occurrence_list, name="occurrence_list"),
    path("occurrences/new/", views.occurrence_create, name="occurrence_create"),
    path("occurrences/<int:pk>/", views.occurrence_detail, name="occurrence_detail"),
    path("occurrences/<int:pk>/edit/", views.occurrence_edit, name="occurrence_edit"),
    path("import/", views.import_start, name="import_start"),
    path("import/template.csv", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("operations/", views.operation_list, name="operation_list"),
    path("operations/new/", views.operation_create, name="operation_create"),
    path("operations/<int:pk>/", views.operation_detail, name="operation_detail"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_create, name="report_create"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
]
