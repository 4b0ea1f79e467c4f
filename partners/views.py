from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from groups.permissions import group_for_lead, group_for_lead_or_rep, is_lead_of
from portal.navigation import redirect_back
from portal.nearby import attach_distances, order_by_distance
from portal.permissions import verified_required
from portal.ratelimit import ratelimit

from . import services
from .forms import (
    AcceptSuggestionForm,
    DeclineSuggestionForm,
    DirectoryFilterForm,
    NewPartnershipForm,
    PartnerForm,
    PartnershipForm,
    SuggestionForm,
)
from .models import Partner, Partnership, PartnershipChange, PartnerSuggestion
from .permissions import (
    can_edit_partner,
    group_ids_with_private_access,
    partner_for_editor,
    public_partner,
    suggestion_for_decider,
    suggestions_for_decider,
)
from .slots import PARTNER_PAGE

PAGE_SIZE = 20


def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = {}
    if form.is_bound:
        # Invalid filters (an unknown kind, a bad postcode) are shown as errors and
        # ignored; the valid ones still apply.
        form.is_valid()
        filters = form.cleaned_data
    partners = (
        Partner.objects.active()
        .matching(query=filters.get("q", ""), kind=filters.get("kind"), area=filters.get("area"))
        .select_related("kind")
        .with_group_count()
    )
    near = filters.get("near")
    if near:
        _, lat, lon = near
        partners = order_by_distance(partners, lat=lat, lon=lon)
    else:
        partners = partners.order_by("name", "pk")
    page = Paginator(partners, PAGE_SIZE).get_page(request.GET.get("page"))
    if near:
        attach_distances(page.object_list, lat=lat, lon=lon)
    return render(
        request,
        "partners/directory.html",
        {"form": form, "page": page, "near": near[0] if near else ""},
    )


def partner_detail(request, slug):
    partner = public_partner(slug)
    partnerships = list(partner.partnerships.select_related("group").order_by("group__name", "pk"))
    working_with = [
        p for p in partnerships if p.status == Partnership.Status.ACTIVE and p.group.is_active
    ]
    private_ids = group_ids_with_private_access(request.user, {p.group_id for p in partnerships})
    return render(
        request,
        "partners/detail.html",
        {
            "partner": partner,
            "areas": list(partner.areas.all()),
            "working_with": working_with,
            "private_partnerships": [p for p in partnerships if p.group_id in private_ids],
            "can_edit": can_edit_partner(request.user, partner),
            "sections": PARTNER_PAGE.templates,
        },
    )


def partner_edit(request, slug):
    partner = partner_for_editor(request.user, slug)
    form = PartnerForm(request.POST or None, request.FILES or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in PartnerForm.Meta.fields}
        data["latitude"], data["longitude"] = form.coordinates
        services.update_partner(
            partner=partner,
            logo=form.cleaned_data["logo_upload"],
            clear_logo=form.cleaned_data.get("clear_logo", False),
            **data,
        )
        messages.success(request, f"{partner.name} is saved.")
        return redirect(partner)
    if request.method == "POST":
        # A failed save must not leave the form showing the half-applied instance.
        partner.refresh_from_db()
    return render(request, "partners/partner_form.html", {"partner": partner, "form": form})


def group_partnerships(request, group_slug):
    group = group_for_lead_or_rep(request.user, group_slug)
    partnerships = (
        group.partnerships.select_related("partner__kind")
        .prefetch_related(
            Prefetch("changes", queryset=PartnershipChange.objects.select_related("changed_by"))
        )
        .order_by("partner__name", "pk")
    )
    return render(
        request,
        "partners/group_partnerships.html",
        {
            "group": group,
            "partnerships": partnerships,
            "is_lead": is_lead_of(request.user, group),
        },
    )


def partnership_create(request, group_slug):
    group = group_for_lead(request.user, group_slug)
    initial = {"partner": request.GET.get("partner", "")[:200]}
    form = NewPartnershipForm(request.POST or None, group=group, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in PartnershipForm.Meta.fields}
        try:
            services.create_partnership(
                group=group, partner=form.cleaned_data["partner"], by=request.user, **fields
            )
        except IntegrityError:
            # Another lead added the same partner while this form was open.
            form.add_error("partner", "Your group already has a partnership with them.")
        else:
            messages.success(request, f"Partnership with {form.cleaned_data['partner']} added.")
            return redirect("partners:group", group_slug=group.slug)
    return render(request, "partners/partnership_form.html", {"group": group, "form": form})


