"""Un-namespaced, as they always were: links in emails already sent and templates name
them as "home", "my_portal" and so on."""

from django.contrib.sitemaps.views import sitemap
from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from . import views
from .sitemaps import SITEMAPS

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.my_portal, name="my_portal"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/data/download/", views.my_data_download, name="my_data_download"),
    path("me/delete/", views.delete_account, name="delete_account"),
    path("search/", views.search, name="search"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # Pages name their icons; programs that ask for /favicon.ico anyway are sent to it.
    path(
        "favicon.ico",
        RedirectView.as_view(url=static("img/favicon.ico")),
        name="favicon",
    ),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
