"""Member-hosted events: a member proposes, the group's leads approve, send back with a
comment, or decline; a trusted host's events publish at once."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from groups.models import LocalGroup, Membership
from groups.permissions import is_lead_of
from portal.permissions import verified_required
from portal.ratelimit import ratelimit

from . import services
from .forms import EventForm, ProposalDecisionForm
from .models import Event
from .permissions import proposal_for_host, proposal_for_lead
from .views import event_form_data


@verified_required
@require_http_methods(["GET", "POST"])
@ratelimit("event_proposals")
def event_propose(request, group_slug):
    """Any verified member proposes an event for their group, with the leads' form."""
    group = get_object_or_404(LocalGroup.objects.active(), slug=group_slug)
    if is_lead_of(request.user, group):
        return redirect("events:create", group_slug=group.slug)
    membership = Membership.objects.current().filter(group=group, user=request.user).first()
    if membership is None:
        messages.info(request, f"Join {group.name} first: members propose events for it.")
        return redirect(group)
    form = EventForm(request.POST or None, request.FILES or None, group=group)
    if request.method == "POST" and form.is_valid():
        event = services.propose_event(group=group, by=request.user, **event_form_data(form))
        if event.status == Event.Status.PUBLISHED:
            messages.success(request, "Published: you're a trusted host, so it's listed now.")
        else:
            messages.success(
                request,
                f"Thank you! Your event waits for {group.name}'s leads to approve it; we'll "
                "email you. You can still edit it until then.",
            )
        return redirect(event)
    return render(
        request,
        "events/form.html",
        {
            "form": form,
            "group": group,
            "event": None,
            "proposing": True,
            "trusted": membership.trusted_host,
        },
    )


@verified_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request, slug):
    event = proposal_for_host(request.user, slug)
    form = EventForm(request.POST or None, request.FILES or None, instance=event, group=event.group)
    if request.method == "POST" and form.is_valid():
        try:
            services.resubmit_proposal(event=event, **event_form_data(form))
        except services.ProposalError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Saved and sent to the group's leads again.")
        return redirect(event)
    return render(
        request,
        "events/form.html",
        {"form": form, "group": event.group, "event": event, "proposing": True},
    )


PROPOSAL_DONE = {
    "approve": "Approved: it's published, and the host is told.",
    "send_back": "Sent back: the host has your comment.",
    "decline": "Declined: the host is told why.",
}


@verified_required
@require_POST
def proposal_decide(request, slug, step):
    if step not in PROPOSAL_DONE:
        raise Http404
    event = proposal_for_lead(request.user, slug)
    form = ProposalDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if step == "approve":
            services.approve_proposal(event=event)
        elif step == "send_back":
            services.send_back_proposal(event=event, note=note)
        else:
            services.decline_proposal(event=event, note=note)
    except services.ProposalError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, PROPOSAL_DONE[step])
    return redirect(event)
