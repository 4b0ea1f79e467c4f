import importlib
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from kombu import Connection

from . import account_data
from . import home as home_data
from .forms import DeleteAccountForm, ProfileForm
from .privatecache import cached_private_page
from .ratelimit import ratelimit
from .search import search_all

log = logging.getLogger(__name__)


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
        "areas": home_data.groups_per_area(),
    }
    return render(request, "portal/home.html", context)


def search(request):
    text, sections = search_all(request.GET.get("q", ""), request.user)
    return render(
        request,
        "portal/search.html",
        {"query": text, "sections": sections, "asked": "q" in request.GET},
    )


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


# Each app that adds a block to My portal has <app>/dashboard.py with
# my_portal_block(request) -> dict, rendered by templates/<app>/_my_portal.html.
MY_PORTAL_APPS = ["portal", "groups", "campaigns", "events"]


def _my_portal_blocks(request) -> list[dict]:
    blocks = []
    for app in MY_PORTAL_APPS:
        try:
            module = importlib.import_module(f"{app}.dashboard")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.dashboard":
                raise
            continue
        blocks.append({"template": f"{app}/_my_portal.html", **module.my_portal_block(request)})
    return blocks


@login_required
def my_portal(request):
    # Cached per person for PAGE_CACHE_SECONDS and made stale by any POST.
    return cached_private_page(
        request,
        name="my_portal",
        vary="",
        seconds=settings.PAGE_CACHE_SECONDS,
        template="portal/my_portal.html",
        context=lambda: {"blocks": _my_portal_blocks(request)},
    )


@login_required
def profile(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            user.display_name = form.cleaned_data["display_name"]
            user.postcode_district = form.cleaned_data["postcode_district"]
            user.save(update_fields=["display_name", "postcode_district"])
            messages.success(request, "Your profile is saved.")
            return redirect("profile")
    else:
        form = ProfileForm(
            initial={"display_name": user.display_name, "postcode_district": user.postcode_district}
        )
    return render(request, "portal/profile.html", {"form": form})


@login_required
def my_data(request):
    return render(request, "portal/my_data.html")


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
    return render(request, "portal/delete_account.html", {"blocking": blocking, "form": form})


def privacy(request):
    return render(
        request, "portal/privacy.html", {"outbox_retention_days": settings.OUTBOX_RETENTION_DAYS}
    )


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        log.exception("healthz: database check failed")
        return False


def _broker_ok() -> bool:
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=2,
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        log.exception("healthz: broker check failed")
        return False


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    ok = all(checks.values())
    body = {"status": "ok" if ok else "fail"}
    body.update({name: "ok" if good else "down" for name, good in checks.items()})
    return JsonResponse(body, status=200 if ok else 503)
