from django.urls import path

from deconfliction import views

app_name = "deconfliction"
urlpatterns = [
    path("", views.home, name="home"),
    path("check/", views.check, name="check"),
    path("checks/<int:pk>/", views.alert_detail, name="alert_detail"),
    path("events/new/", views.event_plan, name="event_plan"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("hits/<int:pk>/", views.hit_detail, name="hit_detail"),
    path("hits/<int:pk>/acknowledge/", views.hit_acknowledge, name="hit_acknowledge"),
    path("hits/<int:pk>/close/", views.hit_close, name="hit_close"),
]
