from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from . import services
from .models import BulkBatch, BulkRun, OutboxMessage, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "postcode_district", "email_verified", "is_staff"]
    list_filter = ["is_staff", "is_active", "email_verified"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name", "postcode_district", "email_verified"]}),
        (
            "Emails",
            {
                "fields": [
                    "digest_frequency",
                    "campaign_digest_consent_at",
                    "event_reminders",
                    "lead_digest",
                    "rep_digest",
                ]
            },
        ),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["to", "subject", "dedupe_key"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Resend the selected failed messages")
    def resend(self, request, queryset):
        count = services.resend_outbox_messages(
            message_ids=list(queryset.values_list("pk", flat=True))
        )
        self.message_user(request, f"{count} failed message(s) queued again.", messages.SUCCESS)


class BulkBatchInline(admin.TabularInline):
    model = BulkBatch
    fields = ["number", "status", "queued", "dispatched_at", "queued_at", "done_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(BulkRun)
class BulkRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "key", "recipients", "planned_at"]
    list_filter = ["kind", "created_at"]
    readonly_fields = [f.name for f in BulkRun._meta.fields]
    inlines = [BulkBatchInline]

    def has_add_permission(self, request):
        return False
