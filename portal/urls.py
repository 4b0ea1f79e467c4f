"""The URL map. It names the apps (the one place in portal/ that may), keeping every URL
and URL name as it was: links in emails already sent must keep working."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from events import link_views as event_link_views

from . import notification_views, views

# Email links: the choices and unsubscribe pages (portal) and the "I can't come any more"
# link of event emails (events), under one namespace as before.
notification_patterns = (
    [
        path("", notification_views.notification_settings, name="settings"),
        path("unsubscribe/<str:token>/", notification_views.unsubscribe, name="unsubscribe"),
        path("rsvp/<str:token>/", event_link_views.cancel_rsvp, name="cancel_rsvp"),
    ],
    "notifications",
)

# The admin's own sign-in form would skip the two-factor step: signing in is allauth's.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("front.urls")),
    path("me/profile/", views.profile, name="profile"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("groups/", include("groups.urls")),
    path("regions/", include("groups.region_urls")),
    path("partners/", include("partners.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("resources/", include("resources.urls")),
    path("cases/", include("cases.urls")),
    path("events/", include("events.urls")),
    path("resolutions/", include("resolutions.urls")),
    path("act/", include("guests.urls")),
    path("conversations/", include("conversations.urls")),
    path("notifications/", include(notification_patterns)),
    path("review/", include("review.urls")),
    path("api/", include("api.urls")),
    path("embed/", include("api.embed_urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns.append(
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )
