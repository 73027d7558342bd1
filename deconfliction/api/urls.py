from django.urls import path

from deconfliction.api import views

urlpatterns = [
    path("checks/", views.CheckView.as_view(), name="api-deconfliction-check"),
    path("events/", views.EventPlan.as_view(), name="api-deconfliction-events"),
    path("hits/", views.HitList.as_view(), name="api-deconfliction-hits"),
    path("hits/<int:pk>/acknowledge/", views.HitAcknowledge.as_view(), name="api-deconfliction-hit-acknowledge"),
    path("hits/<int:pk>/close/", views.HitClose.as_view(), name="api-deconfliction-hit-close"),
]