def partnership_edit(request, group_slug, pk):
    group = group_for_lead(request.user, group_slug)
    partnership = get_object_or_404(group.partnerships.select_related("partner"), pk=pk)
    form = PartnershipForm(request.POST or None, instance=partnership)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in PartnershipForm.Meta.fields}
        change = services.update_partnership(partnership=partnership, by=request.user, **fields)
        messages.success(request, "Partnership saved." if change else "Nothing had changed.")
        return redirect("partners:group", group_slug=group.slug)
    return render(
        request,
        "partners/partnership_form.html",
        {"group": group, "form": form, "partnership": partnership},
    )


def group_suggestions(request, group_slug):
    group = group_for_lead(request.user, group_slug)
    return render(
        request,
        "partners/group_suggestions.html",
        {
            "group": group,
            "suggestions": services.partners_near_group(group),
            "radius_km": services.NEARBY_RADIUS_KM,
        },
    )


@verified_required
@ratelimit("suggestions")
def suggest(request):
    form = SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name]
            for name in ["name", "kind", "area", "website", "town", "postcode_district", "reason"]
        }
        services.suggest_partner(by=request.user, **data)
        messages.success(
            request,
            "Thank you. A lead or rep for that area will look at your suggestion, "
            "and we will email you what they decide.",
        )
        return redirect("partners:suggest")
    mine = PartnerSuggestion.objects.filter(suggested_by=request.user).select_related("partner")[
        :20
    ]
    return render(request, "partners/suggest.html", {"form": form, "mine": mine})


@login_required
def suggestion_queue(request):
    pending = (
        suggestions_for_decider(request.user)
        .filter(status=PartnerSuggestion.Status.PENDING)
        .select_related("area", "kind", "suggested_by")
        .order_by("created_at", "pk")
    )
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "partners/suggestion_queue.html", {"page": page})


def _suggestion_page(request, suggestion, *, accept_form=None, decline_form=None, status=200):
    return render(
        request,
        "partners/suggestion_detail.html",
        {
            "suggestion": suggestion,
            "accept_form": accept_form or AcceptSuggestionForm(initial={"kind": suggestion.kind}),
            "decline_form": decline_form or DeclineSuggestionForm(),
        },
        status=status,
    )


@login_required
def suggestion_detail(request, pk):
    return _suggestion_page(request, suggestion_for_decider(request.user, pk))


@login_required
@require_POST
def suggestion_accept(request, pk):
    suggestion = suggestion_for_decider(request.user, pk)
    form = AcceptSuggestionForm(request.POST)
    if not form.is_valid():
        return _suggestion_page(request, suggestion, accept_form=form, status=400)
    try:
        _, partner = services.accept_suggestion(
            suggestion=suggestion, by=request.user, kind=form.cleaned_data["kind"]
        )
    except services.SuggestionAlreadyDecided:
        messages.error(request, "Someone has already decided on that suggestion.")
        return redirect_back(request, "partners:suggestion_queue")
    if request.POST.get("next"):
        messages.success(
            request,
            f"{partner.name} is now in the directory; you can add its description and logo "
            "from its page.",
        )
        return redirect_back(request, partner)
    messages.success(
        request, f"{partner.name} is now in the directory. Add a description and logo here."
    )
    return redirect("partners:edit", slug=partner.slug)


@login_required
@require_POST
def suggestion_decline(request, pk):
    suggestion = suggestion_for_decider(request.user, pk)
    form = DeclineSuggestionForm(request.POST)
    if not form.is_valid():
        return _suggestion_page(request, suggestion, decline_form=form, status=400)
    try:
        services.decline_suggestion(
            suggestion=suggestion, by=request.user, reason=form.cleaned_data["reason"]
        )
    except services.SuggestionAlreadyDecided:
        messages.error(request, "Someone has already decided on that suggestion.")
    else:
        messages.success(
            request, f"{suggestion.name} declined; the person who suggested it will be told."
        )
    return redirect_back(request, "partners:suggestion_queue")
