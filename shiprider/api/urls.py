from django.urls import path

from shiprider.api import views

app_name = "shiprider_api"

urlpatterns = [
    path("sites/", views.SiteList.as_view(), name="site_list"),
    path("vessels/", views.VesselList.as_view(), name="vessel_list"),
    path("patrols/", views.PatrolListCreate.as_view(), name="patrol_list"),
    path("patrols/<int:pk>/", views.PatrolDetail.as_view(), name="patrol_detail"),
    path("patrols/<int:pk>/activities/", views.PatrolActivities.as_view(), name="patrol_activities"),
    path("designations/", views.DesignationList.as_view(), name="designation_list"),
]
