from django import forms
from django.contrib import admin

from .images import process_logo
from .models import Partner, PartnerKind, Partnership, PartnershipChange, PartnerSuggestion
from .services import TRACKED_FIELDS, create_partnership, update_partnership


@admin.register(PartnerKind)
class PartnerKindAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class PartnerAdminForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = [
            "name",
            "slug",
            "kind",
            "description",
            "website",
            "contact_email",
            "contact_phone",
            "town",
            "postcode_district",
            "latitude",
            "longitude",
            "areas",
            "logo",
            "is_active",
        ]

    def clean_logo(self):
        # Same content checks and re-encoding as the portal's own form.
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            return process_logo(logo, name_stem=self.data.get("slug") or "logo")
        return logo


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    form = PartnerAdminForm
    list_display = ["name", "kind", "town", "postcode_district", "is_active"]
    list_filter = ["is_active", "kind", "areas"]
    search_fields = ["name", "slug", "town", "postcode_district", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["areas"]
    list_select_related = ["kind"]


class PartnershipChangeInline(admin.TabularInline):
    model = PartnershipChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "changed_by", "changes"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["group", "partner", "status", "since", "updated_at"]
    list_filter = ["status", "group__area__region", "group__area", "partner__kind"]
    search_fields = ["group__name", "partner__name", "contact_name", "contact_email"]
    list_select_related = ["group", "partner"]
    autocomplete_fields = ["partner"]
    raw_id_fields = ["group"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PartnershipChangeInline]

    def save_model(self, request, obj, form, change):
        # Through the services, so admin edits are recorded like everyone else's.
        fields = {name: getattr(obj, name) for name in TRACKED_FIELDS}
        if change:
            update_partnership(partnership=obj, by=request.user, **fields)
        else:
            created = create_partnership(
                group=obj.group, partner=obj.partner, by=request.user, **fields
            )
            obj.pk = created.pk


@admin.register(PartnershipChange)
class PartnershipChangeAdmin(admin.ModelAdmin):
    list_display = ["partnership", "changed_by", "changed_at"]
    list_filter = ["changed_at"]
    search_fields = ["partnership__group__name", "partnership__partner__name", "changed_by__email"]
    list_select_related = ["partnership__group", "partnership__partner", "changed_by"]
    readonly_fields = ["partnership", "changed_by", "changed_at", "changes"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PartnerSuggestion)
class PartnerSuggestionAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "kind", "status", "suggested_by", "created_at"]
    list_filter = ["status", "area__region", "area", "kind"]
    search_fields = ["name", "town", "reason", "suggested_by__email"]
    list_select_related = ["area", "kind", "suggested_by"]
    raw_id_fields = ["suggested_by", "decided_by", "group", "partner"]
