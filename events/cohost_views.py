"""Co-hosting by invitation, and owners taking an event out of their space: a co-hosting
group's leads, a campaign's runners and staff (for partners) may each remove the event
from what is theirs, since someone else published it there."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from portal.permissions import verified_required

from . import services
from .forms import RemoveFromSpaceForm
from .permissions import event_for_space_owner, invitation_for_lead

ANSWERS = {"accept": True, "decline": False}


@verified_required
@require_POST
def cohost_answer(request, pk, answer):
    if answer not in ANSWERS:
        raise Http404
    invitation = invitation_for_lead(request.user, pk)
    try:
        services.answer_cohost_invitation(
            invitation=invitation, by=request.user, accept=ANSWERS[answer]
        )
    except services.CohostError as exc:
        messages.error(request, str(exc))
        return redirect("my_portal")
    subject, group = invitation.subject, invitation.group
    name = subject.title if invitation.event_id else subject.name
    if ANSWERS[answer]:
        messages.success(
            request,
            f"{group.name} now co-hosts {name}: it shows on your group's pages. To step back "
            'from an event later, use "Remove from" on the event page.',
        )
    else:
        messages.success(
            request, f"Declined: {name} will not name {group.name} or appear on its pages."
        )
    return redirect("my_portal")


@verified_required
@require_POST
def remove_from_space(request, slug):
    event, spaces = event_for_space_owner(request.user, slug)
    form = RemoveFromSpaceForm(request.POST, spaces=spaces)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or "Choose what to remove.")
        return redirect("my_portal")
    space = form.cleaned_data["space"]
    if space == "group":
        group = form.cleaned_data["group"]
        services.remove_from_space(event=event, by=request.user, group=group)
        where = group
    elif space == "campaign":
        services.remove_from_space(event=event, by=request.user, campaign=spaces["campaign"])
        where = spaces["campaign"]
    else:
        partner = form.cleaned_data["partner"]
        services.remove_from_space(event=event, by=request.user, partner=partner)
        where = partner
    messages.success(request, f"{event.title} no longer appears on {where}'s pages or feeds.")
    # Back to the space, not the event: the event may be one only its hosts can see.
    return redirect(where)
