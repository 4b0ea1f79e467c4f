from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("propose/", views.propose, name="propose"),
    path("proposals/", views.proposals, name="proposals"),
    path("funding/", views.funding_list, name="funding_list"),
    path("<slug:slug>/", views.campaign_detail, name="detail"),
    path("<slug:slug>/support/", views.support, name="support"),
    path("<slug:slug>/unsupport/", views.unsupport, name="unsupport"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/actions/new/", views.add_action, name="add_action"),
    path("<slug:slug>/actions/<int:action_id>/", views.action_detail, name="action"),
    path("<slug:slug>/actions/<int:action_id>/take/", views.action_take, name="take"),
    path("<slug:slug>/s/<str:token>/", views.share_arrival, name="share"),
    path("<slug:slug>/updates/new/", views.post_update, name="post_update"),
    path("<slug:slug>/picture/", views.picture, name="picture"),
    path("<slug:slug>/outcomes/new/", views.record_outcome, name="record_outcome"),
    path("<slug:slug>/status/", views.change_status, name="change_status"),
    path("<slug:slug>/approve/", views.approve, name="approve"),
    path("<slug:slug>/decline/", views.decline, name="decline"),
    path("<slug:slug>/funding/new/", views.funding_new, name="funding_new"),
    path("<slug:slug>/funding/<int:pk>/", views.funding_detail, name="funding_detail"),
    path("<slug:slug>/funding/<int:pk>/<str:step>/", views.funding_step, name="funding_step"),
]
