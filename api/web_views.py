"""Pages of the site for the API: a group's tokens, for its leads."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from groups.permissions import group_for_lead

from . import services, webhooks
from .forms import TokenForm, WebhookForm


@login_required
@require_http_methods(["GET", "POST"])
def group_tokens(request, slug):
    """A lead's tokens and webhooks for their group: list, make (a token, or a webhook's
    signing secret, is shown on the answer page, once), revoke."""
    group = group_for_lead(request.user, slug)
    making_hook = request.method == "POST" and "url" in request.POST
    form = TokenForm(None if making_hook else request.POST or None)
    hook_form = WebhookForm(request.POST if making_hook else None)
    secret = hook_secret = None
    if making_hook and hook_form.is_valid():
        try:
            subscription = webhooks.subscribe(
                url=hook_form.cleaned_data["url"],
                events=hook_form.cleaned_data["events"],
                by=request.user,
                group=group,
            )
        except webhooks.WebhookError as refusal:
            hook_form.add_error("url", str(refusal))
        else:
            hook_secret = subscription.secret
            hook_form = WebhookForm()
    elif request.method == "POST" and form.is_valid():
        days = form.cleaned_data["expires_in_days"]
        token, secret = services.create_token(
            name=form.cleaned_data["name"],
            by=request.user,
            scopes=form.cleaned_data["scopes"],
            group=group,
            expires_at=timezone.now() + timedelta(days=days),
        )
        form = TokenForm()
    return render(
        request,
        "api/group_tokens.html",
        {
            "group": group,
            "form": form,
            "secret": secret,
            "hook_form": hook_form,
            "hook_secret": hook_secret,
            "hooks": group.webhooks.all(),
            "tokens": group.api_tokens.select_related("created_by"),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def revoke_group_token(request, slug, pk):
    group = group_for_lead(request.user, slug)
    token = get_object_or_404(group.api_tokens, pk=pk)
    if services.revoke_token(token=token):
        messages.success(request, f"“{token.name}” no longer works.")
    return redirect("api:group_tokens", slug=group.slug)


@login_required
@require_POST
def delete_group_webhook(request, slug, pk):
    group = group_for_lead(request.user, slug)
    subscription = get_object_or_404(group.webhooks, pk=pk)
    webhooks.unsubscribe(subscription=subscription)
    messages.success(request, f"Nothing more will be sent to {subscription.url}.")
    return redirect("api:group_tokens", slug=group.slug)
