from django.urls import path

from best.api import views

app_name = "best_api"

urlpatterns = [
    path("units/", views.UnitList.as_view(), name="unit_list"),
    path("memberships/", views.MembershipList.as_view(), name="membership_list"),
    path("investigations/", views.InvestigationList.as_view(), name="investigation_list"),
    path("investigations/<str:reference>/", views.InvestigationDetail.as_view(), name="investigation_detail"),
    path("investigations/<str:reference>/arrests/", views.InvestigationArrests.as_view(), name="arrests"),
    path("investigations/<str:reference>/seizures/", views.InvestigationSeizures.as_view(), name="seizures"),
]
