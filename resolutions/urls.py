from django.urls import path

from . import views

app_name = "resolutions"

urlpatterns = [
    path("", views.resolution_list, name="list"),
    path("new/", views.draft, name="draft"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting"),
    path("meetings/<slug:slug>/agenda-pack/", views.agenda_pack, name="agenda_pack"),
    path("<int:pk>/", views.resolution_detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/endorse/", views.endorse, name="endorse"),
    path("<int:pk>/cosponsor/", views.cosponsor, name="cosponsor"),
    path("<int:pk>/support/", views.support, name="support"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/result/", views.result, name="result"),
    path("<int:pk>/progress/", views.progress, name="progress"),
]
