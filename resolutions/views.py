"""Pages of resolutions and meetings, and what members, group leads and organisers do on
them. Every refusal shows the rule that refused it, with a 400."""

from django.conf import settings
from django.contrib import messages
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from groups.models import LocalGroup, Membership
from portal.permissions import verified_required
from portal.ratelimit import ratelimit

from . import services
from .forms import (
    BrowseForm,
    CoSponsorForm,
    DecisionForm,
    DraftForm,
    ProgressForm,
    ResolutionForm,
    ResultForm,
    SupportForm,
)
from .models import CoSponsor, LogEntry, Meeting, Resolution, Support
from .permissions import (
    is_organiser,
    leads_group,
    led_groups,
    resolution_for_group_lead,
    resolution_for_organiser,
    resolution_for_proposer,
    resolution_for_viewer,
)
from .slots import RESOLUTION_PAGE

PAGE_SIZE = 20
Status = Resolution.Status


def _upcoming_meetings():
    return list(
        Meeting.objects.filter(held_on__gte=timezone.localdate())
        .select_related("region")
        .order_by("held_on", "pk")
    )


def _search(resolutions, text: str):
    if settings.IS_POSTGRES:
        vector = SearchVector("title", weight="A", config="english") + SearchVector(
            "notes", "believes", "resolves", weight="B", config="english"
        )
        query = SearchQuery(text, config="english", search_type="websearch")
        return resolutions.annotate(_vector=vector).filter(_vector=query)
    for word in text.split():
        resolutions = resolutions.filter(Q(title__icontains=word) | Q(resolves__icontains=word))
    return resolutions


def resolution_list(request):
    form = BrowseForm(request.GET or None)
    resolutions = Resolution.objects.public().select_related("meeting__region", "group")
    if form.is_bound:
        form.is_valid()  # errors are shown; the valid fields still filter
        data = form.cleaned_data
        if q := data.get("q"):
            resolutions = _search(resolutions, q)
        if meeting := data.get("meeting"):
            resolutions = resolutions.filter(meeting=meeting)
        if status := data.get("status"):
            resolutions = resolutions.filter(status=status)
        if result := data.get("result"):
            resolutions = resolutions.filter(result=result)
    resolutions = resolutions.order_by("-meeting__held_on", "meeting_id", "status", "-pk")
    page = Paginator(resolutions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "resolutions/list.html",
        {"form": form, "page": page, "meetings": _upcoming_meetings()},
    )


def _detail(request, resolution: Resolution, *, status: int = 200, **forms):
    user = request.user
    meeting = resolution.meeting
    now = timezone.now()
    cosponsors = list(CoSponsor.objects.filter(resolution=resolution).select_related("group"))
    supports = list(
        Support.objects.filter(resolution=resolution).select_related("user").order_by("-pk")
    )
    my_support = None
    cosponsor_groups = LocalGroup.objects.none()
    if user.is_authenticated:
        my_support = next((s for s in supports if s.user_id == user.pk), None)
        taken = {c.group_id for c in cosponsors} | {resolution.group_id}
        cosponsor_groups = led_groups(user).exclude(pk__in=taken)
    gathering = resolution.status in services.GATHERING and meeting.is_open(now)
    # Said before anyone tries: only members of the region support a regional conference's.
    in_region = gathering and user.is_authenticated and services.in_region(user, meeting)
    organiser = is_organiser(user, meeting)
    context = {
        "resolution": resolution,
        "meeting": meeting,
        "cosponsors": cosponsors,
        "supports": supports,
        "my_support": my_support,
        "gathering": gathering,
        "in_region": in_region,
        "progress": list(resolution.progress_updates.all()),
        "composited": list(resolution.composited.all()),
        "log": list(LogEntry.objects.filter(resolution=resolution).select_related("by")),
        "is_proposer": user.is_authenticated and resolution.proposer_id == user.pk,
        "can_endorse": resolution.is_draft and leads_group(user, resolution.group_id),
        "is_organiser": organiser,
        "sections": RESOLUTION_PAGE.templates,
        "support_form": forms.get("support_form") or SupportForm(),
        "cosponsor_form": (
            forms.get("cosponsor_form") or CoSponsorForm(groups=cosponsor_groups)
            if cosponsor_groups.exists()
            else None
        ),
    }
    return render(request, "resolutions/detail.html", context, status=status)


