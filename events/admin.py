from django.contrib import admin

from portal.images import PictureAdminForm

from .models import (
    RSVP,
    CalendarFeedToken,
    Event,
    EventReport,
    Festival,
    ReminderSchedule,
    Venue,
)


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "postcode_district", "step_free", "capacity"]
    list_filter = ["town", "step_free", "hearing_loop", "accessible_toilet", "quiet_room"]
    search_fields = ["name", "town", "postcode_district"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Festival)
class FestivalAdmin(admin.ModelAdmin):
    form = PictureAdminForm
    list_display = ["name", "starts_on", "ends_on", "status"]
    list_filter = ["status"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["host_groups", "partners"]


class RSVPInline(admin.TabularInline):
    model = RSVP
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "status", "created_at", "waitlisted_at", "checked_in_at"]
    readonly_fields = ["created_at", "waitlisted_at"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = PictureAdminForm
    list_display = [
        "title",
        "starts_at",
        "group",
        "kind",
        "status",
        "visibility",
        "confirmed_count",
        "waitlist_count",
    ]
    list_filter = ["status", "visibility", "kind", "mode", "festival"]
    search_fields = ["title", "group__name"]
    date_hierarchy = "starts_at"
    list_select_related = ["group"]
    raw_id_fields = ["venue", "group", "campaign", "festival", "created_by"]
    filter_horizontal = ["partners", "cohost_groups"]
    readonly_fields = ["uid", "sequence", "confirmed_count", "waitlist_count"]
    inlines = [RSVPInline]


@admin.register(RSVP)
class RSVPAdmin(admin.ModelAdmin):
    list_display = ["event", "user", "status", "created_at", "checked_in_at"]
    list_filter = ["status"]
    list_select_related = ["event", "user"]
    search_fields = ["event__title", "user__email", "user__display_name"]
    raw_id_fields = ["event", "user"]


@admin.register(EventReport)
class EventReportAdmin(admin.ModelAdmin):
    list_display = ["event", "attendance", "new_contacts", "filed_by", "filed_at"]
    list_select_related = ["event", "filed_by"]
    search_fields = ["event__title"]
    raw_id_fields = ["event", "filed_by"]
    filter_horizontal = ["partners_involved"]


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    raw_id_fields = ["user"]
    search_fields = ["user__email"]
    # The token is a credential: staff can reset it (delete the row) but not read it.
    exclude = ["token"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(ReminderSchedule)
class ReminderScheduleAdmin(admin.ModelAdmin):
    list_display = ["due_at", "kind", "event", "status", "recipients", "processed_at"]
    list_filter = ["status", "kind", "due_at"]
    date_hierarchy = "due_at"
    list_select_related = ["event"]
    readonly_fields = [f.name for f in ReminderSchedule._meta.fields]

    def has_add_permission(self, request):
        return False
