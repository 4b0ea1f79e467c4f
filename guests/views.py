"""Acting without an account: the guest forms' POSTs, the "check your email" page, the
confirmation link, "not you?", and a guest's own data by email link."""

import json
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from campaigns.models import Action
from campaigns.permissions import campaign_for_viewer
from events.models import Event
from events.permissions import event_for_viewer
from portal.ratelimit import count as ratelimit_count
from portal.ratelimit import ratelimit, too_many

from . import remember, services
from .forms import DataRequestForm
from .panels import action_form, rsvp_form, support_form, what_next

GUEST_KINDS = (Action.Kind.SIGN, Action.Kind.PLEDGE, Action.Kind.WRITE)


def same_origin(view):
    """The guest forms sit on pages the anonymous page cache may store (portal.pagecache),
    so the CSRF token in a cached form is someone else's and Django's token check would
    refuse the next visitor. These POSTs only start a pending action (nothing counts until
    the click in the email), and instead of the token they are checked the way browsers
    allow: a cross-site Origin, or Sec-Fetch-Site "cross-site", is refused."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        origin = request.headers.get("Origin")
        if origin is not None and origin != f"{request.scheme}://{request.get_host()}":
            return HttpResponseForbidden("Cross-site form posts are refused.")
        if request.headers.get("Sec-Fetch-Site") == "cross-site":
            return HttpResponseForbidden("Cross-site form posts are refused.")
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapper)


def _finish(request, form, target, *, next_url: str, **extra):
    """Shared tail of the guest POSTs: honeypot, per-email limit, the pending cap, the
    remember-me cookie, then the "check your email" page."""
    sent = redirect(f"{reverse('guests:sent')}?next={next_url}")
    if form.is_bot:
        return sent  # the answer a person gets; nothing is saved
    data = form.cleaned_data
    usage = ratelimit_count(request, "guest_emails", data["email"])
    if usage["should_limit"]:
        return too_many(request, usage["time_left"])
    about, wording = form.consent_about, form.fields["consent"].label
    try:
        services.start_pending(
            target=target,
            name=data["name"],
            email=data["email"],
            outcode=data["postcode"],
            consent_about=about if data["consent"] else "",
            consent_wording=wording,
            **extra,
        )
    except services.TooManyPending:
        return too_many(request, 3600)
    if data["remember"]:
        remember.store(sent, data)
    else:
        remember.clear(sent)
    return sent


@same_origin
@require_POST
@ratelimit("guest_actions", per="ip")
def act(request, slug, action_id):
    campaign = campaign_for_viewer(request.user, slug)
    action = get_object_or_404(Action, pk=action_id, campaign=campaign, kind__in=GUEST_KINDS)
    action.campaign = campaign
    if request.user.is_authenticated:
        return redirect("campaigns:action", slug=slug, action_id=action.pk)
    if not action.is_open():
        return render(request, "guests/closed.html", {"target": action}, status=400)
    form = action_form(request, action, data=request.POST)
    if not form.is_valid():
        return render(
            request,
            "guests/form_page.html",
            {"form": form, "action": action, "campaign": campaign},
            status=400,
        )
    extra = {"show_name": form.cleaned_data.get("show_name", False)}
    if "body" in form.fields:
        extra.update(
            letter_subject=form.cleaned_data["subject"], letter_body=form.cleaned_data["body"]
        )
    return _finish(
        request,
        form,
        action,
        next_url=reverse("campaigns:action", args=[slug, action.pk]),
        **extra,
    )


@same_origin
@require_POST
@ratelimit("guest_actions", per="ip")
def support(request, slug):
    campaign = campaign_for_viewer(request.user, slug)
    if request.user.is_authenticated:
        return redirect(campaign)
    if not campaign.is_open:
        return render(request, "guests/closed.html", {"target": campaign}, status=400)
    form = support_form(request, campaign, data=request.POST)
    if not form.is_valid():
        return render(
            request, "guests/form_page.html", {"form": form, "campaign": campaign}, status=400
        )
    return _finish(request, form, campaign, next_url=campaign.get_absolute_url())


@same_origin
@require_POST
@ratelimit("guest_actions", per="ip")
def rsvp(request, slug):
    event = event_for_viewer(request.user, slug)
    if request.user.is_authenticated:
        return redirect(event)
    if event.visibility == Event.Visibility.MEMBERS:
        return render(request, "guests/closed.html", {"target": event, "members": True}, status=403)
    if event.status != Event.Status.PUBLISHED or event.ends_at <= timezone.now():
        return render(request, "guests/closed.html", {"target": event}, status=400)
    form = rsvp_form(request, event, data=request.POST)
    if not form.is_valid():
        return render(request, "guests/form_page.html", {"form": form, "event": event}, status=400)
    return _finish(
        request,
        form,
        event,
        next_url=event.get_absolute_url(),
        show_name=form.cleaned_data["show_name"],
    )


def _safe_next(request) -> str:
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


def sent(request):
    return render(request, "guests/sent.html", {"next": _safe_next(request)})


def confirm(request, token):
    """The one click in the email. It works without signing in and touches only the one
    action the token names."""
    pending_id = services.read_confirm_token(token)
    result = (
        services.confirm_pending(pending_id=pending_id)
        if pending_id is not None
        else services.Confirmation("invalid")
    )
    status = 200 if result.status in ("confirmed", "already") else 400
    context = {"result": result, "pending": result.pending}
    if result.status in ("confirmed", "already"):
        pending = result.pending
        services.remember_verified_email(request, pending.email)
        context["panel"] = what_next(pending.target, user=None)
        # No published address: they send it themselves, as they wrote it (this is the
        # last moment we have their text; it is not kept).
        if (
            result.status == "confirmed"
            and pending.kind == "write"
            and pending.letter_body
            and not pending.action.campaign.target_email
        ):
            context["mailto"] = pending.action.mailto(
                {"subject": pending.letter_subject, "body": pending.letter_body}
            )
        if result.rsvp is not None:
            context["position"] = services.event_services.waitlist_position(result.rsvp)
        query = urlencode({"email": pending.email, "next": pending.target.get_absolute_url()})
        context["signup_url"] = f"{reverse('account_signup')}?{query}"
    return render(request, "guests/confirmed.html", context, status=status)


@require_POST
def forget(request):
    """ "Not you?": clear the remember-me cookie."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    remember.clear(response)
    return response


@require_http_methods(["GET", "POST"])
@ratelimit("guest_data_requests", per="ip")
def data_request(request):
    form = DataRequestForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        services.send_data_link(email=form.cleaned_data["email"])
        return render(request, "guests/data_request.html", {"sent": True})
    status = 400 if form.is_bound else 200
    return render(request, "guests/data_request.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def data(request, token):
    email = services.read_data_token(token)
    if email is None:
        raise Http404
    if request.method == "POST":
        services.erase_guest_data(email=email)
        return render(request, "guests/data.html", {"erased": True})
    exported = services.export_guest_data(email=email)
    if request.GET.get("format") == "json":
        response = HttpResponse(
            json.dumps(exported, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="my-data.json"'
        return response
    return render(
        request,
        "guests/data.html",
        {"data": exported, "has_account": False, "site_name": settings.SITE_NAME},
    )
