"""Region pages, public: /regions/ and /regions/<slug>/ with the region's groups, its
areas, its team (without addresses: a contact form relays messages by email), and
sections other apps add (groups.slots.REGION_PAGE: upcoming events, active campaigns, the
regional noticeboard). Staff and the region's reps name the team's roles.

/regions/<slug>/<area>/ is the same for one area: its groups on the region's map, its reps
(names only) and groups.slots.AREA_PAGE (its groups' upcoming events and campaigns).

Neither is in the anonymous page cache (portal.pagecache.PAGE_SCOPES): they show the
newest rows on every request."""

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from portal.permissions import verified_required
from portal.ratelimit import ratelimit

from . import coverage, geography, services
from .forms import ContactForm, TeamRoleForm
from .models import Area, LocalGroup, Region, TeamRole
from .slots import AREA_PAGE, REGION_PAGE


def can_manage_team(user, region: Region) -> bool:
    return user.is_authenticated and (user.is_staff or coverage.is_region_rep(user, region.pk))


def region_list(request):
    regions = Region.objects.annotate(
        group_count=Count("areas__groups", filter=Q(areas__groups__is_active=True))
    ).order_by("name")
    return render(request, "groups/regions.html", {"regions": regions})


def region_detail(request, slug):
    region = get_object_or_404(Region, slug=slug)
    groups = list(LocalGroup.objects.active().filter(area__region=region).select_related("area"))
    team = list(region.team_roles.select_related("holder"))
    areas = list(region.areas.order_by("name"))
    user = request.user
    contact_form = ContactForm(region=region, initial=_contact_initial(user))
    map_svg, mapped, unmapped = geography.region_map(region, groups)
    return render(
        request,
        "groups/region.html",
        {
            "region": region,
            "groups": groups,
            "areas": areas,
            "map_svg": map_svg,
            "mapped_groups": mapped,
            "unmapped_groups": unmapped,
            "team": team,
            "can_manage_team": can_manage_team(user, region),
            "contact_form": contact_form if any(r.holder_id for r in team) else None,
            "sections": REGION_PAGE.templates,
        },
    )


def area_detail(request, slug, area):
    area = get_object_or_404(Area.objects.select_related("region"), region__slug=slug, slug=area)
    groups = list(LocalGroup.objects.active().filter(area=area).order_by("name"))
    for group in groups:
        group.area = area  # the map and its key read group.area
    reps = list(area.reps.select_related("user").order_by("user__display_name", "pk"))
    map_svg, mapped, unmapped = geography.region_map(area.region, groups, area=area)
    return render(
        request,
        "groups/area.html",
        {
            "area": area,
            "region": area.region,
            "groups": groups,
            "map_svg": map_svg,
            "mapped_groups": mapped,
            "unmapped_groups": unmapped,
            "reps": reps,
            "sections": AREA_PAGE.templates,
        },
    )


def _contact_initial(user) -> dict:
    if not user.is_authenticated:
        return {}
    return {"name": user.public_name, "email": user.email}


@require_POST
@ratelimit("region_contact", per="ip")
def region_contact(request, slug):
    region = get_object_or_404(Region, slug=slug)
    form = ContactForm(request.POST, region=region)
    if not form.is_valid():
        return render(
            request, "groups/region_contact.html", {"region": region, "form": form}, status=400
        )
    data = form.cleaned_data
    services.relay_contact(
        role=data["role"],
        name=data["name"],
        email=data["email"],
        message=data["message"],
        key=secrets.token_hex(8),
    )
    messages.success(
        request,
        f"Sent to the {data['role'].title}. They will reply to {data['email']}.",
    )
    return redirect(region)


@verified_required
@require_http_methods(["GET", "POST"])
def team_edit(request, slug):
    region = get_object_or_404(Region, slug=slug)
    if not can_manage_team(request.user, region):
        raise PermissionDenied
    form = TeamRoleForm(request.POST or None)
    if request.method == "POST" and "remove" in request.POST:
        role = get_object_or_404(TeamRole, region=region, pk=_int(request.POST["remove"]))
        services.remove_team_role(role=role)
        messages.success(request, f"{role.title} removed from the team.")
        return redirect("regions:team", slug=slug)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.name_team_role(
                region=region,
                title=form.cleaned_data["title"],
                holder=form.cleaned_data["holder_email"],
            )
        except IntegrityError:
            form.add_error("title", "This role already exists.")
        else:
            messages.success(request, f"Saved: {role.title}.")
            return redirect("regions:team", slug=slug)
    team = list(region.team_roles.select_related("holder"))
    return render(request, "groups/team_edit.html", {"region": region, "form": form, "team": team})


def _int(text: str) -> int:
    return int(text) if text.isdigit() and len(text) < 18 else 0
