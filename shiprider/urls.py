from django.urls import path

from shiprider import views

app_name = "shiprider"

urlpatterns = [
    path("patrols/", views.patrol_list, name="patrol_list"),
    path("patrols/new/", views.patrol_schedule, name="patrol_schedule"),
    path("patrols/<int:pk>/", views.patrol_detail, name="patrol_detail"),
]
