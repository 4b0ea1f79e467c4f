import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from groups import coverage
from portal import fragments
from portal.models import GuestContact, User
from portal.navigation import redirect_back
from portal.nearby import attach_distances, order_by_distance
from portal.permissions import verified_required
from portal.ratelimit import client_ip, ratelimit, too_many
from portal.ratelimit import count as ratelimit_count

from . import services
from .forms import (
    ActionForm,
    BrowseForm,
    DeclineForm,
    FundingApproveForm,
    FundingNoteForm,
    FundingRequestForm,
    JoinForm,
    LeaveForm,
    LetterForm,
    OutcomeForm,
    PictureForm,
    ProposalForm,
    SignForm,
    StatusForm,
    UpdateForm,
)
from .models import (
    Action,
    ActionTaken,
    Campaign,
    CampaignSupporter,
    FundingRequest,
    Participation,
    local_action_count,
)
from .permissions import (
    campaign_for_manager,
    campaign_for_viewer,
    can_decide_proposal,
    can_manage,
    can_request_funding,
    can_view,
    funding_request_for,
    groups_for_proposer,
    groups_that_may_join,
    lead_groups,
)
from .slots import ACTION_PAGE, CAMPAIGN_PAGE

PAGE_SIZE = 12
VISITOR_COOKIE = "pp_visitor"
VISITOR_SALT = "campaigns.visitor"


def _posted(request):
    """The POST data to bind a form to, even when empty (so missing fields are errors)."""
    return request.POST if request.method == "POST" else None


def campaign_list(request):
    form = BrowseForm(request.GET or None)
    campaigns = (
        Campaign.objects.public().select_related("group", "region").prefetch_related("topics")
    )
    near = None
    if form.is_bound:
        form.is_valid()  # errors are shown; the valid fields still filter
        data = form.cleaned_data
        if q := data.get("q"):
            campaigns = campaigns.filter(
                Q(title__icontains=q) | Q(summary__icontains=q) | Q(goal__icontains=q)
            )
        if topic := data.get("topic"):
            campaigns = campaigns.filter(topics=topic)
        if scope := data.get("scope"):
            campaigns = campaigns.filter(scope=scope)
        if region := data.get("region"):
            campaigns = campaigns.in_region(region)
        if status := data.get("status"):
            campaigns = campaigns.filter(status=status)
        if near := data.get("postcode"):
            _outcode, lat, lon = near
            campaigns = order_by_distance(campaigns, lat=lat, lon=lon, prefix="group__")
    page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    if near:
        attach_distances(page.object_list, lat=near[1], lon=near[2], attr="group")
    return render(
        request,
        "campaigns/list.html",
        {"form": form, "page": page, "near": near[0] if near else None},
    )


def recent_signers(action_ids: list[int], *, limit: int) -> list[ActionTaken]:
    """The newest signers who chose to show their name. One sliced query per petition,
    glued with UNION ALL, so each walks the partial index backwards and stops after
    `limit` rows instead of sorting every signature of a big petition; then their names
    by primary key."""
    if not action_ids:
        return []
    fields = ("pk", "created_at", "user_id", "guest_id", "action_id")
    if connection.features.supports_slicing_ordering_in_compound:
        parts = [
            ActionTaken.objects.filter(action_id=action_id, show_name=True)
            .order_by("-created_at")
            .only(*fields)[:limit]
            for action_id in action_ids
        ]
        newest = list(
            parts[0]
            if len(parts) == 1
            else parts[0].union(*parts[1:], all=True).order_by("-created_at")[:limit]
        )
    else:  # SQLite cannot slice inside UNION; it has no national-size petitions either
        newest = list(
            ActionTaken.objects.filter(action_id__in=action_ids, show_name=True)
            .order_by("-created_at")
            .only(*fields)[:limit]
        )
    users = User.objects.in_bulk([taken.user_id for taken in newest if taken.user_id])
    guests = GuestContact.objects.in_bulk([t.guest_id for t in newest if t.guest_id])
    for taken in newest:
        taken.user = users.get(taken.user_id)
        taken.guest = guests.get(taken.guest_id)
    return newest


