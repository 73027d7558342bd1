from django.urls import path

from shiprider.api import views

app_name = "shiprider_api"

urlpatterns = [
    path("sites/", views.SiteList.as_view(), name="site_list"),
    path("sites/<int:pk>/", views.SiteDetail.as_view(), name="site_detail"),
    path("vessels/", views.VesselList.as_view(), name="vessel_list"),
    path("patrols/", views.PatrolListCreate.as_view(), name="patrol_list"),
    path("patrols/<int:pk>/", views.PatrolDetail.as_view(), name="patrol_detail"),
    path("patrols/<int:pk>/cancel/", views.PatrolCancel.as_view(), name="patrol_cancel"),
    path("patrols/<int:pk>/activities/", views.PatrolActivities.as_view(), name="patrol_activities"),
    path("patrols/<int:pk>/activities/<int:activity_pk>/case/", views.ActivityCase.as_view(), name="activity_case"),
    path("patrols/<int:pk>/start/", views.PatrolStart.as_view(), name="patrol_start"),
    path("patrols/<int:pk>/complete/", views.PatrolComplete.as_view(), name="patrol_complete"),
    path("patrols/<int:pk>/waters/", views.PatrolWaters.as_view(), name="patrol_waters"),
    path("patrols/<int:pk>/radio-plan/", views.PatrolRadioPlan.as_view(), name="radio_plan"),
    path("designations/", views.DesignationList.as_view(), name="designation_list"),
    path("designations/<int:pk>/status/", views.DesignationStatus.as_view(), name="designation_status"),
    path("designations/<int:pk>/renew/", views.DesignationRenew.as_view(), name="designation_renew"),
]
