"""Staff write cases here: the case, its urgent actions and their targets. The real name is
shown here and nowhere else."""

from django.contrib import admin
from django.utils import timezone

from .models import (
    AppealLetter,
    Case,
    CaseAdoption,
    CaseModerator,
    CaseUpdate,
    DeadlineReminder,
    OfflineTally,
    SolidarityBatch,
    SolidarityMessage,
    Target,
    Theme,
    UrgentAction,
)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class UrgentActionInline(admin.StackedInline):
    model = UrgentAction
    extra = 0
    fields = [
        "reference",
        "title",
        "issued_on",
        "deadline",
        "recommended_actions",
        "letter_template",
        "letter_count",
    ]
    readonly_fields = ["letter_count"]
    show_change_link = True


COUNTERS = [
    "letters_online",
    "letters_offline",
    "cards_offline",
    "messages_approved",
    "people_count",
    "groups_count",
]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = [
        "public_name",
        "real_name",
        "hide_real_name",
        "country",
        "status",
        "is_published",
        "letters_online",
        "letters_offline",
    ]
    list_filter = ["status", "is_published", "hide_real_name", "themes", "country"]
    # The real name is searchable here, by staff only; the public search never reads it.
    search_fields = ["public_name", "real_name", "country", "headline"]
    filter_horizontal = ["themes"]
    fieldsets = [
        (
            "Who",
            {
                "fields": ["real_name", "hide_real_name", "pseudonym", "slug", "country"],
                "description": (
                    "Tick “do not publish the real name” when naming the person could put "
                    "them or their family at risk: everything public then uses the "
                    "pseudonym, and the address (slug) and texts must not contain the name."
                ),
            },
        ),
        ("Story", {"fields": ["headline", "story", "risk", "themes"]}),
        (
            "Photo",
            {"fields": ["photo", "photo_consent", "photo_consent_note", "photo_alt"]},
        ),
        ("Status", {"fields": ["status", "is_published", "published_at"]}),
        ("Counts (kept by the portal)", {"fields": [*COUNTERS, "created_at", "updated_at"]}),
    ]
    # Counts are maintained by services; editing them by hand would break them.
    readonly_fields = [*COUNTERS, "published_at", "created_at", "updated_at"]
    inlines = [UrgentActionInline]

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            obj.status_changed_at = timezone.now()
        if obj.is_published and obj.published_at is None:
            obj.published_at = timezone.now()
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


class TargetInline(admin.StackedInline):
    model = Target
    extra = 1
    fields = ["name", "title", "salutation", "address", "email", "language", "position"]


@admin.register(UrgentAction)
class UrgentActionAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "case", "issued_on", "deadline", "letter_count"]
    list_filter = ["deadline"]
    search_fields = ["reference", "title", "case__public_name"]
    raw_id_fields = ["case"]
    list_select_related = ["case"]
    readonly_fields = ["letter_count"]
    inlines = [TargetInline]


@admin.register(AppealLetter)
class AppealLetterAdmin(admin.ModelAdmin):
    list_display = ["urgent_action", "target", "method", "status", "created_at", "counted_at"]
    list_filter = ["method", "status"]
    search_fields = ["urgent_action__reference"]
    raw_id_fields = ["urgent_action", "target", "user"]
    list_select_related = ["urgent_action", "target"]
    # What someone wrote is theirs: staff see that a letter exists, not its text.
    exclude = ["body"]


@admin.register(SolidarityMessage)
class SolidarityMessageAdmin(admin.ModelAdmin):
    list_display = ["case", "first_name", "status", "decided_by", "decided_at", "batch"]
    list_filter = ["status"]
    search_fields = ["case__public_name", "body"]
    raw_id_fields = ["case", "user", "decided_by", "batch"]
    list_select_related = ["case", "decided_by", "batch"]
    # Decisions are made in the moderation queue, where they are logged.
    readonly_fields = ["status", "decided_by", "decided_at", "decision_reason", "created_at"]


@admin.register(SolidarityBatch)
class SolidarityBatchAdmin(admin.ModelAdmin):
    list_display = ["case", "number", "created_by", "created_at"]
    raw_id_fields = ["case", "created_by"]
    list_select_related = ["case", "created_by"]


@admin.register(CaseModerator)
class CaseModeratorAdmin(admin.ModelAdmin):
    list_display = ["user", "granted_by", "granted_at", "note"]
    search_fields = ["user__email", "user__display_name"]
    raw_id_fields = ["user"]
    readonly_fields = ["granted_by", "granted_at"]
    list_select_related = ["user", "granted_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CaseAdoption)
class CaseAdoptionAdmin(admin.ModelAdmin):
    list_display = ["case", "group", "adopted_by", "adopted_at"]
    raw_id_fields = ["case", "group", "adopted_by"]
    list_select_related = ["case", "group"]
    readonly_fields = ["adopted_at"]


@admin.register(OfflineTally)
class OfflineTallyAdmin(admin.ModelAdmin):
    list_display = ["case", "group", "label", "letters", "cards", "recorded_at"]
    search_fields = ["label", "case__public_name", "group__name"]
    raw_id_fields = ["case", "group", "urgent_action", "recorded_by"]
    list_select_related = ["case", "group"]
    # Figures change through the report that gave them, so the case's totals stay right.
    readonly_fields = ["letters", "cards", "source_key", "recorded_at"]


@admin.register(CaseUpdate)
class CaseUpdateAdmin(admin.ModelAdmin):
    list_display = ["title", "case", "new_status", "notify", "published_at"]
    search_fields = ["title", "body", "case__public_name"]
    raw_id_fields = ["case", "author"]
    list_select_related = ["case"]

    def has_add_permission(self, request):
        # Updates are published from the case page, which changes the status and emails
        # everyone who acted; one added here would do neither.
        return False


@admin.register(DeadlineReminder)
class DeadlineReminderAdmin(admin.ModelAdmin):
    list_display = ["urgent_action", "group", "sent", "letters_now", "letters_last_time"]
    list_filter = ["sent"]
    raw_id_fields = ["urgent_action", "group"]
    list_select_related = ["urgent_action", "group"]
