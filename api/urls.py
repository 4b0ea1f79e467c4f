from django.urls import path
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.views import SpectacularAPIView

from . import embed_views, views, web_views

app_name = "api"


class SchemaJson(OpenApiJsonRenderer):
    # Plain JSON, so that every client (and a browser) takes it as JSON.
    media_type = "application/json"


LIST = {"get": "list"}
LIST_CREATE = {"get": "list", "post": "create"}
DETAIL = {"get": "retrieve"}
DETAIL_UPDATE = {"get": "retrieve", "put": "update", "patch": "update"}


def resource(prefix: str, view, name: str, actions=LIST, detail=DETAIL) -> list:
    return [
        path(f"v1/{prefix}/", view.as_view(actions), name=f"{name}-list"),
        path(f"v1/{prefix}/<int:pk>/", view.as_view(detail), name=f"{name}-detail"),
    ]


urlpatterns = [
    path(
        "groups/<slug:slug>/webhooks/<int:pk>/delete/",
        web_views.delete_group_webhook,
        name="delete_group_webhook",
    ),
    path("embeds/events/<slug:slug>/", embed_views.event_embeds, name="event_embeds"),
    path(
        "embeds/campaigns/<slug:slug>/actions/<int:action_id>/",
        embed_views.action_embeds,
        name="action_embeds",
    ),
    path("embeds/<uuid:uid>/delete/", embed_views.delete_embed, name="delete_embed"),
    path("groups/<slug:slug>/tokens/", web_views.group_tokens, name="group_tokens"),
    path(
        "groups/<slug:slug>/tokens/<int:pk>/revoke/",
        web_views.revoke_group_token,
        name="revoke_group_token",
    ),
    path("v1/", views.Root.as_view(LIST), name="root"),
    path("v1/schema/", SpectacularAPIView.as_view(renderer_classes=[SchemaJson]), name="schema"),
    path("v1/docs/", views.docs, name="docs"),
    *resource("events", views.EventList, "event", LIST_CREATE, DETAIL_UPDATE),
    *resource("groups", views.GroupList, "group"),
    *resource("festivals", views.FestivalList, "festival"),
    *resource("campaigns", views.CampaignList, "campaign"),
    *resource("partners", views.PartnerList, "partner"),
    *resource("petitions", views.PetitionList, "petition"),
    *resource("advocacy_campaigns", views.AdvocacyCampaignList, "advocacy_campaign"),
    *resource("people", views.PersonList, "person"),
    *resource("events/<int:event_id>/attendances", views.AttendanceList, "attendance", LIST_CREATE),
    *resource(
        "petitions/<int:petition_id>/signatures", views.SignatureList, "signature", LIST_CREATE
    ),
    *resource(
        "advocacy_campaigns/<int:advocacy_campaign_id>/outreaches",
        views.OutreachList,
        "outreach",
    ),
]