def resolution_detail(request, pk):
    return _detail(request, resolution_for_viewer(request.user, pk))


def _refused(request, resolution: Resolution, error: Exception):
    messages.error(request, str(error))
    resolution.refresh_from_db()
    return _detail(request, resolution, status=400)


@verified_required
@require_http_methods(["GET", "POST"])
@ratelimit("resolution_drafts")
def draft(request):
    user = request.user
    meetings = Meeting.objects.filter(submission_deadline__gt=timezone.now()).order_by(
        "held_on", "pk"
    )
    groups = LocalGroup.objects.active().filter(
        pk__in=Membership.objects.current().filter(user=user).values("group_id")
    )
    initial = {}
    if slug := request.GET.get("meeting"):
        initial["meeting"] = meetings.filter(slug=slug[:150]).first()
    form = DraftForm(request.POST or None, meetings=meetings, groups=groups, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resolution = services.draft_resolution(
                meeting=data["meeting"],
                proposer=user,
                group=data["group"],
                title=data["title"],
                notes=data["notes"],
                believes=data["believes"],
                resolves=data["resolves"],
            )
        except services.ResolutionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "Your draft is saved. Only you and the leads of "
                f"{resolution.group.name} can see it until a lead endorses it.",
            )
            return redirect(resolution)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "resolutions/draft.html",
        {"form": form, "meetings": list(meetings.select_related("region")), "groups": groups},
        status=status,
    )


@verified_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    resolution = resolution_for_proposer(request.user, pk)
    if not resolution.is_draft:
        messages.error(
            request, "This resolution was endorsed by its group, so its text can no longer change."
        )
        return _detail(request, resolution, status=400)
    form = ResolutionForm(request.POST or None, instance=resolution)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_draft(
                resolution=resolution,
                by=request.user,
                title=data["title"],
                notes=data["notes"],
                believes=data["believes"],
                resolves=data["resolves"],
            )
        except services.ResolutionError as exc:
            return _refused(request, resolution, exc)
        messages.success(request, "Draft saved.")
        return redirect(resolution)
    return render(
        request,
        "resolutions/edit.html",
        {"form": form, "resolution": resolution, "meeting": resolution.meeting},
        status=400 if form.is_bound else 200,
    )


@verified_required
@require_POST
def endorse(request, pk):
    resolution = resolution_for_group_lead(request.user, pk)
    try:
        services.endorse(resolution=resolution, by=request.user)
    except services.ResolutionError as exc:
        return _refused(request, resolution, exc)
    messages.success(
        request,
        f"Endorsed for {resolution.group.name}: the resolution is public and open for support.",
    )
    return redirect(resolution)


@verified_required
@require_POST
def cosponsor(request, pk):
    resolution = resolution_for_viewer(request.user, pk)
    groups = led_groups(request.user)
    if resolution.is_draft or not groups.exists():
        raise PermissionDenied  # group leads co-sponsor, once the resolution is public
    # Any group the person leads may be chosen; the service says why an ineligible one can't.
    form = CoSponsorForm(request.POST, groups=groups)
    if not form.is_valid():
        messages.error(request, "Choose a group you lead.")
        return _detail(request, resolution, status=400)
    group = form.cleaned_data["group"]
    try:
        services.cosponsor(resolution=resolution, group=group, by=request.user)
    except services.ResolutionError as exc:
        return _refused(request, resolution, exc)
    messages.success(request, f"{group.name} now co-sponsors this resolution.")
    return redirect(resolution)


