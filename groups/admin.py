from django.contrib import admin

from portal.images import PictureAdminForm

from .models import Announcement, Area, LocalGroup, Membership, Region, RegionalRole


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "boundary_codes"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AreaInline]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "slug"]
    list_filter = ["region"]
    search_fields = ["name", "slug", "region__name"]
    list_select_related = ["region"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(LocalGroup)
class LocalGroupAdmin(admin.ModelAdmin):
    form = PictureAdminForm
    list_display = [
        "name",
        "town",
        "postcode_district",
        "area",
        "kind",
        "member_count",
        "is_active",
    ]
    list_filter = ["is_active", "kind", "area__region", "area"]
    search_fields = ["name", "slug", "town", "postcode_district"]
    list_select_related = ["area"]
    prepopulated_fields = {"slug": ["name"]}
    # Maintained by groups.services; editing it here would only make it wrong.
    readonly_fields = ["member_count", "created_at"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "role", "joined_at", "left_at"]
    list_filter = ["role", ("left_at", admin.EmptyFieldListFilter), "group__area__region"]
    search_fields = ["user__email", "user__display_name", "group__name"]
    list_select_related = ["user", "group"]
    autocomplete_fields = ["user", "group"]
    date_hierarchy = "joined_at"


@admin.register(RegionalRole)
class RegionalRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "region", "area", "created_at"]
    list_filter = ["region", "area"]
    search_fields = ["user__email", "user__display_name", "region__name", "area__name"]
    list_select_related = ["user", "region", "area"]
    autocomplete_fields = ["user"]


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "author", "created_at"]
    list_filter = ["group__area__region", "group"]
    search_fields = ["title", "body", "group__name"]
    list_select_related = ["group", "author"]
    raw_id_fields = ["author"]
    date_hierarchy = "created_at"
