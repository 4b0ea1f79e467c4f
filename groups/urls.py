from django.urls import path

from . import views

app_name = "groups"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("scope/", views.scope, name="scope"),
    path("<slug:slug>/", views.group_detail, name="detail"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/members.csv", views.members_csv, name="members_csv"),
    path("<slug:slug>/members/<int:membership_id>/promote/", views.promote, name="promote"),
    path("<slug:slug>/members/<int:membership_id>/remove/", views.remove, name="remove"),
    path(
        "<slug:slug>/members/<int:membership_id>/trust-host/", views.trust_host, name="trust_host"
    ),
    path("<slug:slug>/step-down/", views.step_down, name="step_down"),
    path("<slug:slug>/announce/", views.announce, name="announce"),
]
