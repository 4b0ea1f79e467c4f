from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from portal import maps
from portal.csvexport import csv_response
from portal.nearby import attach_distances, order_by_distance
from portal.permissions import verified_required

from . import coverage, geography, services
from .forms import AnnouncementForm, DirectoryForm, GroupProfileForm, MemberSearchForm
from .models import LocalGroup, Membership
from .permissions import group_for_lead
from .slots import GROUP_PAGE

PAGE_SIZE = 20
MEMBERS_PAGE_SIZE = 50


def _leads_prefetch() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.leads().select_related("user").order_by("joined_at"),
        to_attr="current_leads",
    )


def group_list(request):
    form = DirectoryForm(request.GET or None)
    groups = LocalGroup.objects.active().select_related("area")
    near = None
    if form.is_bound:
        form.is_valid()  # errors are shown; the fields that are valid still filter
        data = form.cleaned_data
        if q := data.get("q"):
            groups = groups.filter(Q(name__icontains=q) | Q(town__icontains=q))
        if area := data.get("area"):
            groups = groups.filter(area=area)
        if kind := data.get("kind"):
            groups = groups.filter(kind=kind)
        if near := data.get("postcode"):
            _outcode, lat, lon = near
            groups = order_by_distance(groups, lat=lat, lon=lon)
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    map_svg = ""
    if near:
        outcode, lat, lon = near
        attach_distances(page.object_list, lat=lat, lon=lon)
        # Ordered by distance, every group on the page has coordinates: marker n is card n.
        map_svg = maps.render(
            title=f"Map of the groups nearest to {outcode}",
            places=[geography.group_place(g) for g in page.object_list],
            here=maps.Place(lat, lon, f"You searched for {outcode}"),
        )
    return render(
        request,
        "groups/list.html",
        {"form": form, "page": page, "near": near[0] if near else None, "map_svg": map_svg},
    )


def group_detail(request, slug):
    group = get_object_or_404(
        LocalGroup.objects.select_related("area__region").prefetch_related(_leads_prefetch()),
        slug=slug,
    )
    membership = None
    if request.user.is_authenticated:
        membership = Membership.objects.current().filter(group=group, user=request.user).first()
    if not group.is_active and not (membership or request.user.is_staff):
        raise Http404
    announcements = group.announcements.all()[:5] if membership else []
    return render(
        request,
        "groups/detail.html",
        {
            "group": group,
            "leads": group.current_leads,
            "membership": membership,
            "is_lead": membership is not None and membership.role == Membership.Role.LEAD,
            "announcements": announcements,
            "sections": GROUP_PAGE.templates,
            "map_svg": geography.group_map(group),
        },
    )


@verified_required
@require_http_methods(["GET", "POST"])
def join(request, slug):
    group = get_object_or_404(LocalGroup.objects.active(), slug=slug)
    if request.method == "POST":
        services.join_group(group=group, user=request.user)
        messages.success(request, f"Welcome to {group.name}!")
        return redirect(group)
    return render(request, "groups/confirm_join.html", {"group": group})


@verified_required
@require_http_methods(["GET", "POST"])
def leave(request, slug):
    group = get_object_or_404(LocalGroup, slug=slug)
    if not Membership.objects.current().filter(group=group, user=request.user).exists():
        messages.info(request, "You are not a member of this group.")
        return redirect(group)
    if request.method == "POST":
        try:
            services.leave_group(group=group, user=request.user)
        except services.MembershipError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"You have left {group.name}.")
        return redirect(group)
    return render(request, "groups/confirm_leave.html", {"group": group})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    group = group_for_lead(request.user, slug)
    form = GroupProfileForm(request.POST or None, request.FILES or None, instance=group)
    if request.method == "POST" and form.is_valid():
        services.update_group_profile(group=group, fields=form.profile_fields())
        messages.success(request, "The group's profile is saved.")
        return redirect(group)
    return render(request, "groups/edit.html", {"group": group, "form": form})


