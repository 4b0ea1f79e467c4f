from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from groups.models import LocalGroup, Membership
from portal.permissions import verified_required
from portal.ratelimit import count, too_many, who

from . import printing, services
from .files import CONTENT_TYPES
from .forms import BrowseForm, DecisionForm, FileForm, PrintForm, ResourceForm, VersionForm
from .models import FileVersion, Resource, ResourceFile, Subscription
from .permissions import (
    can_edit,
    can_review,
    can_submit,
    is_reviewer,
    lead_groups,
    resource_for_editor,
    resource_for_viewer,
    review_queue,
)

PAGE_SIZE = 20
# The events app lists a module's training events by shipping this template (it gets
# `module`); resources sits below events and does not import it.
MODULE_EVENTS_TEMPLATE = "events/_module_events.html"


def _posted(request):
    return request.POST if request.method == "POST" else None


def optional_template(name: str) -> str | None:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return None
    return name


# --- browsing -------------------------------------------------------------------------


def resource_list(request):
    form = BrowseForm(request.GET or None)
    resources = Resource.objects.published().prefetch_related("topics")
    if form.is_bound:
        form.is_valid()  # errors are shown; the valid fields still filter
        data = form.cleaned_data
        if q := data.get("q"):
            resources = resources.filter(
                Q(title__icontains=q) | Q(summary__icontains=q) | Q(body__icontains=q)
            )
        if kind := data.get("kind"):
            resources = resources.filter(kind=kind)
        if topic := data.get("topic"):
            resources = resources.filter(topics=topic)
        if campaign := data.get("campaign"):
            resources = resources.filter(campaigns=campaign)
        if language := data.get("language"):
            resources = resources.filter(language=language)
    page = Paginator(resources, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "resources/list.html",
        {"form": form, "page": page, "can_submit": can_submit(request.user)},
    )


def _files_with_versions(resource: Resource) -> list[ResourceFile]:
    files = list(
        resource.files.prefetch_related(
            Prefetch("versions", queryset=FileVersion.objects.order_by("-number"))
        )
    )
    for file in files:
        versions = list(file.versions.all())
        file.current, file.earlier = (versions[0] if versions else None), versions[1:]
    return files


def resource_detail(request, slug):
    resource = resource_for_viewer(
        request.user,
        slug,
        Resource.objects.select_related("group", "submitted_by").prefetch_related(
            "topics", "campaigns", "modules"
        ),
    )
    user = request.user
    subscribed = {"resource": False, "kind": False}
    if user.is_authenticated:
        for sub in Subscription.objects.filter(user=user).filter(
            Q(resource=resource) | Q(kind=resource.kind)
        ):
            subscribed["resource" if sub.resource_id else "kind"] = True
    return render(
        request,
        "resources/detail.html",
        {
            "resource": resource,
            "files": _files_with_versions(resource),
            "subscribed": subscribed,
            "can_edit": can_edit(user, resource),
            "can_review": resource.status == Resource.Status.PENDING and can_review(user, resource),
            "decision_form": DecisionForm(),
        },
    )


