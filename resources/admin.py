from django.contrib import admin

from .models import (
    Completion,
    FileVersion,
    LearningRecordChoice,
    Module,
    Resource,
    ResourceFile,
    Subscription,
)


class ResourceFileInline(admin.TabularInline):
    model = ResourceFile
    extra = 0
    fields = ["title", "created_at"]
    readonly_fields = ["created_at"]
    show_change_link = True


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "language", "group", "updated_at", "download_count"]
    list_filter = ["status", "kind", "language", "licence", "topics"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics", "campaigns"]
    raw_id_fields = ["group", "submitted_by", "decided_by"]
    # Counted by the download view; editing it by hand would make it wrong.
    readonly_fields = ["download_count", "created_at"]
    inlines = [ResourceFileInline]
    date_hierarchy = "updated_at"


class FileVersionInline(admin.TabularInline):
    model = FileVersion
    extra = 0
    fields = ["number", "upload", "format", "size", "note", "uploaded_at", "download_count"]
    # New versions go through the portal's upload form, which checks the content.
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ResourceFile)
class ResourceFileAdmin(admin.ModelAdmin):
    list_display = ["title", "resource", "created_at"]
    search_fields = ["title", "resource__title"]
    raw_id_fields = ["resource"]
    inlines = [FileVersionInline]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "self_study", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["self_study", "is_active"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["resources"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "resource", "kind", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "resource"]


@admin.register(LearningRecordChoice)
class LearningRecordChoiceAdmin(admin.ModelAdmin):
    list_display = ["user", "keep_record", "visible_to_region", "asked_at", "decided_at"]
    list_filter = ["keep_record", "visible_to_region"]
    raw_id_fields = ["user"]
    # The person's own choice: staff may look, not decide for them.
    readonly_fields = ["keep_record", "visible_to_region", "asked_at", "decided_at"]


@admin.register(Completion)
class CompletionAdmin(admin.ModelAdmin):
    list_display = ["user", "module", "how", "completed_at"]
    list_filter = ["module", "how"]
    raw_id_fields = ["user"]
