from django.contrib import admin

from portal.images import PictureAdminForm

from .models import (
    Action,
    ActionTaken,
    Campaign,
    CampaignSupporter,
    CampaignUpdate,
    FundingRequest,
    FundingRequestEntry,
    Outcome,
    ShareArrival,
    Topic,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ActionInline(admin.StackedInline):
    model = Action
    extra = 0
    fields = ["kind", "title", "instructions", "statement", "goal_count", "deadline", "position"]


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0
    raw_id_fields = ["recorded_by"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = PictureAdminForm
    list_display = ["title", "scope", "status", "group", "region", "supporter_count", "created_at"]
    list_filter = ["status", "scope", "region", "topics", "target_kind", "is_featured"]
    search_fields = ["title", "slug", "summary", "target_name", "group__name"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics", "partners"]
    raw_id_fields = ["group", "proposed_by", "decided_by"]
    # Counts are maintained by services; editing them by hand would break them.
    readonly_fields = ["supporter_count", "created_at", "updated_at"]
    inlines = [ActionInline, OutcomeInline]
    date_hierarchy = "created_at"


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "kind", "count", "goal_count", "deadline"]
    list_filter = ["kind", "campaign__status"]
    search_fields = ["title", "campaign__title"]
    raw_id_fields = ["campaign"]
    readonly_fields = ["count"]


@admin.register(CampaignSupporter)
class CampaignSupporterAdmin(admin.ModelAdmin):
    list_display = ["campaign", "user", "created_at"]
    list_filter = ["campaign__scope"]
    search_fields = ["campaign__title", "user__display_name", "user__email"]
    raw_id_fields = ["campaign", "user"]
    list_select_related = ["campaign", "user"]


@admin.register(ActionTaken)
class ActionTakenAdmin(admin.ModelAdmin):
    list_display = ["action", "user", "show_name", "created_at"]
    list_filter = ["action__kind", "show_name"]
    search_fields = ["action__title", "action__campaign__title", "user__display_name"]
    raw_id_fields = ["action", "user"]
    list_select_related = ["action", "user"]


@admin.register(ShareArrival)
class ShareArrivalAdmin(admin.ModelAdmin):
    list_display = ["action", "sharer", "created_at"]
    list_filter = ["action__campaign"]
    search_fields = ["action__title", "sharer__display_name"]
    raw_id_fields = ["action", "sharer"]
    list_select_related = ["action", "sharer"]


@admin.register(CampaignUpdate)
class CampaignUpdateAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "author", "created_at"]
    list_filter = ["campaign__scope"]
    search_fields = ["title", "body", "campaign__title"]
    raw_id_fields = ["campaign", "author"]
    list_select_related = ["campaign", "author"]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["campaign", "date", "kind"]
    list_filter = ["kind"]
    search_fields = ["summary", "campaign__title"]
    raw_id_fields = ["campaign", "recorded_by"]
    list_select_related = ["campaign"]


class FundingRequestEntryInline(admin.TabularInline):
    model = FundingRequestEntry
    extra = 0
    raw_id_fields = ["actor"]


@admin.register(FundingRequest)
class FundingRequestAdmin(admin.ModelAdmin):
    list_display = ["campaign", "amount", "approved_amount", "needed_by", "status", "created_at"]
    list_filter = ["status", "campaign__group__area__region"]
    search_fields = ["campaign__title", "purpose", "campaign__group__name"]
    raw_id_fields = ["campaign", "requested_by"]
    list_select_related = ["campaign"]
    inlines = [FundingRequestEntryInline]


@admin.register(FundingRequestEntry)
class FundingRequestEntryAdmin(admin.ModelAdmin):
    list_display = ["request", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    search_fields = ["note", "request__campaign__title"]
    raw_id_fields = ["request", "actor"]