def download(request, slug, version_id):
    resource = resource_for_viewer(request.user, slug)
    version = get_object_or_404(
        FileVersion.objects.select_related("file"), pk=version_id, file__resource=resource
    )
    if request.method == "GET":
        services.count_download(version=version)
    response = FileResponse(
        version.upload.open("rb"),
        as_attachment=True,
        filename=version.filename,
        content_type=CONTENT_TYPES[version.format],
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- submitting and editing -----------------------------------------------------------


@verified_required
@require_http_methods(["GET", "POST"])
def resource_create(request):
    if not can_submit(request.user):
        raise PermissionDenied
    groups = lead_groups(request.user)
    form = ResourceForm(
        _posted(request),
        request.FILES or None,
        user=request.user,
        lead_groups=groups,
        initial={"kind": request.GET.get("kind"), "group": groups.first()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("upload")
        resource = services.create_resource(
            by=request.user,
            data=form.model_data(),
            topics=data["topics"],
            campaigns=data["campaigns"],
            group=data.get("group"),
            first_file=(data["file_title"], upload) if upload else None,
        )
        if resource.is_published:
            messages.success(request, "Published. Subscribers to this kind are being told.")
        else:
            messages.success(
                request,
                "Thank you: it is waiting for review by staff or your region's reps. "
                "We'll email you when it's decided; until then you can still edit it.",
            )
        return redirect(resource)
    return render(request, "resources/form.html", {"form": form, "resource": None})


@verified_required
@require_http_methods(["GET", "POST"])
def resource_edit(request, slug):
    resource = resource_for_editor(request.user, slug)
    form = ResourceForm(
        _posted(request),
        instance=resource,
        user=request.user,
        lead_groups=lead_groups(request.user),
    )
    if request.method == "POST" and form.is_valid():
        was_declined = resource.status == Resource.Status.DECLINED
        services.update_resource(
            resource=resource,
            data={**form.model_data(), "group": form.cleaned_data.get("group")},
            topics=form.cleaned_data["topics"],
            campaigns=form.cleaned_data["campaigns"],
        )
        messages.success(
            request, "Saved, and sent for review again." if was_declined else "Changes saved."
        )
        return redirect(resource)
    return render(request, "resources/form.html", {"form": form, "resource": resource})


@verified_required
@require_http_methods(["GET", "POST"])
def file_add(request, slug):
    resource = resource_for_editor(request.user, slug)
    form = FileForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.add_file(
            resource=resource,
            title=form.cleaned_data["title"],
            checked=form.cleaned_data["upload"],
            by=request.user,
        )
        messages.success(request, "File added.")
        return redirect(resource)
    return render(
        request,
        "resources/file_form.html",
        {"form": form, "resource": resource, "heading": f"Add a file to {resource.title}"},
    )


@verified_required
@require_http_methods(["GET", "POST"])
def version_add(request, slug, file_id):
    resource = resource_for_editor(request.user, slug)
    file = get_object_or_404(ResourceFile, pk=file_id, resource=resource)
    file.resource = resource
    form = VersionForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        version = services.add_version(
            file=file,
            checked=form.cleaned_data["upload"],
            by=request.user,
            note=form.cleaned_data["note"],
        )
        told = " Subscribers are being told." if resource.is_published else ""
        messages.success(
            request, f"Version {version.number} uploaded; earlier ones stay downloadable.{told}"
        )
        return redirect(resource)
    return render(
        request,
        "resources/file_form.html",
        {"form": form, "resource": resource, "heading": f"New version of {file.title}"},
    )


# --- review ---------------------------------------------------------------------------


@login_required
def review(request):
    if not is_reviewer(request.user):
        raise PermissionDenied
    queue = review_queue(request.user).select_related("group", "submitted_by")
    page = Paginator(queue.order_by("created_at", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "resources/review.html", {"page": page})


def _for_reviewer(request, slug) -> Resource:
    resource = resource_for_viewer(request.user, slug)
    if not can_review(request.user, resource):
        raise PermissionDenied
    return resource


@verified_required
@require_POST
def publish(request, slug):
    resource = _for_reviewer(request, slug)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.publish_resource(resource=resource, by=request.user, note=note)
    except services.ResourceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Published: the lead is told, and so are subscribers.")
    return redirect(resource)


@verified_required
@require_POST
def decline(request, slug):
    resource = _for_reviewer(request, slug)
    form = DecisionForm(request.POST)
    try:
        services.decline_resource(
            resource=resource,
            by=request.user,
            note=form.cleaned_data["note"] if form.is_valid() else "",
        )
    except services.ResourceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Declined: the lead is told why and can edit it and resend.")
    return redirect(resource)


# --- subscriptions --------------------------------------------------------------------


def _kind_or_404(kind: str) -> str:
    if kind not in Resource.Kind.values:
        raise Http404
    return kind


@verified_required
@require_POST
def subscribe(request, slug):
    resource = resource_for_viewer(request.user, slug)
    if services.subscribe(user=request.user, resource=resource):
        messages.success(request, "Subscribed: we'll email you when it has a new version.")
    return redirect(resource)


@verified_required
@require_POST
def unsubscribe(request, slug):
    resource = resource_for_viewer(request.user, slug)
    if services.unsubscribe(user=request.user, resource=resource):
        messages.success(request, "Unsubscribed from this resource.")
    # From the list of one's subscriptions, stay on that list.
    if request.POST.get("from") == "subscriptions":
        return redirect("resources:subscriptions")
    return redirect(resource)


@verified_required
@require_POST
def subscribe_kind(request, kind):
    kind = _kind_or_404(kind)
    label = Resource.Kind(kind).label.lower()
    if services.subscribe(user=request.user, kind=kind):
        messages.success(request, f"Subscribed: we'll email you about every new {label}.")
    return redirect("resources:subscriptions")


@verified_required
@require_POST
def unsubscribe_kind(request, kind):
    kind = _kind_or_404(kind)
    if services.unsubscribe(user=request.user, kind=kind):
        messages.success(request, f"Unsubscribed from new {Resource.Kind(kind).label.lower()}s.")
    return redirect("resources:subscriptions")


@login_required
def subscriptions(request):
    mine = list(
        Subscription.objects.filter(user=request.user)
        .select_related("resource")
        .order_by("kind", "resource__title")
    )
    kinds = {sub.kind for sub in mine if sub.kind}
    return render(
        request,
        "resources/subscriptions.html",
        {
            "resources": [sub.resource for sub in mine if sub.resource_id],
            "kinds": [(value, label, value in kinds) for value, label in Resource.Kind.choices],
        },
    )


# --- print ----------------------------------------------------------------------------


def _print_groups(user, named: str):
    """The groups offered on the print form: the person's own, and the one a group page's
    link names (a group's name and public events are public, so anyone may print them)."""
    wanted = Q(slug=named) if named else Q(pk__in=[])
    if user.is_authenticated:
        wanted |= Q(pk__in=Membership.objects.current().filter(user=user).values("group_id"))
    return LocalGroup.objects.active().filter(wanted)


def print_slogans(request, slug):
    resource = resource_for_viewer(request.user, slug)
    if resource.kind != Resource.Kind.SLOGANS or not resource.slogan_list:
        raise Http404
    groups = _print_groups(request.user, request.GET.get("group", ""))
    bound = request.GET if "format" in request.GET else None
    named = request.GET.get("group")
    initial = {"format": "a4-poster", "group": named or groups.first()}
    form = PrintForm(bound, resource=resource, groups=groups, initial=initial)
    context = {"form": form, "resource": resource, "available": printing.printing_available()}
    if not form.is_bound or not form.is_valid():
        return render(request, "resources/print.html", context)
    if not context["available"]:
        return render(request, "resources/print.html", context, status=503)
    data = form.cleaned_data
    usage = count(request, "resource_print", who(request))
    if usage["should_limit"]:
        return too_many(request, usage["time_left"])
    slogans = resource.slogan_list
    pdf = printing.slogan_pdf(
        resource=resource,
        fmt=data["format"],
        slogan=slogans[data["slogan"]] if data["slogan"] < len(slogans) else slogans[0],
        group=data.get("group"),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(f"{resource.title} {data['format']}")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
