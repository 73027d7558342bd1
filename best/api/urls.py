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
    path("investigations/<str:reference>/stage/", views.InvestigationStage.as_view(), name="stage"),
    path("investigations/<str:reference>/targets/", views.InvestigationTargets.as_view(), name="targets"),
    path("investigations/<str:reference>/members/", views.InvestigationMembers.as_view(), name="members"),
    path("investigations/<str:reference>/charges/", views.InvestigationCharges.as_view(), name="charges"),
    path("investigations/<str:reference>/convictions/", views.InvestigationConvictions.as_view(),
         name="convictions"),
    path("investigations/<str:reference>/referrals/", views.InvestigationReferrals.as_view(), name="referrals"),
    path("investigations/<str:reference>/referrals/<int:pk>/decision/", views.InvestigationReferralDecision.as_view(),
         name="referral_decision"),
    path("investigations/<str:reference>/mlat-requests/", views.InvestigationMlat.as_view(), name="mlat_requests"),
    path("investigations/<str:reference>/mlat-requests/<int:pk>/news/", views.InvestigationMlatNews.as_view(),
         name="mlat_news"),
    path("units/<int:pk>/memberships/", views.UnitMembershipAdd.as_view(), name="unit_memberships"),
    path("units/<int:pk>/status/", views.UnitStatus.as_view(), name="unit_status"),
    path("units/<int:pk>/memberships/<int:membership_pk>/end/", views.UnitMembershipEnd.as_view(),
         name="membership_end"),
]
