from django.contrib import admin

from .models import CoSponsor, LogEntry, Meeting, ProgressUpdate, Resolution, Support


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "held_on", "submission_deadline")
    list_filter = ("kind", "region")
    prepopulated_fields = {"slug": ("name",)}


class CoSponsorInline(admin.TabularInline):
    model = CoSponsor
    extra = 0
    raw_id_fields = ("group", "by")


class ProgressInline(admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    raw_id_fields = ("author",)


class LogInline(admin.TabularInline):
    model = LogEntry
    extra = 0
    can_delete = False
    readonly_fields = ("action", "detail", "by", "at")


@admin.register(Resolution)
class ResolutionAdmin(admin.ModelAdmin):
    """Reading, mostly: every state change goes through the pages (and services.py) so that
    it is logged and announced."""

    list_display = ("title", "meeting", "group", "status", "group_count", "support_count")
    list_filter = ("status", "meeting")
    search_fields = ("title",)
    raw_id_fields = ("proposer", "group", "composited_into")
    readonly_fields = ("status", "group_count", "support_count", "result")
    inlines = [CoSponsorInline, ProgressInline, LogInline]


@admin.register(Support)
class SupportAdmin(admin.ModelAdmin):
    list_display = ("resolution", "user", "created_at")
    raw_id_fields = ("resolution", "user")
