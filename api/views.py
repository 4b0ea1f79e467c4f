"""The /api/v1/ views: thin, as elsewhere. Querysets come from permissions.py; writes go
through the events and campaigns services, the same as the web's."""

import functools

from django.conf import settings
from django.db import transaction
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import APIException, Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse

from campaigns import services as campaign_services
from campaigns.models import Action, Campaign
from events import services as event_services
from events.forms import CancelEventForm, EventForm
from events.models import RSVP, Event, Festival
from events.views import event_form_data
from groups.models import LocalGroup
from partners.models import Partner
from portal.models import OutboxMessage

from . import serializers
from .cache import public_read_wait
from .errors import error_body
from .filters import apply_date_filter
from .pagination import HalCursorPagination
from .permissions import (
    actions_for,
    contactable_ids,
    events_for,
    managed_actions_for,
    managed_events_for,
    people_for,
    token_of,
    writable_events_for,
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
        if request.auth is None and (wait := public_read_wait(request)) is not None:
            raise Throttled(wait=wait)

    def filter_queryset(self, queryset):
        return apply_date_filter(
            queryset, self.request.query_params.get("filter"), self.date_fields
        )

    def get_serializer(self, *args, **kwargs):
        if args:
            items = args[0] if kwargs.get("many") else [args[0]]
            kwargs["context"] = {**self.get_serializer_context(), **self.page_context(items)}
        return super().get_serializer(*args, **kwargs)

    def page_context(self, items) -> dict:
        """What the serializer needs to know about a whole page, fetched once per page."""
        return {}


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
    group, festival or campaign id. With events:write: POST creates an event (published
    unless "status": "draft"), PUT or PATCH changes, publishes or cancels one, through the
    same form and services as the group's leads use on the web."""

    required_scope = {method: "events:write" for method in ("POST", "PUT", "PATCH")}
    serializer_class = serializers.EventSerializer
    embedded_name = "osdi:events"
    date_fields = {"created_date": "created_at", "modified_date": "updated_at"}

    def get_queryset(self):
        events = events_for(self.request).select_related("venue", "group")
        for name in ("group", "festival", "campaign"):
            if (pk := _id_param(self.request, name)) is not None:
                events = events.filter(**{f"{name}_id": pk})
        return events

    @extend_schema(
        request=serializers.EventWriteSerializer, responses={201: serializers.EventSerializer}
    )
    def create(self, request, *args, **kwargs):
        token = token_of(request)
        maker = _maker(token)
        body = _event_body(request)
        group = _hosting_group(token, body.pop("group_id", None))
        status_ = body.pop("status", "confirmed")
        if status_ == "cancelled" or "cancel_reason" in body:
            raise ValidationError({"status": ["A new event is a draft or confirmed."]})
        form = _event_form(body, group=group)
        with transaction.atomic():
            event = event_services.create_event(group=group, by=maker, **event_form_data(form))
            if status_ == "confirmed":
                event_services.publish_event(event=event)
        return Response(self.get_serializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.EventWriteSerializer, responses=serializers.EventSerializer)
    def update(self, request, *args, **kwargs):
        token = token_of(request)
        maker = _maker(token)
        event = get_object_or_404(
            writable_events_for(token).select_related("group", "venue"), pk=kwargs["pk"]
        )
        body = _event_body(request)
        if "group_id" in body:
            raise ValidationError({"group_id": ["An event's group cannot be changed."]})
        status_, reason = body.pop("status", None), body.pop("cancel_reason", None)
        cancel = _check_status_change(event, status_, reason)
        form = _event_form(body, group=event.group, event=event) if body else None
        with transaction.atomic():
            if form is not None:
                event = event_services.update_event(event=event, by=maker, **event_form_data(form))
            if status_ == "confirmed":
                event_services.publish_event(event=event)
            elif cancel is not None:
                # The service claims the cancellation (a second one tells nobody again).
                event_services.cancel_event(event=event, reason=cancel)
        event = Event.objects.select_related("group", "venue").get(pk=event.pk)
        return Response(self.get_serializer(event).data)


def _event_body(request) -> dict:
    body = serializers.EventWriteSerializer(data=request.data, partial=True)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


def _maker(token):
    """Who the write is made as: the token's maker (ApiTokenAuthentication has checked that
    they still may: a group's lead, or staff)."""
    return token.created_by


def _hosting_group(token, group_id: int | None) -> LocalGroup:
    """A group's token writes its own group's events; a national token names the group."""
    if token.group_id is not None:
        if group_id not in (None, token.group_id):
            raise ValidationError({"group_id": ["This token writes its own group's events."]})
        return token.group
    if group_id is None:
        raise ValidationError({"group_id": ["Give the hosting group's id."]})
    group = LocalGroup.objects.active().filter(pk=group_id).first()
    if group is None:
        raise ValidationError({"group_id": ["No such active group."]})
    return group


def _event_form(body: dict, *, group: LocalGroup, event: Event | None = None) -> EventForm:
    """The web's event form, filled with the event's current values (a new event's
    defaults) and the body's on top, so a write passes exactly the web's checks. Its errors
    come back under the API's field names."""
    blank = EventForm(instance=event, group=group)
    data = {name: blank[name].value() for name in blank.fields if name != "image"}
    if event is not None:
        # The form shows times to the minute; the event's own keep an unchanged time
        # unchanged (a change of time emails everyone going).
        data.update(starts_at=event.starts_at, ends_at=event.ends_at)
    for name, value in body.items():
        data[serializers.EVENT_FORM_FIELDS[name]] = "" if value is None else value
    form = EventForm(data, {}, instance=event, group=group)
    if not form.is_valid():
        names = {form_name: name for name, form_name in serializers.EVENT_FORM_FIELDS.items()}
        raise ValidationError(
            {
                names.get(name, "non_field_errors" if name == "__all__" else name): errors
                for name, errors in form.errors.items()
            }
        )
    return form


def _check_status_change(event: Event, to: str | None, reason: str | None) -> str | None:
    """Refuse what the web would not do; the cancel reason (checked by the web's form) if
    the event is to be cancelled."""
    if reason is not None and to != "cancelled":
        raise ValidationError({"cancel_reason": ['Only with "status": "cancelled".']})
    if to == "draft" and event.status != Event.Status.DRAFT:
        raise ValidationError({"status": ["A published event cannot go back to being a draft."]})
    if to == "confirmed" and event.status == Event.Status.CANCELLED:
        raise ValidationError({"status": ["A cancelled event cannot be published again."]})
    if to != "cancelled" or event.status == Event.Status.CANCELLED:
        return None
    if event.ends_at <= timezone.now():
        raise ValidationError({"status": ["This event has finished, so it can't be cancelled."]})
    form = CancelEventForm({"reason": reason or ""})
    if not form.is_valid():
        raise ValidationError({"cancel_reason": form.errors["reason"]})
    return form.cleaned_data["reason"]


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

    action_kind = Action.Kind.SIGN

    def get_queryset(self):
        actions = actions_for(self.action_kind).select_related("campaign")
        if (pk := _id_param(self.request, "campaign")) is not None:
            actions = actions.filter(campaign_id=pk)
        return actions


@extend_schema_view(list=extend_schema(parameters=[FILTER_PARAM]))
class AdvocacyCampaignList(PetitionList):
    """Letter actions ("Write to the decision-maker") of public campaigns, with how many have
    written; filter by campaign id."""

    serializer_class = serializers.AdvocacyCampaignSerializer
    embedded_name = "osdi:advocacy_campaigns"
    action_kind = Action.Kind.WRITE


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

    def page_context(self, items) -> dict:
        return {"contactable": contactable_ids(token_of(self.request), [p.pk for p in items])}


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


class ActionScoped(ApiView):
    """Signatures or letters of one action the token manages."""

    date_fields = {"created_date": "created_at"}
    action_kind = Action.Kind.SIGN
    action_kwarg = "petition_id"

    def action_taken(self):
        return get_object_or_404(
            managed_actions_for(token_of(self.request), self.action_kind).select_related(
                "campaign"
            ),
            pk=self.kwargs[self.action_kwarg],
        )

    def get_queryset(self):
        return self.action_taken().taken.filter(user__isnull=False)


@extend_schema_view(list=extend_schema(parameters=[FILTER_PARAM]))
class SignatureList(ActionScoped, mixins.ListModelMixin, mixins.RetrieveModelMixin):
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
        petition = self.action_taken()
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


@extend_schema_view(list=extend_schema(parameters=[FILTER_PARAM]))
class OutreachList(ActionScoped, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """GET: the letters sent on one of the token's advocacy campaigns (outreaches:read): who
    wrote (a person link) and when; what they wrote only to a token that may contact them.
    Read-only: a letter goes out in the writer's name and words, so only they send it."""

    required_scope = "outreaches:read"
    serializer_class = serializers.OutreachSerializer
    embedded_name = "osdi:outreaches"
    action_kind = Action.Kind.WRITE
    action_kwarg = "advocacy_campaign_id"
    # A letter does not change once sent: its modified date is its created date.
    date_fields = {"created_date": "created_at", "modified_date": "created_at"}

    def get_queryset(self):
        return super().get_queryset().select_related("action__campaign")

    def page_context(self, items) -> dict:
        contactable = contactable_ids(token_of(self.request), [o.user_id for o in items])
        keys = {f"campaigns-letter:{o.action_id}:{o.user_id}": o.user_id for o in items}
        letters = OutboxMessage.objects.filter(
            dedupe_key__in=[key for key, user_id in keys.items() if user_id in contactable]
        ).values_list("dedupe_key", "subject", "body_text")
        return {
            "contactable": contactable,
            "letters": {keys[key]: (subject, text) for key, subject, text in letters},
        }


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
                    "osdi:advocacy_campaigns": link("api:advocacy_campaign-list"),
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
