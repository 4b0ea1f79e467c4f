from django.urls import path

from . import region_views

app_name = "regions"

urlpatterns = [
    path("", region_views.region_list, name="list"),
    path("<slug:slug>/", region_views.region_detail, name="detail"),
    path("<slug:slug>/contact/", region_views.region_contact, name="contact"),
    path("<slug:slug>/team/", region_views.team_edit, name="team"),
    # After the region's own pages: Area.clean keeps areas off their slugs.
    path("<slug:slug>/<slug:area>/", region_views.area_detail, name="area"),
]
