"""The /api/v1/ views: thin, as elsewhere. Querysets come from permissions.py; writes go
through the events and campaigns services, the same as the web's."""

import functools

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import APIException, Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse

from campaigns import services as campaign_services
from campaigns.models import Campaign
from events import services as event_services
from events.models import RSVP, Festival
from groups.models import LocalGroup
from partners.models import Partner
from portal import ratelimit

from . import serializers
from .errors import error_body
from .filters import apply_date_filter
from .pagination import HalCursorPagination
from .permissions import (
    contactable_ids,
    events_for,
    managed_events_for,
    managed_petitions_for,
    people_for,
    petitions_for,
    token_of,
)

FILTER_PARAM = OpenApiParameter(
    "filter",
    OpenApiTypes.STR,
    description="OSDI filter on a date, e.g. modified_date gt '2027-01-31T12:00:00Z'.",
)


class TooLarge(APIException):
    status_code = 413
    default_detail = "The request body is too large."


class ApiView(viewsets.GenericViewSet):
    """Refuses oversized bodies before parsing them, and limits reads without a token per
    client address."""

    required_scope = None
    pagination_class = HalCursorPagination
    # OSDI name -> model field for ?filter=.
    date_fields = {"created_date": "created_at"}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.API_MAX_BODY_BYTES:
            raise TooLarge(f"A request body may be at most {settings.API_MAX_BODY_BYTES} bytes.")
        if request.auth is None:
            usage = ratelimit.count(
                request, "api_public_reads", f"ip{ratelimit.client_ip(request)}"
            )
            if usage["should_limit"]:
                raise Throttled(wait=usage["time_left"])

    def filter_queryset(self, queryset):
        return apply_date_filter(
            queryset, self.request.query_params.get("filter"), self.date_fields
        )


