from django.urls import path

from shiprider import views

app_name = "shiprider"

urlpatterns = [
    path("patrols/", views.patrol_list, name="patrol_list"),
    path("patrols/new/", views.patrol_schedule, name="patrol_schedule"),
    path("patrols/<int:pk>/", views.patrol_detail, name="patrol_detail"),
    path("patrols/<int:pk>/edit/", views.patrol_edit, name="patrol_edit"),
    path("patrols/<int:pk>/cancel/", views.patrol_cancel, name="patrol_cancel"),
    path("sites/", views.site_list, name="site_list"),
    path("sites/<int:pk>/", views.site_detail, name="site_detail"),
    path("calendar/", views.patrol_calendar, name="calendar"),
    path("calendar/feed/", views.calendar_feed, name="calendar_feed"),
    path("calendar/<str:key>.ics", views.ical, name="ical"),
    path("figures/", views.site_figures, name="figures"),
    path("patrols/<int:pk>/start/", views.patrol_progress, {"step": "start"}, name="patrol_start"),
    path("patrols/<int:pk>/complete/", views.patrol_progress, {"step": "complete"}, name="patrol_complete"),
    path("patrols/<int:pk>/log/waters/", views.patrol_waters, name="patrol_waters"),
    path("patrols/<int:pk>/radio/", views.radio_plan, name="radio_plan"),
    path("patrols/<int:pk>/radio/print/", views.radio_plan_print, name="radio_plan_print"),
    path("patrols/<int:pk>/radio/ics205.pdf", views.radio_plan_pdf, name="radio_plan_pdf"),
    path("patrols/<int:pk>/log/activities/", views.patrol_activity, name="patrol_activity"),
    path("patrols/<int:pk>/log/activities/<int:activity_pk>/case/", views.activity_case, name="activity_case"),
]
