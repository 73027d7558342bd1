from django.urls import path

from cbcf.api import views

app_name = "cbcf_api"

urlpatterns = [
    path("meetings/", views.MeetingList.as_view(), name="meeting_list"),
    path("agendas/", views.AgendaList.as_view(), name="agenda_list"),
    path("initiatives/", views.InitiativeList.as_view(), name="initiative_list"),
    path("actions/", views.ActionItemList.as_view(), name="action_list"),
]
