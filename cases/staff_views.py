"""Staff's and moderators' pages: updates and status, the moderation queue, printable
batches of solidarity messages, the figures CSV. Cases themselves are written in the
Django admin (with their urgent actions and targets inline)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from portal.csvexport import csv_response

from . import services
from .forms import DecisionForm, StatusForm, UpdateForm
from .models import Case, SolidarityBatch, SolidarityMessage
from .permissions import case_for_moderator, case_for_staff, require_moderator

QUEUE_PAGE_SIZE = 25


@login_required
@require_http_methods(["GET", "POST"])
def post_update(request, slug):
    case = case_for_staff(request.user, slug)
    form = UpdateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_update(case=case, author=request.user, **form.cleaned_data)
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            told = " Everyone who acted will get it by email." if case.is_published else ""
            messages.success(request, f"Update published.{told}")
            return redirect(case)
    status = 400 if form.is_bound else 200
    return render(request, "cases/update_form.html", {"case": case, "form": form}, status=status)


@login_required
@require_POST
def change_status(request, slug):
    case = case_for_staff(request.user, slug)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a status.")
    elif services.change_status(case=case, to=form.cleaned_data["status"]):
        messages.success(request, f"The case is now: {case.get_status_display().lower()}.")
    else:
        messages.info(request, "The case already had that status.")
    return redirect(case)


@login_required
@require_POST
def publish(request, slug):
    case = case_for_staff(request.user, slug)
    published = request.POST.get("publish") == "1"
    if services.set_published(case=case, published=published):
        messages.success(request, "Published." if published else "Taken back to a draft.")
    return redirect(case)


@login_required
def figures_csv(request):
    if not request.user.is_staff:
        raise PermissionDenied
    cases = Case.objects.order_by("public_name").only(
        "public_name",
        "country",
        "status",
        "is_published",
        "letters_online",
        "letters_offline",
        "messages_approved",
        "cards_offline",
        "groups_count",
        "people_count",
    )
    rows = (
        [
            case.public_name,
            case.country,
            case.get_status_display(),
            "yes" if case.is_published else "no",
            case.letters_online,
            case.letters_offline,
            case.messages_approved,
            case.cards_offline,
            case.groups_count,
            case.people_count,
        ]
        for case in cases.iterator()
    )
    header = [
        "Case",
        "Country",
        "Status",
        "Published",
        "Letters online",
        "Letters offline",
        "Messages approved",
        "Cards offline",
        "Groups adopting",
        "People who acted",
    ]
    return csv_response(f"cases-{timezone.localdate():%Y-%m-%d}.csv", header, rows)


# --- moderation -----------------------------------------------------------------------


@login_required
def moderation_queue(request):
    require_moderator(request.user)
    pending = (
        SolidarityMessage.objects.filter(status=SolidarityMessage.Status.PENDING)
        .select_related("case")
        .order_by("created_at", "pk")
    )
    page = Paginator(pending, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/moderation.html", {"page": page})


@login_required
@require_POST
def moderate(request, pk):
    require_moderator(request.user)
    message = get_object_or_404(SolidarityMessage.objects.select_related("case"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("cases:moderation")
    if form.cleaned_data["decision"] == "approve":
        done = services.approve_message(message=message, by=request.user)
        outcome = "Approved: the writer is told."
    else:
        done = services.reject_message(
            message=message, by=request.user, reason=form.cleaned_data["reason"]
        )
        outcome = "Kept back, with your reason logged."
    if done:
        messages.success(request, outcome)
    else:
        messages.info(request, "Someone else has already decided on that message.")
    return redirect("cases:moderation")


# --- printable batches ----------------------------------------------------------------


@login_required
def batches(request, slug):
    case = case_for_moderator(request.user, slug)
    waiting = SolidarityMessage.objects.filter(
        case=case, status=SolidarityMessage.Status.APPROVED, batch__isnull=True
    ).count()
    return render(
        request,
        "cases/batches.html",
        {"case": case, "batches": case.solidarity_batches.all()[:50], "waiting": waiting},
    )


@login_required
@require_POST
def compile_batch(request, slug):
    case = case_for_moderator(request.user, slug)
    batch = services.compile_batch(case=case, by=request.user)
    if batch is None:
        messages.info(request, "No approved messages are waiting for a batch.")
        return redirect("cases:batches", slug=case.slug)
    return redirect("cases:batch_print", slug=case.slug, number=batch.number)


@login_required
def batch_print(request, slug, number):
    case = case_for_moderator(request.user, slug)
    batch = get_object_or_404(SolidarityBatch, case=case, number=number)
    return render(
        request,
        "cases/batch_print.html",
        {"case": case, "batch": batch, "messages_list": list(batch.messages.order_by("pk"))},
    )
