from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.directory, name="list"),
    path("suggest/", views.suggest, name="suggest"),
    path("suggestions/", views.suggestion_queue, name="suggestion_queue"),
    path("suggestions/<int:pk>/", views.suggestion_detail, name="suggestion_detail"),
    path("suggestions/<int:pk>/accept/", views.suggestion_accept, name="suggestion_accept"),
    path("suggestions/<int:pk>/decline/", views.suggestion_decline, name="suggestion_decline"),
    path("group/<slug:group_slug>/", views.group_partnerships, name="group"),
    path("group/<slug:group_slug>/new/", views.partnership_create, name="partnership_create"),
    path(
        "group/<slug:group_slug>/<int:pk>/edit/",
        views.partnership_edit,
        name="partnership_edit",
    ),
    path("group/<slug:group_slug>/suggestions/", views.group_suggestions, name="group_suggestions"),
    path("<slug:slug>/", views.partner_detail, name="detail"),
    path("<slug:slug>/edit/", views.partner_edit, name="edit"),
]
