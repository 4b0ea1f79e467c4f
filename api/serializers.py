"""OSDI-shaped representations (https://opensupporter.github.io/osdi-docs/, v1.1): the
field names OSDI has (identifiers, origin_system, created_date, modified_date, title,
start_date, end_date, location, capacity, total_accepted, browser_url, _links), ours
where OSDI has none. Every field here is public, except PersonSerializer's contact fields
and the attendance and signature serializers, which only scoped tokens reach."""

import functools

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.models import Action, ActionTaken, Campaign
from events.models import RSVP, Event, Festival
from groups.models import LocalGroup
from partners.models import Partner
from portal import pagecache
from portal.models import User

ORIGIN = "People Power"


# Stand-ins for ids, replaced in a reversed URL (none is a real id: the largest bigint).
_IDS = (9223372036854775807, 9223372036854775806)


class LiveCount(serializers.IntegerField):
    """A count that changes every second, as on the HTML pages a live counter
    (portal.pagecache): in a response built for the cache, a marker replaced by the
    counter's value, at most LIVE_COUNTER_SECONDS old, each time the response is served."""

    def __init__(self, counter: str, **kwargs):
        self.counter = counter
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        return instance.pk, super().get_attribute(instance)

    def to_representation(self, value):
        pk, count = value
        request = self.context.get("request")
        if request is not None and pagecache.is_live(request):
            return pagecache.live_marker(self.counter, pk, count)
        return int(count)


@functools.cache
def _path_format(name: str, arity: int) -> str:
    """The path of a URL name with {0}, {1} for its ids. Every item of a page has several
    links; resolving each through the whole URL map was half a list's time."""
    path = reverse(name, args=_IDS[:arity])
    for index, stand_in in enumerate(_IDS[:arity]):
        path = path.replace(str(stand_in), f"{{{index}}}")
    return path


def _href(request, name: str, *args) -> dict:
    return {"href": request.build_absolute_uri(_path_format(name, len(args)).format(*args))}


class OsdiSerializer(serializers.ModelSerializer):
    """identifiers, origin_system, browser_url and _links for every resource."""

    kind = ""  # the identifier's middle part, e.g. "event"
    detail_name = ""
    created_field = "created_at"
    modified_field = None

    identifiers = serializers.SerializerMethodField()
    origin_system = serializers.SerializerMethodField()
    created_date = serializers.SerializerMethodField()
    browser_url = serializers.SerializerMethodField()
    _links = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_identifiers(self, obj) -> list[str]:
        return [f"people_power:{self.kind}:{obj.pk}"]

    def get_origin_system(self, obj) -> str:
        return ORIGIN

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_created_date(self, obj):
        return serializers.DateTimeField().to_representation(getattr(obj, self.created_field))

    @extend_schema_field(OpenApiTypes.URI)
    def get_browser_url(self, obj) -> str | None:
        url = getattr(obj, "get_absolute_url", None)
        return f"{settings.SITE_URL}{url()}" if url else None

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get__links(self, obj) -> dict:
        request = self.context["request"]
        return {"self": _href(request, f"api:{self.detail_name}", obj.pk), **self.links(obj)}

    def links(self, obj) -> dict:
        return {}


class ModifiedMixin(serializers.Serializer):
    modified_date = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_modified_date(self, obj):
        return serializers.DateTimeField().to_representation(getattr(obj, self.modified_field))


