from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("trends/", views.trends, name="trends"),
    path("summary/", views.summary, name="summary"),
    path("groups.csv", views.groups_csv, name="groups_csv"),
    path("group/<slug:slug>/", views.group_detail, name="group"),
    path("group/<slug:slug>/events.csv", views.group_events_csv, name="group_events_csv"),
]
