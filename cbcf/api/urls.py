from django.urls import path

from cbcf.api import views

app_name = "cbcf_api"

urlpatterns = [
    path("meetings/", views.MeetingListCreate.as_view(), name="meeting_list"),
    path("meetings/<int:pk>/", views.MeetingDetail.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/items/", views.MeetingItems.as_view(), name="meeting_items"),
    path("meetings/<int:pk>/timing/", views.MeetingTiming.as_view(), name="meeting_timing"),
    path("meetings/<int:pk>/advance/", views.AgendaAdvance.as_view(), name="agenda_advance"),
    path("meetings/<int:pk>/participants/", views.MeetingParticipants.as_view(), name="participant_set"),
    path("meetings/<int:pk>/actions/", views.MeetingActions.as_view(), name="action_add"),
    path("items/", views.AgendaItemList.as_view(), name="item_list"),
    path("items/<int:pk>/", views.AgendaItemDetail.as_view(), name="item_detail"),
    path("items/<int:pk>/carry/", views.AgendaItemCarry.as_view(), name="item_carry"),
    path("items/<int:pk>/papers/", views.ItemPapers.as_view(), name="item_papers"),
    path("items/<int:pk>/decide/", views.ItemDecide.as_view(), name="item_decide"),
    path("items/<int:pk>/move/", views.ItemMove.as_view(), name="item_move"),
    path("items/<int:pk>/decision/", views.ItemDecision.as_view(), name="decision_record"),
    path("agendas/", views.AgendaList.as_view(), name="agenda_list"),
    path("initiatives/", views.InitiativeListCreate.as_view(), name="initiative_list"),
    path("initiatives/<int:pk>/progress/", views.InitiativeProgress.as_view(), name="initiative_update"),
    path("actions/", views.ActionItemList.as_view(), name="action_list"),
    path("actions/<int:pk>/status/", views.ActionStatus.as_view(), name="action_status"),
    path("subgroups/", views.SubgroupList.as_view(), name="subgroup_list"),
]
