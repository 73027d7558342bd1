from django.urls import path

from ibet.api import views

app_name = "ibet_api"

urlpatterns = [
    path("regions/", views.RegionList.as_view(), name="region_list"),
    path("regions/<int:pk>/representatives/", views.RegionRepresentatives.as_view(), name="region_representatives"),
    path("regions/<int:pk>/representatives/<int:representative_pk>/replace/",
         views.RegionRepresentativeReplace.as_view(), name="region_representative_replace"),
    path("regions/<int:pk>/meetings/", views.RegionMeetings.as_view(), name="region_meetings"),
    path("teams/", views.TeamList.as_view(), name="team_list"),
    path("teams/<int:pk>/", views.TeamDetail.as_view(), name="team_detail"),
    path("teams/<int:pk>/officers/", views.TeamOfficers.as_view(), name="team_officers"),
    path("occurrences/", views.OccurrenceListCreate.as_view(), name="occurrence_list"),
    path("occurrences/<int:pk>/", views.OccurrenceDetail.as_view(), name="occurrence_detail"),
    path("reports/", views.ReportListCreate.as_view(), name="report_list"),
    path("reports/<int:pk>/", views.ReportDetail.as_view(), name="report_detail"),
    path("reports/<int:pk>/review/", views.ReportReview.as_view(), name="report_review"),
    path("operations/", views.OperationList.as_view(), name="operation_list"),
]
