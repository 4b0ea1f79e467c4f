"""The guests app's parts on other apps' pages (registered in campaigns' and events'
page slots): the guest forms and the "what next" panel."""

from django import template

from guests import panels, remember

register = template.Library()


def _form(context, form, **shown) -> dict:
    """What every guest form's template needs: the form, what it is for, the remembered
    details (remember me on this device) and the request's CSRF token."""
    request = context["request"]
    return {
        "form": form,
        **shown,
        "remembered": remember.read(request),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("guests/_action_form.html", takes_context=True)
def guest_action_form(context, action):
    form = panels.action_form(context["request"], action)
    return _form(context, form, action=action, campaign=action.campaign)


@register.inclusion_tag("guests/_support_form.html", takes_context=True)
def guest_support_form(context, campaign):
    return _form(context, panels.support_form(context["request"], campaign), campaign=campaign)


@register.inclusion_tag("guests/_rsvp_form.html", takes_context=True)
def guest_rsvp_form(context, event):
    return _form(context, panels.rsvp_form(context["request"], event), event=event)


@register.inclusion_tag("guests/_what_next.html", takes_context=True)
def what_next(context, target):
    user = context["request"].user
    return {"panel": panels.what_next(target, user=user if user.is_authenticated else None)}
