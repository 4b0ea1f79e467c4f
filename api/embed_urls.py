from django.urls import path

from . import embed_views

app_name = "embed"

urlpatterns = [path("<uuid:uid>/", embed_views.embed, name="frame")]
