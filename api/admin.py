from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from . import services, webhooks
from .models import ApiToken, Scope, WebhookDelivery, WebhookEvent, WebhookSubscription


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = ApiToken
        fields = ["name", "group", "scopes", "expires_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Staff make tokens here; the secret is shown once, in the message after saving."""

    form = ApiTokenForm
    list_display = ["name", "prefix", "group", "scope_list", "expires_at", "last_used_at", "state"]
    list_filter = ["group"]
    search_fields = ["name", "prefix", "group__name"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    autocomplete_fields = ["group"]
    actions = ["revoke"]

    @admin.display(description="scopes")
    def scope_list(self, token):
        return ", ".join(token.scopes)

    @admin.display(description="state")
    def state(self, token):
        if token.revoked_at:
            return "revoked"
        if token.expires_at and token.expires_at <= timezone.now():
            return "expired"
        return "active"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "group", "scopes", "expires_at"]
        return ["name", "prefix", "group", "scopes", "expires_at", *self.readonly_fields[1:]]

    def get_readonly_fields(self, request, obj=None):
        # A token's reach never changes after it is shown: make a new one instead.
        return [*self.readonly_fields, "group", "scopes"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        token, raw = services.create_token(
            name=obj.name,
            by=request.user,
            scopes=form.cleaned_data["scopes"],
            group=obj.group,
            expires_at=obj.expires_at,
        )
        obj.pk = token.pk
        obj.__dict__.update(ApiToken.objects.get(pk=token.pk).__dict__)
        messages.warning(
            request, f"The token, shown this once (copy it now; only its hash is kept): {raw}"
        )

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        done = sum(services.revoke_token(token=token) for token in queryset)
        messages.success(request, f"Revoked {done} token(s).")


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookSubscription
        fields = ["url", "group", "events", "is_active"]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ["url", "group", "is_active", "failures_in_a_row", "disabled_at", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "group__name"]
    autocomplete_fields = ["group"]
    readonly_fields = ["secret", "created_by", "created_at", "failures_in_a_row", "disabled_at"]

    def save_model(self, request, obj, form, change):
        if change:
            if obj.is_active and "is_active" in form.changed_data:
                obj.failures_in_a_row = 0
                obj.disabled_at = None
            super().save_model(request, obj, form, change)
            return
        made = webhooks.subscribe(
            url=obj.url, events=form.cleaned_data["events"], by=request.user, group=obj.group
        )
        obj.__dict__.update(WebhookSubscription.objects.get(pk=made.pk).__dict__)
        messages.warning(
            request, f"The signing secret (also on this subscription's page): {made.secret}"
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "subscription", "status", "attempts", "response_status", "created_at"]
    list_filter = ["status", "event"]
    list_select_related = ["subscription"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["replay"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Replay the selected deliveries")
    def replay(self, request, queryset):
        for delivery in queryset:
            webhooks.replay(delivery=delivery)
        messages.success(request, f"Queued {queryset.count()} delivery(ies) again.")
