from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from . import services
from .models import DigestBatch, DigestRun, OutboxMessage, ReminderSchedule, User


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


@admin.register(ReminderSchedule)
class ReminderScheduleAdmin(admin.ModelAdmin):
    list_display = ["due_at", "kind", "event", "status", "recipients", "processed_at"]
    list_filter = ["status", "kind", "due_at"]
    date_hierarchy = "due_at"
    list_select_related = ["event"]
    readonly_fields = [f.name for f in ReminderSchedule._meta.fields]

    def has_add_permission(self, request):
        return False


class DigestBatchInline(admin.TabularInline):
    model = DigestBatch
    fields = ["number", "status", "queued", "dispatched_at", "queued_at", "done_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(DigestRun)
class DigestRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "period", "recipients", "planned_at"]
    list_filter = ["kind", "created_at"]
    readonly_fields = [f.name for f in DigestRun._meta.fields]
    inlines = [DigestBatchInline]

    def has_add_permission(self, request):
        return False
