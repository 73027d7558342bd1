from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from partnerships.api import schema, views  # noqa: F401  (schema registers the token scheme)

app_name = "api"

urlpatterns = [
    path("cases/", views.CaseListCreate.as_view(), name="case_list"),
    path("cases/removed/", views.CaseRemovals.as_view(), name="case_removed"),
    path("cases/<str:reference>/", views.CaseDetail.as_view(), name="case_detail"),
    path("cases/<str:reference>/shares/", views.CaseShares.as_view(), name="case_shares"),
    path("cases/<str:reference>/shares/<str:acronym>/", views.CaseShareRevoke.as_view(), name="case_share_revoke"),
    path("cases/<str:reference>/subjects/", views.CaseSubjects.as_view(), name="case_subjects"),
    path("cases/<str:reference>/documents/", views.CaseDocuments.as_view(), name="case_documents"),
    path("cases/<str:reference>/requests/share/", views.CaseShareRequestNew.as_view(), name="case_request_share"),
    path("cases/<str:reference>/requests/court-release/", views.CaseCourtReleaseNew.as_view(),
         name="case_request_court_release"),
    path("cases/<str:reference>/requests/<int:pk>/decision/", views.CaseRequestDecision.as_view(),
         name="case_request_decision"),
    path("search/", views.Search.as_view(), name="search"),
    path("agencies/", views.AgencyList.as_view(), name="agency_list"),
    path("teams/", views.TeamList.as_view(), name="team_list"),
    path("officers/", views.OfficerList.as_view(), name="officer_list"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file of its own (?script): the CSP allows no inline
    # script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema",
                                                      template_name="partnerships/api/swagger_ui.html"), name="docs"),
]