class GroupSerializer(OsdiSerializer):
    kind, detail_name = "group", "group-detail"
    name = serializers.CharField()
    area = serializers.CharField(source="area.name")
    region = serializers.CharField(source="area.region.name")
    location = serializers.SerializerMethodField()
    member_count = LiveCount("group_members")

    class Meta:
        model = LocalGroup
        fields = [
            "identifiers", "origin_system", "created_date", "name", "kind", "description",
            "area", "region", "location", "meeting_note", "contact_email", "member_count",
            "is_active", "browser_url", "_links",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_location(self, obj) -> dict:
        return _location(obj.town, obj.postcode_district, obj.latitude, obj.longitude)

    def links(self, obj):
        request = self.context["request"]
        href = request.build_absolute_uri(_path_format("api:event-list", 0))
        return {"osdi:events": {"href": f"{href}?group={obj.pk}"}}


def _location(town, postal_code, latitude, longitude, venue="", address="") -> dict:
    place = {"venue": venue, "address_lines": [address] if address else [], "locality": town}
    place["postal_code"] = postal_code
    place["country"] = "GB"
    if latitude is not None and longitude is not None:
        place["location"] = {"latitude": latitude, "longitude": longitude}
    return place


EVENT_STATUSES = {Event.Status.CANCELLED: "cancelled", Event.Status.DRAFT: "draft"}


class EventSerializer(ModifiedMixin, OsdiSerializer):
    kind, detail_name, modified_field = "event", "event-detail", "updated_at"
    name = serializers.CharField(source="slug")
    start_date = serializers.DateTimeField(source="starts_at")
    end_date = serializers.DateTimeField(source="ends_at")
    status = serializers.SerializerMethodField()
    location = serializers.SerializerMethodField()
    total_accepted = LiveCount("event_confirmed", source="confirmed_count")
    total_waitlisted = LiveCount("event_waitlist", source="waitlist_count")
    group = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "identifiers", "origin_system", "created_date", "modified_date", "title",
            "name", "description", "start_date", "end_date", "status", "kind", "mode",
            "visibility", "location", "capacity", "total_accepted", "total_waitlisted",
            "group", "browser_url", "_links",
        ]  # fmt: skip

    def get_status(self, obj) -> str:
        # OSDI's statuses: confirmed, tentative, cancelled; and ours, draft, which only an
        # events:write token sees (in the answer to its own write).
        return EVENT_STATUSES.get(obj.status, "confirmed")

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_location(self, obj) -> dict | None:
        venue = obj.venue
        if venue is None:
            return None
        return _location(
            venue.town,
            venue.postcode_district,
            venue.latitude,
            venue.longitude,
            venue=venue.name,
            address=venue.address,
        )

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_group(self, obj) -> dict:
        return {
            "name": obj.group.name,
            **_href(self.context["request"], "api:group-detail", obj.group_id),
        }

    def links(self, obj):
        request = self.context["request"]
        return {
            "osdi:attendances": _href(request, "api:attendance-list", obj.pk),
            "group": _href(request, "api:group-detail", obj.group_id),
        }


class FestivalSerializer(OsdiSerializer):
    kind, detail_name = "festival", "festival-detail"
    title = serializers.CharField(source="name")
    start_date = serializers.DateField(source="starts_on")
    end_date = serializers.DateField(source="ends_on")

    class Meta:
        model = Festival
        fields = [
            "identifiers", "origin_system", "created_date", "title", "description",
            "start_date", "end_date", "browser_url", "_links",
        ]  # fmt: skip

    def links(self, obj):
        href = self.context["request"].build_absolute_uri(_path_format("api:event-list", 0))
        return {"osdi:events": {"href": f"{href}?festival={obj.pk}"}}


