from django.urls import path

from . import views

app_name = "conversations"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("threads/<int:pk>/", views.thread, name="thread"),
    path("threads/<int:pk>/reply/", views.reply, name="reply"),
    path("threads/<int:pk>/follow/", views.follow_thread, name="follow_thread"),
    path("posts/<int:pk>/edit/", views.edit_post, name="edit_post"),
    path("posts/<int:pk>/delete/", views.delete_post, name="delete_post"),
    path("posts/<int:pk>/report/", views.report_post, name="report_post"),
    path("posts/<int:pk>/moderate/<str:step>/", views.moderate_post, name="moderate_post"),
    path("resolution/<int:pk>/", views.resolution, name="resolution"),
    path("<str:kind>/<slug:slug>/", views.place, name="place"),
    path("<str:kind>/<slug:slug>/new/", views.new_thread, name="new_thread"),
    path("<str:kind>/<slug:slug>/follow/", views.follow_place, name="follow_place"),
]