@verified_required
@require_POST
@ratelimit("resolution_supports")
def support(request, pk):
    resolution = resolution_for_viewer(request.user, pk)
    form = SupportForm(request.POST)
    if not form.is_valid():
        return _detail(request, resolution, status=400, support_form=form)
    try:
        services.support(
            resolution=resolution, user=request.user, comment=form.cleaned_data["comment"]
        )
    except services.ResolutionError as exc:
        return _refused(request, resolution, exc)
    messages.success(
        request,
        "Thank you: your support counts. You will hear the agenda decision and the result. "
        "You can withdraw it until the deadline.",
    )
    return redirect(resolution)


@verified_required
@require_POST
@ratelimit("resolution_supports")
def withdraw(request, pk):
    resolution = resolution_for_viewer(request.user, pk)
    try:
        services.withdraw_support(resolution=resolution, user=request.user)
    except services.ResolutionError as exc:
        return _refused(request, resolution, exc)
    messages.success(request, "Your support is withdrawn.")
    return redirect(resolution)


def _organiser_page(request, resolution, template: str, form, status: int = 200):
    return render(
        request,
        f"resolutions/{template}",
        {"resolution": resolution, "meeting": resolution.meeting, "form": form},
        status=status,
    )


@verified_required
@require_http_methods(["GET", "POST"])
def decide(request, pk):
    resolution = resolution_for_organiser(request.user, pk)
    others = (
        Resolution.objects.filter(
            meeting=resolution.meeting, status__in=[Status.SUBMITTED, Status.ACCEPTED]
        )
        .exclude(pk=resolution.pk)
        .order_by("title")
    )
    form = DecisionForm(request.POST or None, others=others)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.decide(
                resolution=resolution,
                by=request.user,
                decision=data["decision"],
                reason=data["reason"],
                into=data["into"],
            )
        except services.ResolutionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "Decision recorded: the proposer, sponsors and supporters are told."
            )
            return redirect(resolution)
    return _organiser_page(request, resolution, "decide.html", form, 400 if form.is_bound else 200)


@verified_required
@require_http_methods(["GET", "POST"])
def result(request, pk):
    resolution = resolution_for_organiser(request.user, pk)
    form = ResultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_result(resolution=resolution, by=request.user, **data)
        except services.ResolutionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Result recorded: everyone involved is told.")
            return redirect(resolution)
    return _organiser_page(request, resolution, "result.html", form, 400 if form.is_bound else 200)


@verified_required
@require_http_methods(["GET", "POST"])
def progress(request, pk):
    resolution = resolution_for_organiser(request.user, pk)
    form = ProgressForm(
        request.POST or None,
        initial={"responsible": resolution.responsible, "dated": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.post_progress(resolution=resolution, by=request.user, **form.cleaned_data)
        except services.ResolutionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Progress posted: everyone involved is told.")
            return redirect(resolution)
    return _organiser_page(
        request, resolution, "progress.html", form, 400 if form.is_bound else 200
    )


def _agenda(meeting: Meeting) -> list[Resolution]:
    agenda = list(
        meeting.resolutions.filter(status=Status.ACCEPTED)
        .select_related("group", "proposer")
        .prefetch_related("cosponsors__group", "composited")
        .order_by("agenda_position", "pk")
    )
    return agenda


def meeting_detail(request, slug):
    meeting = get_object_or_404(Meeting.objects.select_related("region"), slug=slug)
    others = list(
        meeting.resolutions.public()
        .exclude(status=Status.ACCEPTED)
        .select_related("group")
        .order_by("status", "-support_count", "pk")
    )
    return render(
        request,
        "resolutions/meeting.html",
        {
            "meeting": meeting,
            "agenda": _agenda(meeting),
            "others": others,
            "is_organiser": is_organiser(request.user, meeting),
            "can_draft": request.user.is_authenticated and meeting.is_open(),
        },
    )


def agenda_pack(request, slug):
    meeting = get_object_or_404(Meeting.objects.select_related("region"), slug=slug)
    return render(
        request, "resolutions/agenda_pack.html", {"meeting": meeting, "agenda": _agenda(meeting)}
    )
