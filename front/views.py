"""What one person sees across the apps: home, search, My portal, and their data."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_POST

from campaigns import dashboard as campaigns_dashboard
from cases import dashboard as cases_dashboard
from cases import news as case_news
from conversations import dashboard as conversations_dashboard
from events import dashboard as events_dashboard
from groups import dashboard as groups_dashboard
from portal import mfa as portal_mfa
from portal import pagecache
from portal.forms import DeleteAccountForm
from portal.privatecache import cached_private_page
from portal.ratelimit import ratelimit
from resolutions import dashboard as resolutions_dashboard
from resources import dashboard as resources_dashboard

from . import account_data
from . import dashboard as todo_dashboard
from . import home as home_data
from .search import search_all


def home(request):
    # A postcode given here is remembered for the visit (the session), not stored.
    postcode = request.GET.get("postcode", "").strip()[:16]
    if "postcode" in request.GET:
        request.session["home_postcode"] = postcode
    else:
        postcode = request.session.get("home_postcode", "")
    events, outcode, postcode_error = home_data.upcoming_public_events(postcode=postcode)
    context = {
        "postcode": postcode,
        "outcode": outcode,
        "postcode_error": postcode_error,
        "events": events,
        "featured": home_data.featured_campaigns(),
        "actions": home_data.online_actions(),
        "good_news": case_news.good_news(),
        "areas": home_data.groups_per_area(),
    }
    return render(request, "front/home.html", context)


def search(request):
    text, sections = search_all(request.GET.get("q", ""), request.user)
    return render(
        request,
        "front/search.html",
        {"query": text, "sections": sections, "asked": "q" in request.GET},
    )


def favicon(request):
    """Pages name their icons; programs that ask for /favicon.ico anyway are sent to it
    (looked up per request: the static files manifest exists only after collectstatic)."""
    return redirect(static("img/favicon.ico"))


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /me/",
        "Disallow: /search/",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


# My portal's blocks, in page order: each app's my_portal_block(request) -> dict, rendered
# by the template beside it.
MY_PORTAL_BLOCKS = [
    (portal_mfa, "portal/_my_portal_mfa.html"),
    (todo_dashboard, "front/_my_portal.html"),
    (groups_dashboard, "groups/_my_portal.html"),
    (campaigns_dashboard, "campaigns/_my_portal.html"),
    (cases_dashboard, "cases/_my_portal.html"),
    (events_dashboard, "events/_my_portal.html"),
    (conversations_dashboard, "conversations/_my_portal.html"),
    (resources_dashboard, "resources/_my_portal.html"),
    (resolutions_dashboard, "resolutions/_my_portal.html"),
]


def _my_portal_blocks(request) -> list[dict]:
    return [
        {"template": template, **module.my_portal_block(request)}
        for module, template in MY_PORTAL_BLOCKS
    ]


def my_portal_scopes(context: dict) -> set[str]:
    """What the writes that change My portal bump (portal.pagecache), read off the blocks
    it shows: their groups' announcements and names (``group:<slug>``), their campaigns'
    actions still to do (``campaign:<slug>``), the events they go to, wait for or proposed
    (``event:<slug>``, ``waitlist:<slug>`` for their place in the queue), the threads of
    the places they read (``conversations``) and the resolutions they proposed or support
    (``resolutions``). Their own RSVPs, actions, letters and learning are ``person:<id>``
    (added by portal.privatecache). The page of someone who leads a group, reviews or
    moderates also lists to-dos and queues across their patch: it depends on ``private``,
    which every described write bumps but those only their person sees, and a reviewer's
    also on ``review`` (the queue's badge)."""
    blocks = {b["template"].split("/")[0]: b for b in context["blocks"]}
    groups, campaigns, events = blocks["groups"], blocks["campaigns"], blocks["events"]
    scopes = {"conversations", "resolutions"}
    scopes.update(f"group:{m.group.slug}" for m in groups["memberships"])
    scopes.update(f"campaign:{s.campaign.slug}" for s in campaigns["supports"])
    scopes.update(f"campaign:{t.action.campaign.slug}" for t in campaigns["taken"])
    for rsvp in [*events["coming"], *events["waiting"]]:
        scopes.add(f"event:{rsvp.event.slug}")
    scopes.update(f"waitlist:{rsvp.event.slug}" for rsvp in events["waiting"])
    scopes.update(f"event:{event.slug}" for event in events["my_proposals"])
    todo = blocks["front"]
    watches_a_patch = (
        groups["is_rep"]
        or any(m.role == "lead" for m in groups["memberships"])
        or todo["lead"]
        or todo["rep_queue"] is not None
        or blocks["cases"]["to_moderate"] is not None
    )
    if watches_a_patch:
        scopes.add(pagecache.PRIVATE)
    if todo["rep_queue"] is not None:
        # The badge counts the review queue, which the writes that bump "review" change.
        scopes.add(pagecache.REVIEW)
    return scopes


@login_required
def my_portal(request):
    # Cached per person for PAGE_CACHE_SECONDS; made stale by the writes that change what
    # it shows them (my_portal_scopes).
    return cached_private_page(
        request,
        name="my_portal",
        vary="",
        seconds=settings.PAGE_CACHE_SECONDS,
        template="front/my_portal.html",
        context=lambda: {"blocks": _my_portal_blocks(request)},
        depends=my_portal_scopes,
    )


@login_required
def my_data(request):
    return render(request, "front/my_data.html")


@login_required
@require_POST
def my_data_download(request):
    response = HttpResponse(account_data.export_zip(request.user), content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-people-power-data-{stamp}.zip"'
    return response


@login_required
@ratelimit("delete_account")
def delete_account(request):
    """Re-authentication is the password typed again on this form."""
    blocking = account_data.groups_only_i_lead(request.user)
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and not blocking and form.is_valid():
        user = request.user
        logout(request)
        account_data.delete_account(user=user)
        messages.success(request, "Your account and personal data have been deleted.")
        return redirect("home")
    return render(request, "front/delete_account.html", {"blocking": blocking, "form": form})
