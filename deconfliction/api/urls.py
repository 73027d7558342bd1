from django.urls import path

from deconfliction.api import views

urlpatterns = [
    path("checks/", views.CheckView.as_view(), name="api-deconfliction-check"),
    path("hits/", views.HitList.as_view(), name="api-deconfliction-hits"),
]
