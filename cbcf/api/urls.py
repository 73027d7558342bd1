from django.urls import path

from cbcf.api import views

app_name = "cbcf_api"

urlpatterns = [
    path("meetings/", views.MeetingList.as_view(), name="meeting_list"),
    path("meetings/<int:pk>/", views.MeetingDetail.as_view(), name="meeting_detail"),
    path("items/", views.AgendaItemList.as_view(), name="item_list"),
    path("items/<int:pk>/", views.AgendaItemDetail.as_view(), name="item_detail"),
    path("items/<int:pk>/carry/", views.AgendaItemCarry.as_view(), name="item_carry"),
    path("agendas/", views.AgendaList.as_view(), name="agenda_list"),
    path("initiatives/", views.InitiativeList.as_view(), name="initiative_list"),
    path("actions/", views.ActionItemList.as_view(), name="action_list"),
]