def campaign_detail(request, slug):
    campaign = campaign_for_viewer(request.user, slug)
    prefetch_related_objects([campaign], "topics", "partners", "actions")
    user = request.user
    taken_ids: set[int] = set()
    is_supporter = False
    if user.is_authenticated:
        is_supporter = CampaignSupporter.objects.filter(campaign=campaign, user=user).exists()
        taken_ids = set(
            ActionTaken.objects.filter(action__campaign=campaign, user=user).values_list(
                "action_id", flat=True
            )
        )
    signers = recent_signers(
        [a.pk for a in campaign.actions.all() if a.kind == Action.Kind.SIGN], limit=12
    )
    manager = can_manage(user, campaign)
    joinable = groups_that_may_join(user, campaign).exclude(
        campaign_participations__campaign=campaign
    )
    # A local campaign is run by its own group alone: nothing to read.
    participations = (
        list(
            campaign.participations.select_related("group")
            .filter(group__is_active=True)
            .annotate(local_actions=local_action_count())
        )
        if campaign.scope != Campaign.Scope.LOCAL
        else []
    )
    funding_side = campaign.group is not None and (
        can_request_funding(user, campaign)
        or coverage.covers_group(user, campaign.group, roles=coverage.REPS)
    )
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "actions": campaign.actions.all(),
            "taken_ids": taken_ids,
            "is_supporter": is_supporter,
            "updates": campaign.updates.select_related("author")[:10],
            "outcomes": campaign.outcomes.all()[:50],
            "signers": signers,
            "can_manage": manager,
            "can_decide": can_decide_proposal(user, campaign),
            "can_request_funding": can_request_funding(user, campaign),
            "funding_requests": campaign.funding_requests.all() if funding_side else None,
            "next_statuses": sorted(services.ALLOWED_TRANSITIONS[campaign.status])
            if manager and campaign.status != Campaign.Status.PROPOSED
            else [],
            "status_labels": dict(Campaign.Status.choices),
            "sections": CAMPAIGN_PAGE.templates,
            "decline_form": DeclineForm(),
            "participations": participations,
            "led_ids": set(lead_groups(user).values_list("pk", flat=True))
            if participations and user.is_authenticated
            else set(),
            "join_form": JoinForm(groups=joinable) if joinable.exists() else None,
        },
    )


@verified_required
@require_POST
def join(request, slug):
    campaign = campaign_for_viewer(request.user, slug)
    groups = groups_that_may_join(request.user, campaign)
    if not groups.exists():
        raise PermissionDenied
    form = JoinForm(request.POST, groups=groups)
    if not form.is_valid():
        messages.error(request, "Choose one of the groups you lead that may run this campaign.")
        return redirect(campaign)
    group = form.cleaned_data["group"]
    try:
        created = services.join_campaign(
            campaign=campaign, group=group, by=request.user, note=form.cleaned_data["note"]
        )
    except services.CampaignError as exc:
        messages.error(request, str(exc))
        return redirect(campaign)
    if created:
        messages.success(
            request,
            f"{group.name} now runs this campaign: it is listed here and on the group page, "
            "and your events can carry it.",
        )
    else:
        messages.info(request, f"{group.name} already ran this campaign; its note is updated.")
    return redirect(campaign)


@verified_required
@require_POST
def leave(request, slug):
    campaign = campaign_for_viewer(request.user, slug)
    groups = lead_groups(request.user).filter(
        pk__in=Participation.objects.filter(campaign=campaign).values("group_id")
    )
    form = LeaveForm(request.POST, groups=groups)
    if not form.is_valid():
        raise Http404
    group = form.cleaned_data["group"]
    services.leave_campaign(campaign=campaign, group=group)
    messages.success(request, f"{group.name} no longer runs this campaign.")
    return redirect(campaign)


# --- supporting -----------------------------------------------------------------------


@verified_required
@require_POST
@ratelimit("support")
def support(request, slug):
    campaign = campaign_for_viewer(request.user, slug)
    try:
        if services.support_campaign(campaign=campaign, user=request.user):
            messages.success(request, "Thank you: you support this campaign.")
    except services.CampaignError as exc:
        messages.error(request, str(exc))
    return redirect(campaign)


@verified_required
@require_POST
def unsupport(request, slug):
    campaign = campaign_for_viewer(request.user, slug)
    if services.stop_supporting(campaign=campaign, user=request.user):
        messages.success(request, "You no longer support this campaign.")
    return redirect(campaign)


# --- actions --------------------------------------------------------------------------


def _action_for(user, slug, action_id) -> Action:
    campaign = campaign_for_viewer(user, slug)
    action = get_object_or_404(Action, pk=action_id, campaign=campaign)
    action.campaign = campaign
    return action


def _share_url(action: Action, user) -> str:
    token = services.share_token(action=action, user=user)
    return settings.SITE_URL + reverse("campaigns:share", args=[action.campaign.slug, token])


