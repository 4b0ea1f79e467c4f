"""Public pages of cases and what members do on them: write letters, send solidarity
messages, adopt a case for their group. Staff and moderators' pages: staff_views.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from portal.permissions import verified_required
from portal.ratelimit import count as ratelimit_count
from portal.ratelimit import ratelimit

from . import services
from .forms import AdoptForm, BrowseForm, LetterForm, MessageForm
from .models import AppealLetter, Case, CaseAdoption, SolidarityMessage, Target
from .permissions import (
    case_for_viewer,
    is_moderator,
    led_groups,
    letter_for_writer,
    urgent_action_for_viewer,
)
from .slots import CASE_PAGE

PAGE_SIZE = 12


# --- browsing -------------------------------------------------------------------------


def case_list(request):
    visible = Case.objects.all() if request.user.is_staff else Case.objects.published()
    countries = list(visible.order_by("country").values_list("country", flat=True).distinct())
    form = BrowseForm(request.GET or None, countries=countries)
    cases = visible.prefetch_related("themes")
    if form.is_bound:
        form.is_valid()  # errors are shown; the valid fields still filter
        data = form.cleaned_data
        if q := data.get("q"):
            # Never the real name: a search must not confirm who a pseudonym stands for.
            cases = cases.filter(
                Q(public_name__icontains=q) | Q(headline__icontains=q) | Q(country__icontains=q)
            )
        if country := data.get("country"):
            cases = cases.filter(country=country)
        if status := data.get("status"):
            cases = cases.filter(status=status)
        if theme := data.get("theme"):
            cases = cases.filter(themes=theme)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/list.html",
        {"form": form, "page": page, "is_moderator": is_moderator(request.user)},
    )


def case_detail(request, slug):
    case = case_for_viewer(request.user, slug)
    user = request.user
    urgent_actions = []
    if not case.actions_hidden:
        urgent_actions = list(case.urgent_actions.prefetch_related("targets"))
        for urgent_action in urgent_actions:
            urgent_action.case = case
    adoptions = list(CaseAdoption.objects.filter(case=case).select_related("group"))
    my_letters: set[int] = set()
    my_message = None
    adopt_groups = unadopt_groups = []
    if user.is_authenticated:
        my_letters = set(
            AppealLetter.objects.filter(
                urgent_action__case=case,
                user=user,
                status__in=[AppealLetter.Status.SENT, AppealLetter.Status.POSTED],
            ).values_list("target_id", flat=True)
        )
        my_message = SolidarityMessage.objects.filter(case=case, user=user).first()
        groups = list(led_groups(user))
        adopted_ids = {adoption.group_id for adoption in adoptions}
        adopt_groups = [g for g in groups if g.pk not in adopted_ids]
        unadopt_groups = [g for g in groups if g.pk in adopted_ids]
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "themes": list(case.themes.all()),
            "urgent_actions": urgent_actions,
            "updates": list(case.updates.all()[:20]),
            "adoptions": adoptions,
            "my_letters": my_letters,
            "my_message": my_message,
            "adopt_groups": adopt_groups,
            "unadopt_groups": unadopt_groups,
            "is_staff": user.is_staff,
            "is_moderator": is_moderator(user),
            "sections": CASE_PAGE.templates,
        },
    )


def urgent_action_detail(request, slug, action_id):
    urgent_action = urgent_action_for_viewer(request.user, slug, action_id)
    case = urgent_action.case
    targets = [] if case.actions_hidden else list(urgent_action.targets.all())
    written: set[int] = set()
    if request.user.is_authenticated and targets:
        written = set(
            AppealLetter.objects.filter(
                urgent_action=urgent_action,
                user=request.user,
                status__in=[AppealLetter.Status.SENT, AppealLetter.Status.POSTED],
            ).values_list("target_id", flat=True)
        )
    return render(
        request,
        "cases/urgent_action.html",
        {
            "case": case,
            "urgent_action": urgent_action,
            "targets": targets,
            "written": written,
            "is_open": urgent_action.is_open(),
        },
    )


# --- letters --------------------------------------------------------------------------


@verified_required
@require_http_methods(["GET", "POST"])
def write(request, slug, action_id, target_id):
    urgent_action = urgent_action_for_viewer(request.user, slug, action_id)
    target = get_object_or_404(Target, pk=target_id, urgent_action=urgent_action)
    case = urgent_action.case
    context = {"case": case, "urgent_action": urgent_action, "target": target}
    if case.actions_hidden or not urgent_action.is_open():
        return render(request, "cases/write.html", context)
    initial = {"body": services.letter_template(urgent_action=urgent_action, target=target)}
    form = LetterForm(request.POST if request.method == "POST" else None, initial=initial)
    context["form"] = form
    if request.method == "GET":
        return render(request, "cases/write.html", context)
    if not form.is_valid():
        return render(request, "cases/write.html", context, status=400)
    body = form.cleaned_data["body"]
    try:
        if request.POST.get("how") == "email" and target.email:
            sent = services.send_letter(
                urgent_action=urgent_action,
                target=target,
                user=request.user,
                body=body,
                within_limits=lambda: _letter_budget_left(request, target),
            )
            if sent:
                messages.success(
                    request, "Your letter is on its way: any reply comes straight to you."
                )
            else:
                messages.info(request, "You have already written to them: it counts once.")
            return redirect(urgent_action)
        letter = services.print_letter(
            urgent_action=urgent_action, target=target, user=request.user, body=body
        )
    except services.LetterLimitError as exc:
        form.add_error(None, str(exc))
        return render(request, "cases/write.html", context, status=429)
    except services.CaseError as exc:
        messages.error(request, str(exc))
        return redirect(urgent_action)
    if letter is None:
        messages.info(request, "You have already written to them: it counts once.")
        return redirect(urgent_action)
    return redirect("cases:letter_print", pk=letter.pk)


def _letter_budget_left(request, target: Target) -> bool:
    """Spend one letter of the writer's and of the address's daily budgets: the same
    counters as campaign letters (campaigns.views), so together they stay within one cap."""
    return not (
        ratelimit_count(request, "letters_from_user", f"u{request.user.pk}")["should_limit"]
        or ratelimit_count(request, "letters_to_target", target.email.lower())["should_limit"]
    )


@verified_required
def letter_print(request, pk):
    letter = letter_for_writer(request.user, pk)
    return render(
        request,
        "cases/letter_print.html",
        {
            "letter": letter,
            "case": letter.urgent_action.case,
            "urgent_action": letter.urgent_action,
            "target": letter.target,
        },
    )


@verified_required
@require_POST
def letter_posted(request, pk):
    letter = letter_for_writer(request.user, pk)
    if services.mark_posted(letter=letter, user=request.user):
        messages.success(request, "Thank you: your letter is counted.")
    else:
        messages.info(request, "This letter is already counted.")
    return redirect(letter.urgent_action)


# --- solidarity messages --------------------------------------------------------------


@verified_required
@require_http_methods(["GET", "POST"])
@ratelimit("actions")
def write_message(request, slug):
    case = case_for_viewer(request.user, slug)
    mine = SolidarityMessage.objects.filter(case=case, user=request.user).first()
    context = {"case": case, "mine": mine}
    if mine is not None or not case.is_open:
        return render(request, "cases/message.html", context)
    first_name = (request.user.display_name.split() or [""])[0]
    form = MessageForm(
        request.POST if request.method == "POST" else None, initial={"first_name": first_name}
    )
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        try:
            services.write_message(case=case, user=request.user, **form.cleaned_data)
        except services.CaseError as exc:
            messages.info(request, str(exc))
        else:
            messages.success(
                request,
                "Thank you. Our moderators read every message before it is passed on; "
                "we will email you when yours is.",
            )
        return redirect(case)
    return render(request, "cases/message.html", context, status=400 if form.is_bound else 200)


# --- adoption -------------------------------------------------------------------------


def _lead_choice(request, groups):
    """The group a lead chose among those they may act for; 403 if they lead none."""
    if not groups.exists():
        raise PermissionDenied
    form = AdoptForm(request.POST, groups=groups)
    return form.cleaned_data["group"] if form.is_valid() else None


@verified_required
@require_POST
def adopt(request, slug):
    case = case_for_viewer(request.user, slug)
    group = _lead_choice(request, led_groups(request.user))
    if group is None:
        messages.error(request, "Choose one of the groups you lead.")
        return redirect(case)
    try:
        if services.adopt_case(case=case, group=group, by=request.user):
            messages.success(
                request,
                f"{group.name} has adopted this case: it is on your group's page, and your "
                "members hear its news.",
            )
        else:
            messages.info(request, f"{group.name} has already adopted this case.")
    except services.CaseError as exc:
        messages.error(request, str(exc))
    return redirect(case)


@verified_required
@require_POST
def unadopt(request, slug):
    case = case_for_viewer(request.user, slug)
    group = _lead_choice(request, led_groups(request.user).filter(case_adoptions__case=case))
    if group is None:
        messages.error(request, "Choose one of the groups you lead.")
    elif services.drop_adoption(case=case, group=group):
        messages.success(request, f"{group.name} no longer adopts this case.")
    return redirect(case)
