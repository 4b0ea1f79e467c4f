from django.urls import path

from . import views

app_name = "guests"

urlpatterns = [
    path("campaigns/<slug:slug>/actions/<int:action_id>/", views.act, name="act"),
    path("campaigns/<slug:slug>/support/", views.support, name="support"),
    path("events/<slug:slug>/", views.rsvp, name="rsvp"),
    path("check-your-email/", views.sent, name="sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("forget-me-here/", views.forget, name="forget"),
    path("my-data/", views.data_request, name="data_request"),
    path("my-data/<str:token>/", views.data, name="data"),
]