def _render_action(request, action: Action, form=None, status=200, parts=None):
    user = request.user
    taken = user.is_authenticated and ActionTaken.objects.filter(action=action, user=user).exists()
    context = {
        "campaign": action.campaign,
        "action": action,
        "taken": taken,
        "form": form,
        "action_sections": ACTION_PAGE.templates,
        "parts": parts,
    }
    if action.kind == Action.Kind.WRITE:
        # The letter is the person's to edit; the mail-program link carries the edited
        # text once they have put it in an email (or the suggested one before that).
        letter = form.cleaned_data if form is not None and form.is_valid() else None
        context["form"] = form or LetterForm(initial=action.suggested_letter())
        context["mailto"] = action.mailto(letter or action.suggested_letter())
        context["composed"] = letter is not None
    elif action.kind == Action.Kind.SIGN:
        context["form"] = form or SignForm()
    if action.kind == Action.Kind.SHARE and taken:
        context["share_url"] = _share_url(action, user)
    return render(request, "campaigns/action.html", context, status=status)


def action_detail(request, slug, action_id):
    if not fragments.plain_member(request):
        return _render_action(request, _action_for(request.user, slug, action_id))
    # A member who leads nothing: the action and its campaign in one query, who may see it
    # checked as _action_for does, and the story (the same for everyone) from the cache.
    action = get_object_or_404(
        Action.objects.select_related("campaign__group__area__region", "campaign__region"),
        pk=action_id,
        campaign__slug=slug,
    )
    if not can_view(request.user, action.campaign):
        raise Http404
    scope = f"campaign:{slug}"
    parts = fragments.shared_parts(
        request,
        [scope],
        {
            "story": (
                f"{scope}:action:{action.pk}:story",
                "campaigns/_action_story.html",
                lambda: {"action": action},
            )
        },
    )
    return _render_action(request, action, parts=parts)


@verified_required
@require_POST
@ratelimit("actions")
def action_take(request, slug, action_id):
    action = _action_for(request.user, slug, action_id)
    user = request.user
    try:
        if action.kind == Action.Kind.SIGN:
            form = SignForm(request.POST)
            form.is_valid()
            new = services.take_action(
                action=action, user=user, show_name=form.cleaned_data.get("show_name", False)
            )
            done = "Thank you for signing."
        elif action.kind == Action.Kind.PLEDGE:
            new = services.take_action(action=action, user=user)
            done = "Thank you for your pledge."
        elif action.kind == Action.Kind.WRITE:
            form = LetterForm(request.POST)
            valid = form.is_valid()
            if not action.campaign.target_email and request.POST.get("compose"):
                # "Put my letter in an email": nothing is recorded yet; the page comes
                # back with the edited letter and a mail-program link that carries it.
                return _render_action(request, action, form=form, status=200 if valid else 400)
            if action.campaign.target_email and not valid:
                return _render_action(request, action, form=form, status=400)
            new = services.send_letter(
                action=action,
                user=user,
                subject=form.cleaned_data.get("subject", ""),
                body=form.cleaned_data.get("body", ""),
                within_limits=lambda: _letter_allowed(request, action, user),
            )
            done = (
                "Your letter is on its way; replies come straight to you."
                if action.campaign.target_email
                else "Thank you for writing."
            )
        else:
            new = services.record_share(action=action, user=user)
            messages.success(request, "Here is your share link.")
            return redirect("campaigns:action", slug=slug, action_id=action.pk)
    except services.LetterLimitError:
        return too_many(request)
    except services.ActionError as exc:
        messages.error(request, str(exc))
        return redirect(action.campaign)
    if new:
        messages.success(request, done)
    else:
        messages.info(request, "You have already done this one: it counts once.")
    # Back to the action's page, where the "what next" panel follows a taken action.
    return redirect("campaigns:action", slug=slug, action_id=action.pk)


def _letter_allowed(request, action, user) -> bool:
    """Letters go out in our name: cap them per writer and per decision-maker so that
    nobody can use the portal to flood an inbox. Spends one letter of each budget; called
    by the service only for a letter that is really sent."""
    target = action.campaign.target_email.lower()
    return not (
        ratelimit_count(request, "letters_from_user", f"u{user.pk}")["should_limit"]
        or ratelimit_count(request, "letters_to_target", target)["should_limit"]
    )