class CampaignSerializer(ModifiedMixin, OsdiSerializer):
    kind, detail_name, modified_field = "campaign", "campaign-detail", "updated_at"
    target = serializers.SerializerMethodField()
    supporter_count = LiveCount("campaign_supporters")

    class Meta:
        model = Campaign
        fields = [
            "identifiers", "origin_system", "created_date", "modified_date", "title",
            "summary", "body", "scope", "status", "goal", "target", "starts_on", "ends_on",
            "supporter_count", "browser_url", "_links",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_target(self, obj) -> dict:
        return {"name": obj.target_name, "kind": obj.target_kind}

    def links(self, obj):
        href = self.context["request"].build_absolute_uri(_path_format("api:petition-list", 0))
        return {"osdi:petitions": {"href": f"{href}?campaign={obj.pk}"}}


class PetitionSerializer(OsdiSerializer):
    kind, detail_name = "petition", "petition-detail"
    petition_text = serializers.CharField(source="statement")
    description = serializers.CharField(source="instructions")
    total_signatures = LiveCount("action", source="count")
    target = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "identifiers", "origin_system", "created_date", "title", "description",
            "petition_text", "target", "goal_count", "deadline", "total_signatures",
            "browser_url", "_links",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_target(self, obj) -> list[dict]:
        return [{"name": obj.campaign.target_name}]

    def get_browser_url(self, obj) -> str:
        return f"{settings.SITE_URL}{obj.campaign.get_absolute_url()}"

    def links(self, obj):
        request = self.context["request"]
        return {
            "osdi:signatures": _href(request, "api:signature-list", obj.pk),
            "campaign": _href(request, "api:campaign-detail", obj.campaign_id),
        }


def _targets(campaign: Campaign) -> list[dict]:
    return [{"name": campaign.target_name, "kind": campaign.target_kind}]


class AdvocacyCampaignSerializer(OsdiSerializer):
    """A "Write to the decision-maker" action: the letter people start from, the
    decision-maker it goes to, and how many have written (an aggregate kept on the row)."""

    kind, detail_name = "advocacy_campaign", "advocacy_campaign-detail"
    description = serializers.CharField(source="instructions")
    type = serializers.SerializerMethodField()
    targets = serializers.SerializerMethodField()
    suggested_letter = serializers.SerializerMethodField()
    total_outreaches = LiveCount("action", source="count")

    class Meta:
        model = Action
        fields = [
            "identifiers", "origin_system", "created_date", "title", "description", "type",
            "targets", "suggested_letter", "goal_count", "deadline", "total_outreaches",
            "browser_url", "_links",
        ]  # fmt: skip

    def get_type(self, obj) -> str:
        return "email"

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_targets(self, obj) -> list[dict]:
        return _targets(obj.campaign)

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_suggested_letter(self, obj) -> dict:
        return obj.suggested_letter()

    def links(self, obj):
        request = self.context["request"]
        return {
            "osdi:outreaches": _href(request, "api:outreach-list", obj.pk),
            "campaign": _href(request, "api:campaign-detail", obj.campaign_id),
        }


class PartnerSerializer(OsdiSerializer):
    kind, detail_name = "partner", "partner-detail"
    partner_kind = serializers.CharField(source="kind.name")
    location = serializers.SerializerMethodField()

    class Meta:
        model = Partner
        fields = [
            "identifiers", "origin_system", "created_date", "name", "partner_kind",
            "description", "website", "contact_email", "contact_phone", "location",
            "browser_url", "_links",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_location(self, obj) -> dict:
        return _location(obj.town, obj.postcode_district, obj.latitude, obj.longitude)


class PersonSerializer(OsdiSerializer):
    """email_addresses and postal_addresses only for people the token may contact
    (permissions.contactable_ids, given in the context)."""

    kind, detail_name, created_field = "person", "person-detail", "date_joined"
    given_name = serializers.CharField(source="public_name")
    email_addresses = serializers.SerializerMethodField()
    postal_addresses = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "identifiers", "origin_system", "created_date", "given_name",
            "email_addresses", "postal_addresses", "_links",
        ]  # fmt: skip

    def get_browser_url(self, obj):
        return None

    def _contactable(self, obj) -> bool:
        return obj.pk in self.context["contactable"]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_email_addresses(self, obj) -> list[dict]:
        if not self._contactable(obj):
            return []
        return [{"address": obj.email, "primary": True}]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_postal_addresses(self, obj) -> list[dict]:
        if not self._contactable(obj) or not obj.postcode_district:
            return []
        return [{"postal_code": obj.postcode_district, "country": "GB", "primary": True}]


class AttendanceSerializer(ModifiedMixin, OsdiSerializer):
    kind, detail_name, modified_field = "attendance", "attendance-detail", "updated_at"
    status = serializers.SerializerMethodField()
    attended = serializers.SerializerMethodField()

    class Meta:
        model = RSVP
        fields = [
            "identifiers", "origin_system", "created_date", "modified_date", "status",
            "attended", "_links",
        ]  # fmt: skip

    # OSDI's attendance statuses; a waitlist place is "tentative".
    STATUSES = {
        RSVP.Status.CONFIRMED: "accepted",
        RSVP.Status.WAITLISTED: "tentative",
        RSVP.Status.CANCELLED: "declined",
    }

    def get_status(self, obj) -> str:
        return self.STATUSES[obj.status]

    def get_attended(self, obj) -> bool:
        return obj.checked_in_at is not None

    def get_browser_url(self, obj):
        return None

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get__links(self, obj) -> dict:
        request = self.context["request"]
        return {
            "self": _href(request, "api:attendance-detail", obj.event_id, obj.pk),
            "osdi:event": _href(request, "api:event-detail", obj.event_id),
            "osdi:person": _href(request, "api:person-detail", obj.user_id),
        }


class SignatureSerializer(OsdiSerializer):
    kind, detail_name = "signature", "signature-detail"

    class Meta:
        model = ActionTaken
        fields = ["identifiers", "origin_system", "created_date", "_links"]

    def get_browser_url(self, obj):
        return None

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get__links(self, obj) -> dict:
        request = self.context["request"]
        return {
            "self": _href(request, "api:signature-detail", obj.action_id, obj.pk),
            "osdi:petition": _href(request, "api:petition-detail", obj.action_id),
            "osdi:person": _href(request, "api:person-detail", obj.user_id),
        }


class OutreachSerializer(ModifiedMixin, OsdiSerializer):
    """One letter sent. Its subject and message are the words the person wrote, kept only in
    the email we sent for them (none when they sent it from their own mail program, or
    once they erased their data); they go only to a token that may contact the person
    (permissions.contactable_ids), as their email address does. Context: "contactable" and
    "letters" ({user id: (subject, message)})."""

    kind, detail_name, modified_field = "outreach", "outreach-detail", "created_at"
    type = serializers.SerializerMethodField()
    subject = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField()
    targets = serializers.SerializerMethodField()

    class Meta:
        model = ActionTaken
        fields = [
            "identifiers", "origin_system", "created_date", "modified_date", "type",
            "subject", "message", "targets", "_links",
        ]  # fmt: skip

    def get_browser_url(self, obj):
        return None

    def get_type(self, obj) -> str:
        return "email"

    def _letter(self, obj) -> tuple[str, str] | tuple[None, None]:
        if obj.user_id not in self.context["contactable"]:
            return None, None
        return self.context["letters"].get(obj.user_id, (None, None))

    def get_subject(self, obj) -> str | None:
        return self._letter(obj)[0]

    def get_message(self, obj) -> str | None:
        return self._letter(obj)[1]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_targets(self, obj) -> list[dict]:
        return _targets(obj.action.campaign)

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get__links(self, obj) -> dict:
        request = self.context["request"]
        return {
            "self": _href(request, "api:outreach-detail", obj.action_id, obj.pk),
            "osdi:advocacy_campaign": _href(request, "api:advocacy_campaign-detail", obj.action_id),
            "osdi:person": _href(request, "api:person-detail", obj.user_id),
        }


class StrictSerializer(serializers.Serializer):
    """The body of a write. Unknown fields are refused (a typo must not be ignored)."""

    def validate(self, attrs):
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError(
                {name: ["Unknown field."] for name in sorted(unknown)}
            )
        return attrs


ID = {"min_value": 1, "max_value": 2**63 - 1}


class PersonReferenceSerializer(StrictSerializer):
    """Who attends or signs."""

    person_id = serializers.IntegerField(**ID)


class SignatureWriteSerializer(PersonReferenceSerializer):
    show_name = serializers.BooleanField(default=False)


class EventWriteSerializer(StrictSerializer):
    """The body of an event write: types only. What makes an event valid (times, a venue for
    an event in person, a link for one online, the group's own campaigns and festivals) is
    the web form's to check, so the API and the web agree (api.views.EventList)."""

    group_id = serializers.IntegerField(
        **ID, help_text="Only for a national token creating an event: the hosting group."
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, max_length=20000)
    kind = serializers.ChoiceField(Event.Kind.choices)
    start_date = serializers.DateTimeField()
    end_date = serializers.DateTimeField()
    mode = serializers.ChoiceField(Event.Mode.choices)
    venue_id = serializers.IntegerField(**ID, allow_null=True)
    online_url = serializers.CharField(allow_blank=True, max_length=200)
    capacity = serializers.IntegerField(min_value=1, max_value=2**31 - 1, allow_null=True)
    visibility = serializers.ChoiceField(Event.Visibility.choices)
    campaign_id = serializers.IntegerField(**ID, allow_null=True)
    festival_id = serializers.IntegerField(**ID, allow_null=True)
    organiser_name = serializers.CharField(allow_blank=True, max_length=200)
    organiser_url = serializers.CharField(allow_blank=True, max_length=200)
    tell_partners = serializers.BooleanField()
    partner_ids = serializers.ListField(
        child=serializers.IntegerField(**ID),
        max_length=50,
        help_text="Co-hosting partners, the whole list ([] for none): partners the group has "
        "an active partnership with.",
    )
    cohost_group_ids = serializers.ListField(
        child=serializers.IntegerField(**ID),
        max_length=50,
        help_text="Groups invited to co-host, the whole list ([] for none): active groups "
        "other than the host; each is invited and shows as a co-host once one of its leads "
        "accepts.",
    )
    status = serializers.ChoiceField(
        ["draft", "confirmed", "cancelled"],
        help_text="confirmed publishes a draft; cancelled (with cancel_reason) cancels it.",
    )
    cancel_reason = serializers.CharField(max_length=1000)


# API name -> the web form's field name, both ways (the form's errors name its fields).
EVENT_FORM_FIELDS = {
    "title": "title",
    "description": "description",
    "kind": "kind",
    "start_date": "starts_at",
    "end_date": "ends_at",
    "mode": "mode",
    "venue_id": "venue",
    "online_url": "online_url",
    "capacity": "capacity",
    "visibility": "visibility",
    "campaign_id": "campaign",
    "festival_id": "festival",
    "organiser_name": "organiser_name",
    "organiser_url": "organiser_url",
    "tell_partners": "tell_partners",
    "partner_ids": "partners",
    "cohost_group_ids": "cohost_groups",
}