def _member_rows(group: LocalGroup, query: str):
    members = (
        Membership.objects.current()
        .filter(group=group)
        .select_related("user")
        .order_by("-role", "user__display_name", "pk")
    )
    if query:
        members = members.filter(
            Q(user__display_name__icontains=query) | Q(user__email__icontains=query)
        )
    return members


@login_required
def members(request, slug):
    group = group_for_lead(request.user, slug)
    form = MemberSearchForm(request.GET or None)
    query = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    page = Paginator(_member_rows(group, query), MEMBERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "groups/members.html", {"group": group, "form": form, "page": page})


@login_required
def members_csv(request, slug):
    group = group_for_lead(request.user, slug)
    rows = (
        (m.user.public_name, m.user.email, m.get_role_display(), m.joined_at.date().isoformat())
        for m in _member_rows(group, "")
    )
    return csv_response(f"{group.slug}-members.csv", ["Name", "Email", "Role", "Joined"], rows)


def _membership_for_lead(request, slug, membership_id) -> tuple[LocalGroup, Membership]:
    group = group_for_lead(request.user, slug)
    membership = get_object_or_404(
        Membership.objects.current().select_related("user"), pk=membership_id, group=group
    )
    return group, membership


@login_required
@require_POST
def promote(request, slug, membership_id):
    group, membership = _membership_for_lead(request, slug, membership_id)
    services.promote_to_lead(group=group, membership=membership)
    messages.success(request, f"{membership.user.public_name} is now a co-lead.")
    return redirect("groups:members", slug=group.slug)


@login_required
@require_POST
def remove(request, slug, membership_id):
    group, membership = _membership_for_lead(request, slug, membership_id)
    try:
        services.remove_member(group=group, membership=membership, by=request.user)
    except services.MembershipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{membership.user.public_name} is no longer a member.")
    return redirect("groups:members", slug=group.slug)


@login_required
@require_POST
def trust_host(request, slug, membership_id):
    group, membership = _membership_for_lead(request, slug, membership_id)
    trusted = request.POST.get("trusted") == "1"
    services.set_trusted_host(membership=membership, trusted=trusted)
    name = membership.user.public_name
    if trusted:
        messages.success(request, f"{name} is a trusted host: their events publish at once.")
    else:
        messages.success(request, f"{name}'s event proposals now wait for a lead's approval.")
    return redirect("groups:members", slug=group.slug)


@login_required
@require_POST
def step_down(request, slug):
    group = group_for_lead(request.user, slug)
    try:
        services.step_down_as_lead(group=group, user=request.user)
    except services.MembershipError as exc:
        messages.error(request, str(exc))
        return redirect("groups:members", slug=group.slug)
    messages.success(request, "You have stepped down as a lead and remain a member.")
    return redirect(group)


@login_required
@require_http_methods(["GET", "POST"])
def announce(request, slug):
    group = group_for_lead(request.user, slug)
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.post_announcement(group=group, author=request.user, **form.cleaned_data)
        if form.cleaned_data["email_members"]:
            messages.success(
                request,
                "Posted on the group page and in members' My portal, and being emailed to "
                "the members who get group announcements.",
            )
        else:
            messages.success(
                request,
                "Posted on the group page and in members' My portal; it goes into their next "
                "digest. Nothing was emailed.",
            )
        return redirect(group)
    return render(request, "groups/announce.html", {"group": group, "form": form})


@login_required
def scope(request):
    if not (request.user.is_staff or request.user.has_regional_role):
        raise PermissionDenied
    groups = (
        coverage.covered_groups(request.user, roles=coverage.REVIEWERS)
        .select_related("area__region")
        .prefetch_related(_leads_prefetch())
    )
    page = Paginator(
        groups.order_by("area__region__name", "area__name", "name"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "groups/scope.html", {"page": page})
