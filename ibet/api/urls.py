from django.urls import path

from ibet.api import views

app_name = "ibet_api"

urlpatterns = [
    path("regions/", views.RegionList.as_view(), name="region_list"),
    path("teams/", views.TeamList.as_view(), name="team_list"),
    path("occurrences/", views.OccurrenceListCreate.as_view(), name="occurrence_list"),
    path("occurrences/<int:pk>/", views.OccurrenceDetail.as_view(), name="occurrence_detail"),
    path("reports/", views.ReportListCreate.as_view(), name="report_list"),
    path("reports/<int:pk>/", views.ReportDetail.as_view(), name="report_detail"),
    path("reports/<int:pk>/review/", views.ReportReview.as_view(), name="report_review"),
    path("operations/", views.OperationList.as_view(), name="operation_list"),
]
