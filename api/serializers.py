"""OSDI-shaped representations (https://opensupporter.github.io/osdi-docs/, v1.1): the
field names OSDI has (identifiers, origin_system, created_date, modified_date, title,
start_date, end_date, location, capacity, total_accepted, browser_url, _links), ours
where OSDI has none. Every field here is public, except PersonSerializer's contact fields
and the attendance and signature serializers, which only scoped tokens reach."""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.models import Action, ActionTaken, Campaign
from events.models import RSVP, Event, Festival
from groups.models import LocalGroup
from partners.models import Partner
from portal.models import User

ORIGIN = "People Power"


def _href(request, name: str, *args) -> dict:
    return {"href": request.build_absolute_uri(reverse(name, args=args))}


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
        href = request.build_absolute_uri(reverse("api:event-list"))
        return {"osdi:events": {"href": f"{href}?group={obj.pk}"}}


def _location(town, postal_code, latitude, longitude, venue="", address="") -> dict:
    place = {"venue": venue, "address_lines": [address] if address else [], "locality": town}
    place["postal_code"] = postal_code
    place["country"] = "GB"
    if latitude is not None and longitude is not None:
        place["location"] = {"latitude": latitude, "longitude": longitude}
    return place


class EventSerializer(ModifiedMixin, OsdiSerializer):
    kind, detail_name, modified_field = "event", "event-detail", "updated_at"
    name = serializers.CharField(source="slug")
    start_date = serializers.DateTimeField(source="starts_at")
    end_date = serializers.DateTimeField(source="ends_at")
    status = serializers.SerializerMethodField()
    location = serializers.SerializerMethodField()
    total_accepted = serializers.IntegerField(source="confirmed_count")
    total_waitlisted = serializers.IntegerField(source="waitlist_count")
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
        # OSDI's statuses: confirmed, tentative, cancelled.
        return "cancelled" if obj.status == Event.Status.CANCELLED else "confirmed"

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
        href = self.context["request"].build_absolute_uri(reverse("api:event-list"))
        return {"osdi:events": {"href": f"{href}?festival={obj.pk}"}}


class CampaignSerializer(ModifiedMixin, OsdiSerializer):
    kind, detail_name, modified_field = "campaign", "campaign-detail", "updated_at"
    target = serializers.SerializerMethodField()

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
        href = self.context["request"].build_absolute_uri(reverse("api:petition-list"))
        return {"osdi:petitions": {"href": f"{href}?campaign={obj.pk}"}}


class PetitionSerializer(OsdiSerializer):
    kind, detail_name = "petition", "petition-detail"
    petition_text = serializers.CharField(source="statement")
    description = serializers.CharField(source="instructions")
    total_signatures = serializers.IntegerField(source="count")
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


class PersonReferenceSerializer(serializers.Serializer):
    """The body of a write: who attends or signs. Unknown fields are refused."""

    person_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)

    def validate(self, attrs):
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError(
                {name: ["Unknown field."] for name in sorted(unknown)}
            )
        return attrs


class SignatureWriteSerializer(PersonReferenceSerializer):
    show_name = serializers.BooleanField(default=False)
