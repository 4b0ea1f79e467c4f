from django.urls import path

from . import cohost_views, festival_views, hosting_views, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("calendar.ics", views.public_feed, name="feed"),
    path("my-calendar/", views.my_calendar, name="my_calendar"),
    path("feeds/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("groups/<slug:slug>/calendar.ics", views.group_feed, name="group_feed"),
    path("groups/<slug:group_slug>/new/", views.event_create, name="create"),
    path("groups/<slug:group_slug>/propose/", hosting_views.event_propose, name="propose"),
    path("groups/<slug:group_slug>/festivals/new/", views.festival_create, name="festival_create"),
    path("campaigns/<slug:slug>/calendar.ics", views.campaign_feed, name="campaign_feed"),
    path("festivals/", festival_views.festival_list, name="festival_list"),
    path("festivals/<slug:slug>/", views.festival_detail, name="festival"),
    path("festivals/<slug:slug>/calendar.ics", views.festival_feed, name="festival_feed"),
    path("festivals/<slug:slug>/copy/", views.festival_copy, name="festival_copy"),
    path("festivals/<slug:slug>/edit/", views.festival_edit, name="festival_edit"),
    path("festivals/<slug:slug>/publish/", views.festival_publish, name="festival_publish"),
    path("venues/new/", views.venue_create, name="venue_create"),
    path("invitations/<int:pk>/<str:answer>/", cohost_views.cohost_answer, name="cohost_answer"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/calendar.ics", views.event_ics, name="ics"),
    path("<slug:slug>/rsvp/", views.rsvp, name="rsvp"),
    path("<slug:slug>/rsvp/cancel/", views.cancel_rsvp, name="cancel_rsvp"),
    path("<slug:slug>/edit/", views.event_edit, name="edit"),
    path("<slug:slug>/publish/", views.event_publish, name="publish"),
    path("<slug:slug>/cancel/", views.event_cancel, name="cancel"),
    path("<slug:slug>/attendees/", views.attendees, name="attendees"),
    path("<slug:slug>/attendees.csv", views.attendees_csv, name="attendees_csv"),
    path("<slug:slug>/check-in/", views.check_in, name="check_in"),
    path("<slug:slug>/check-in/<int:rsvp_id>/", views.check_in_person, name="check_in_toggle"),
    path("<slug:slug>/check-in/<int:rsvp_id>/undo/", views.check_in_undo, name="check_in_undo"),
    path("<slug:slug>/check-in/walk-in/", views.walk_in_add, name="walk_in_add"),
    path(
        "<slug:slug>/check-in/walk-in/<int:walk_in_id>/remove/",
        views.walk_in_remove,
        name="walk_in_remove",
    ),
    path("<slug:slug>/report/", views.report, name="report"),
    path(
        "<slug:slug>/remove-from-space/",
        cohost_views.remove_from_space,
        name="remove_from_space",
    ),
    path("<slug:slug>/proposal/edit/", hosting_views.proposal_edit, name="proposal_edit"),
    path("<slug:slug>/proposal/<str:step>/", hosting_views.proposal_decide, name="proposal_decide"),
]
