"""The guests app's parts on other apps' pages (registered in campaigns' and events'
page slots): the guest forms and the "what next" panel."""

from django import template

from guests import panels, remember

register = template.Library()


@register.inclusion_tag("guests/_action_form.html", takes_context=True)
def guest_action_form(context, action):
    request = context["request"]
    return {
        "form": panels.action_form(request, action),
        "action": action,
        "campaign": action.campaign,
        "remembered": remember.read(request),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("guests/_support_form.html", takes_context=True)
def guest_support_form(context, campaign):
    request = context["request"]
    return {
        "form": panels.support_form(request, campaign),
        "campaign": campaign,
        "remembered": remember.read(request),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("guests/_rsvp_form.html", takes_context=True)
def guest_rsvp_form(context, event):
    request = context["request"]
    return {
        "form": panels.rsvp_form(request, event),
        "event": event,
        "remembered": remember.read(request),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("guests/_what_next.html", takes_context=True)
def what_next(context, target):
    user = context["request"].user
    return {"panel": panels.what_next(target, user=user if user.is_authenticated else None)}
