from django.urls import path

from . import learning_views, views

app_name = "resources"

urlpatterns = [
    path("", views.resource_list, name="list"),
    path("new/", views.resource_create, name="create"),
    path("review/", views.review, name="review"),
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path("kinds/<str:kind>/subscribe/", views.subscribe_kind, name="subscribe_kind"),
    path("kinds/<str:kind>/unsubscribe/", views.unsubscribe_kind, name="unsubscribe_kind"),
    path("learning/", learning_views.curriculum, name="curriculum"),
    path("learning/record/", learning_views.learning_record, name="learning_record"),
    path("learning/<slug:slug>/", learning_views.module_detail, name="module"),
    path("learning/<slug:slug>/done/", learning_views.module_done, name="module_done"),
    path("learning/<slug:slug>/undo/", learning_views.module_undo, name="module_undo"),
    path("<slug:slug>/", views.resource_detail, name="detail"),
    path("<slug:slug>/edit/", views.resource_edit, name="edit"),
    path("<slug:slug>/files/new/", views.file_add, name="file_add"),
    path("<slug:slug>/files/<int:file_id>/new-version/", views.version_add, name="version_add"),
    path("<slug:slug>/download/<int:version_id>/", views.download, name="download"),
    path("<slug:slug>/print/", views.print_slogans, name="print"),
    path("<slug:slug>/subscribe/", views.subscribe, name="subscribe"),
    path("<slug:slug>/unsubscribe/", views.unsubscribe, name="unsubscribe"),
    path("<slug:slug>/publish/", views.publish, name="publish"),
    path("<slug:slug>/decline/", views.decline, name="decline"),
]