class ReadOnlyResource(ApiView, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """A list (with ?filter=) at the collection URL and one item at the detail URL."""


def _id_param(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise ValidationError({name: ["An id is a positive whole number."]})
    return int(raw)


@extend_schema_view(list=extend_schema(parameters=[FILTER_PARAM]))
class EventList(ReadOnlyResource):
    """Published public events (and members-only ones with the events:read scope). Filter by
    group, festival or campaign id."""

    serializer_class = serializers.EventSerializer
    embedded_name = "osdi:events"
    date_fields = {"created_date": "created_at", "modified_date": "updated_at"}

    def get_queryset(self):
        events = events_for(self.request).select_related("venue", "group")
        for name in ("group", "festival", "campaign"):
            if (pk := _id_param(self.request, name)) is not None:
                events = events.filter(**{f"{name}_id": pk})
        return events


@extend_schema_view(list=extend_schema(parameters=[FILTER_PARAM]))
class GroupList(ReadOnlyResource):
    serializer_class = serializers.GroupSerializer
    embedded_name = "osdi:groups"
    queryset = LocalGroup.objects.active().select_related("area__region")


@extend_schema_view(list=extend_schema(parameters=[FILTER_PARAM]))
class FestivalList(ReadOnlyResource):
    serializer_class = serializers.FestivalSerializer
    embedded_name = "osdi:festivals"
    queryset = Festival.objects.filter(status=Festival.Status.PUBLISHED)


@extend_schema_view(list=extend_schema(parameters=[FILTER_PARAM]))
class CampaignList(ReadOnlyResource):
    serializer_class = serializers.CampaignSerializer
    embedded_name = "osdi:campaigns"
    queryset = Campaign.objects.public()
    date_fields = {"created_date": "created_at", "modified_date": "updated_at"}


@extend_schema_view(list=extend_schema(parameters=[FILTER_PARAM]))
class PartnerList(ReadOnlyResource):
    serializer_class = serializers.PartnerSerializer
    embedded_name = "osdi:partners"
    queryset = Partner.objects.active().select_related("kind")


@extend_schema_view(list=extend_schema(parameters=[FILTER_PARAM]))
class PetitionList(ReadOnlyResource):
    """Sign actions of public campaigns; filter by campaign id."""

    serializer_class = serializers.PetitionSerializer
    embedded_name = "osdi:petitions"

    def get_queryset(self):
        petitions = petitions_for().select_related("campaign")
        if (pk := _id_param(self.request, "campaign")) is not None:
            petitions = petitions.filter(campaign_id=pk)
        return petitions


@extend_schema_view(list=extend_schema(parameters=[FILTER_PARAM]))
class PersonList(ReadOnlyResource):
    """The token's people: a group's members and its events' attendees (everyone, for a
    national token). Email and postcode only where the person agreed to be contacted."""

    required_scope = "people:read"
    serializer_class = serializers.PersonSerializer
    embedded_name = "osdi:people"
    date_fields = {"created_date": "date_joined"}

    def get_queryset(self):
        return people_for(token_of(self.request))

    def get_serializer(self, *args, **kwargs):
        if args:
            items = args[0] if kwargs.get("many") else [args[0]]
            kwargs["context"] = {
                **self.get_serializer_context(),
                "contactable": contactable_ids(token_of(self.request), [p.pk for p in items]),
            }
        return super().get_serializer(*args, **kwargs)


class EventScoped(ApiView):
    """Attendances of one event the token manages."""

    date_fields = {"created_date": "created_at", "modified_date": "updated_at"}

    def event(self):
        return get_object_or_404(
            managed_events_for(token_of(self.request)), pk=self.kwargs["event_id"]
        )


@extend_schema_view(list=extend_schema(parameters=[FILTER_PARAM]))
class AttendanceList(EventScoped, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """GET: the event's attendances (attendances:read). POST {"person_id": n}: give one of the
    token's people a place or a waitlist place (attendances:write), exactly as the RSVP
    button does: the same checks, counters, waitlist and email."""

    required_scope = {"GET": "attendances:read", "POST": "attendances:write"}
    # The event is checked (404 outside the token's reach) before the list or the write.
    serializer_class = serializers.AttendanceSerializer
    embedded_name = "osdi:attendances"

    def get_queryset(self):
        return RSVP.objects.filter(event=self.event(), user__isnull=False)

    @extend_schema(
        request=serializers.PersonReferenceSerializer, responses=serializers.AttendanceSerializer
    )
    def create(self, request, *args, **kwargs):
        event = self.event()
        body = serializers.PersonReferenceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        person = _person(request, body.validated_data["person_id"])
        existed = (
            RSVP.objects.filter(event=event, user=person)
            .exclude(status=RSVP.Status.CANCELLED)
            .exists()
        )
        try:
            rsvp = event_services.rsvp_to_event(event=event, user=person)
        except event_services.RSVPError as error:
            return Response(error_body(400, str(error)), status=400)
        data = self.get_serializer(rsvp).data
        return Response(data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


def _person(request, pk: int):
    person = people_for(token_of(request)).filter(pk=pk).first()
    if person is None:
        raise ValidationError({"person_id": ["No such person among this token's people."]})
    return person


class PetitionScoped(ApiView):
    date_fields = {"created_date": "created_at"}

    def petition(self):
        return get_object_or_404(
            managed_petitions_for(token_of(self.request)).select_related("campaign"),
            pk=self.kwargs["petition_id"],
        )

    def get_queryset(self):
        return self.petition().taken.filter(user__isnull=False)


@extend_schema_view(list=extend_schema(parameters=[FILTER_PARAM]))
class SignatureList(PetitionScoped, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """GET: the petition's signatures (signatures:read). POST {"person_id": n, "show_name":
    false}: sign for one of the token's people (signatures:write), through the same
    service as the Sign button."""

    required_scope = {"GET": "signatures:read", "POST": "signatures:write"}
    serializer_class = serializers.SignatureSerializer
    embedded_name = "osdi:signatures"

    @extend_schema(
        request=serializers.SignatureWriteSerializer, responses=serializers.SignatureSerializer
    )
    def create(self, request, *args, **kwargs):
        petition = self.petition()
        body = serializers.SignatureWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        person = _person(request, body.validated_data["person_id"])
        try:
            counted = campaign_services.take_action(
                action=petition, user=person, show_name=body.validated_data["show_name"]
            )
        except campaign_services.CampaignError as error:
            return Response(error_body(400, str(error)), status=400)
        signature = petition.taken.get(user=person)
        data = self.get_serializer(signature).data
        return Response(data, status=status.HTTP_201_CREATED if counted else status.HTTP_200_OK)


class Root(ApiView):
    """The entry point (OSDI's AEP): links to every collection."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def list(self, request):
        def link(name):
            return {"href": reverse(name, request=request)}

        return Response(
            {
                "motd": f"{settings.SITE_NAME}: OSDI-shaped API, version 1.",
                "vendor_name": settings.SITE_NAME,
                "product_name": "People Power portal",
                "osdi_version": "1.1",
                "_links": {
                    "self": link("api:root"),
                    "osdi:events": link("api:event-list"),
                    "osdi:petitions": link("api:petition-list"),
                    "osdi:people": link("api:person-list"),
                    "groups": link("api:group-list"),
                    "campaigns": link("api:campaign-list"),
                    "festivals": link("api:festival-list"),
                    "partners": link("api:partner-list"),
                    "docs": link("api:docs"),
                    "schema": link("api:schema"),
                },
            }
        )


@functools.cache
def _operations() -> list[dict]:
    """The schema's operations, for the docs page (the schema only changes with the code)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path_, methods in schema["paths"].items():
        for method, operation in methods.items():
            found.append(
                {
                    "method": method.upper(),
                    "path": path_,
                    "description": operation.get("description", ""),
                    "parameters": operation.get("parameters", []),
                    "body": "requestBody" in operation,
                    "token": any("apiToken" in s for s in operation.get("security", [])),
                }
            )
    return found


@require_GET
def docs(request):
    """Human-readable docs generated from the OpenAPI schema: a plain page of the site,
    readable without JavaScript."""
    return render(request, "api/docs.html", {"operations": _operations()})
