"""The portal's URLs plus the bare baseline view, for benchmark runs only: the bare page
is not part of the production URL map (bench/wsgi.py and bench/discover.py select it)."""

from django.urls import path

from bench import views as bench_views
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [*portal_urlpatterns, path("bench/bare/", bench_views.bare, name="bench_bare")]
