from django.urls import path

from . import staff_views, views
from .feeds import CaseUpdatesFeed

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("feed/", CaseUpdatesFeed(), name="feed"),
    path("figures.csv", staff_views.figures_csv, name="figures_csv"),
    path("moderation/", staff_views.moderation_queue, name="moderation"),
    path("moderation/<int:pk>/", staff_views.moderate, name="moderate"),
    path("letters/<int:pk>/", views.letter_print, name="letter_print"),
    path("letters/<int:pk>/posted/", views.letter_posted, name="letter_posted"),
    path("<slug:slug>/", views.case_detail, name="detail"),
    path("<slug:slug>/actions/<int:action_id>/", views.urgent_action_detail, name="action"),
    path(
        "<slug:slug>/actions/<int:action_id>/write/<int:target_id>/",
        views.write,
        name="write",
    ),
    path("<slug:slug>/message/", views.write_message, name="message"),
    path("<slug:slug>/adopt/", views.adopt, name="adopt"),
    path("<slug:slug>/unadopt/", views.unadopt, name="unadopt"),
    path("<slug:slug>/update/", staff_views.post_update, name="post_update"),
    path("<slug:slug>/status/", staff_views.change_status, name="change_status"),
    path("<slug:slug>/publish/", staff_views.publish, name="publish"),
    path("<slug:slug>/messages/", staff_views.batches, name="batches"),
    path("<slug:slug>/messages/compile/", staff_views.compile_batch, name="compile_batch"),
    path("<slug:slug>/messages/<int:number>/", staff_views.batch_print, name="batch_print"),
]