def share_arrival(request, slug, token):
    """Someone followed a supporter's share link. Counted once per browser, and only from
    a browser that keeps cookies: the first visit sets the visitor cookie and comes back
    once, so a bare replayed request never counts."""
    campaign = campaign_for_viewer(request.user, slug)
    parsed = services.read_share_token(token)
    visitor_id = request.get_signed_cookie(VISITOR_COOKIE, default=None, salt=VISITOR_SALT)
    if parsed is None:
        return redirect(campaign)
    action_id, sharer_id = parsed
    if visitor_id is None:
        if request.GET.get("c"):
            return redirect(campaign)  # cookies refused: welcome, but not counted
        response = redirect(request.path + "?c=1")
        response.set_signed_cookie(
            VISITOR_COOKIE,
            secrets.token_hex(16),
            salt=VISITOR_SALT,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        return response
    action = Action.objects.filter(pk=action_id, campaign=campaign).first()
    if action is not None and request.user.pk != sharer_id:
        action.campaign = campaign
        # Fresh cookie jars are free, so a visitor cookie alone cannot stop inflation: cap
        # counted arrivals per address and per link. Only arrivals that count spend it.
        budgets = [
            ("share_arrivals_per_address", f"ip{client_ip(request)}"),
            ("share_arrivals_per_link", f"{action.pk}:{sharer_id}"),
        ]
        spent = [ratelimit_count(request, scope, key, increment=False) for scope, key in budgets]
        if all(
            usage["count"] < usage["limit"] for usage in spent
        ) and services.record_share_arrival(
            action=action, sharer_id=sharer_id, visitor_id=visitor_id
        ):
            for scope, key in budgets:
                ratelimit_count(request, scope, key)
    return redirect(campaign)


# --- running a campaign ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def post_update(request, slug):
    campaign = campaign_for_manager(request.user, slug)
    form = UpdateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.post_update(campaign=campaign, author=request.user, **form.cleaned_data)
        messages.success(request, "Update posted.")
        return redirect(campaign)
    return render(
        request,
        "campaigns/form.html",
        {"campaign": campaign, "form": form, "heading": "Post an update"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def picture(request, slug):
    campaign = campaign_for_manager(request.user, slug)
    form = PictureForm(_posted(request), request.FILES or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        services.set_campaign_picture(campaign=campaign, picture=form.picture_data())
        messages.success(request, "The campaign's picture is saved.")
        return redirect(campaign)
    return render(
        request,
        "campaigns/form.html",
        {"campaign": campaign, "form": form, "heading": "Picture", "multipart": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_outcome(request, slug):
    campaign = campaign_for_manager(request.user, slug)
    form = OutcomeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.record_outcome(
            campaign=campaign,
            by=request.user,
            on=data["date"],
            kind=data["kind"],
            summary=data["summary"],
        )
        messages.success(request, "Outcome recorded.")
        return redirect(campaign)
    return render(
        request,
        "campaigns/form.html",
        {"campaign": campaign, "form": form, "heading": "Record an outcome"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_action(request, slug):
    campaign = campaign_for_manager(request.user, slug)
    form = ActionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.add_action(campaign=campaign, **form.cleaned_data)
        messages.success(request, "Action added.")
        return redirect(campaign)
    return render(
        request,
        "campaigns/form.html",
        {"campaign": campaign, "form": form, "heading": "Add an action"},
    )


@login_required
@require_POST
def change_status(request, slug):
    campaign = campaign_for_manager(request.user, slug)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a status.")
        return redirect(campaign)
    if campaign.status == Campaign.Status.PROPOSED:
        messages.error(request, "A proposal is approved or declined, not changed directly.")
        return redirect(campaign)
    try:
        services.change_status(campaign=campaign, to=form.cleaned_data["status"], by=request.user)
    except services.CampaignStatusError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The campaign is now {campaign.get_status_display()}.")
    return redirect(campaign)


# --- proposals ------------------------------------------------------------------------


@verified_required
@require_http_methods(["GET", "POST"])
@ratelimit("proposals")
def propose(request):
    groups = groups_for_proposer(request.user)
    lead_ids = set(lead_groups(request.user).values_list("pk", flat=True))
    form = ProposalForm(
        _posted(request),
        groups=groups.select_related("area"),
        lead_group_ids=lead_ids,
        initial={"group": request.GET.get("group")},
    )
    if request.method == "POST" and form.is_valid():
        campaign = services.propose_campaign(proposer=request.user, **form.cleaned_data)
        messages.success(
            request, "Thank you: your proposal is with the people who decide. We'll email you."
        )
        return redirect(campaign)
    return render(request, "campaigns/propose.html", {"form": form, "has_groups": groups.exists()})


@login_required
def proposals(request):
    """Proposals waiting for me to decide, and my own proposals."""
    user = request.user
    region_ids = coverage.rep_region_ids(user)
    to_decide = (
        Campaign.objects.filter(status=Campaign.Status.PROPOSED)
        .filter(
            Q(scope=Campaign.Scope.LOCAL, group__in=lead_groups(user))
            | Q(scope=Campaign.Scope.REGIONAL, region_id__in=region_ids)
        )
        .select_related("group", "region", "proposed_by")
        .order_by("created_at")
    )
    mine = Campaign.objects.filter(proposed_by=user).select_related("group", "region")
    return render(request, "campaigns/proposals.html", {"to_decide": to_decide, "mine": mine[:50]})


def _proposal_for_decider(request, slug) -> Campaign:
    campaign = campaign_for_viewer(request.user, slug)
    if not can_decide_proposal(request.user, campaign):
        raise PermissionDenied
    return campaign


@verified_required
@require_POST
def approve(request, slug):
    campaign = _proposal_for_decider(request, slug)
    try:
        services.approve_proposal(campaign=campaign, by=request.user)
    except services.CampaignError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"Approved {campaign.title}: the campaign is live and the proposer is told."
        )
    return redirect_back(request, campaign)


@verified_required
@require_POST
def decline(request, slug):
    campaign = _proposal_for_decider(request, slug)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Please give the proposer a reason.")
        return redirect_back(request, campaign)
    try:
        services.decline_proposal(
            campaign=campaign, by=request.user, reason=form.cleaned_data["reason"]
        )
    except services.CampaignError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Declined {campaign.title}: the proposer is told why.")
    return redirect_back(request, campaign)


# --- funding requests -----------------------------------------------------------------


@login_required
def funding_list(request):
    """Funding requests of the groups I lead and of the groups I cover as a rep."""
    user = request.user
    requests = (
        FundingRequest.objects.filter(
            campaign__group__in=coverage.covered_groups(user, roles={coverage.LEAD} | coverage.REPS)
        )
        .select_related("campaign__group")
        .order_by("-created_at")
    )
    page = Paginator(requests, 25).get_page(request.GET.get("page"))
    return render(request, "campaigns/funding_list.html", {"page": page})


@verified_required
@require_http_methods(["GET", "POST"])
def funding_new(request, slug):
    campaign = campaign_for_viewer(request.user, slug)
    if not can_request_funding(request.user, campaign):
        raise Http404
    form = FundingRequestForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            funding = services.request_funding(
                campaign=campaign, by=request.user, **form.cleaned_data
            )
        except services.FundingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your request is with the region's reps.")
            return redirect(funding)
    return render(
        request,
        "campaigns/form.html",
        {"campaign": campaign, "form": form, "heading": "Ask the region for funding"},
    )


def _funding_page(request, funding, side, forms=None, status=200):
    forms = forms or {}
    context = {
        "funding": funding,
        "campaign": funding.campaign,
        "side": side,
        "history": funding.history.select_related("actor"),
        "approve_form": forms.get("approve")
        or FundingApproveForm(initial={"approved_amount": funding.amount}),
        "question_form": forms.get("question") or FundingNoteForm(),
        "decline_form": forms.get("decline") or FundingNoteForm(),
        "answer_form": forms.get("answer") or FundingNoteForm(),
    }
    return render(request, "campaigns/funding_detail.html", context, status=status)


@login_required
def funding_detail(request, slug, pk):
    funding, side = funding_request_for(request.user, slug, pk)
    return _funding_page(request, funding, side)


FUNDING_STEPS = {
    # step: (who may take it, form class)
    "approve": ("rep", FundingApproveForm),
    "decline": ("rep", FundingNoteForm),
    "question": ("rep", FundingNoteForm),
    "answer": ("lead", FundingNoteForm),
}


@verified_required
@require_POST
def funding_step(request, slug, pk, step):
    funding, side = funding_request_for(request.user, slug, pk)
    if step not in FUNDING_STEPS:
        raise Http404
    who, form_class = FUNDING_STEPS[step]
    if side != who:
        raise PermissionDenied
    form = form_class(request.POST)
    if not form.is_valid():
        return _funding_page(request, funding, side, forms={step: form}, status=400)
    data, user = form.cleaned_data, request.user
    try:
        if step == "approve":
            services.approve_funding(
                funding=funding, by=user, amount=data["approved_amount"], note=data["note"]
            )
        elif step == "decline":
            services.decline_funding(funding=funding, by=user, reason=data["note"])
        elif step == "question":
            services.ask_funding_question(funding=funding, by=user, question=data["note"])
        else:
            services.answer_funding_question(funding=funding, by=user, answer=data["note"])
    except services.FundingError as exc:
        messages.error(request, str(exc))
    else:
        done = {
            "approve": "Approved",
            "decline": "Declined",
            "question": "Question sent about",
        }.get(step, "Answer sent for")
        messages.success(
            request, f"{done}: £{funding.amount} for {funding.campaign.title}. The group is told."
        )
    return redirect_back(request, funding)
