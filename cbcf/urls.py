from django.urls import path

from cbcf import views

app_name = "cbcf"

urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/propose/", views.item_propose, name="item_propose"),
    path("meetings/<int:pk>/items/<int:item_pk>/papers/", views.item_papers, name="item_papers"),
    path("papers/<int:pk>/", views.paper_download, name="paper_download"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/items/<int:item_pk>/edit/", views.item_edit, name="item_edit"),
    path("meetings/<int:pk>/carry/", views.item_carry, name="item_carry"),
    path("meetings/<int:pk>/versions/", views.versions_compare, name="versions_compare"),
    path("meetings/<int:pk>/decide/", views.item_decide, name="item_decide"),
    path("meetings/<int:pk>/move/", views.item_move, name="item_move"),
    path("meetings/<int:pk>/timing/", views.meeting_timing, name="meeting_timing"),
    path("meetings/<int:pk>/advance/", views.agenda_advance, name="agenda_advance"),
    path("meetings/<int:pk>/decision/", views.decision_record, name="decision_record"),
    path("meetings/<int:pk>/participants/", views.participant_set, name="participant_set"),
    path("meetings/<int:pk>/actions/", views.action_add, name="action_add"),
    path("meetings/<int:pk>/briefing-book/", views.book_build, name="book_build"),
    path("meetings/<int:pk>/invitation.ics", views.meeting_ics, name="meeting_ics"),
    path("books/<int:pk>/", views.book_html, name="book_html"),
    path("books/<int:pk>/book.pdf", views.book_pdf, name="book_pdf"),
    path("calendar/", views.calendar_feed, name="calendar_feed"),
    path("calendar/<str:key>.ics", views.feed, name="feed"),
    path("initiatives/", views.initiative_list, name="initiatives"),
    path("initiatives/<int:pk>/update/", views.initiative_update, name="initiative_update"),
    path("actions/", views.action_register, name="actions"),
    path("actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("subgroups/", views.subgroup_list, name="subgroups"),
]
