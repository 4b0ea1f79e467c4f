from django import forms

from .models import Follow

BODY_MAX = 10000


class ThreadForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Message",
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown: **bold**, *italic*, [links](https://example.org), lists.",
    )


class PostForm(forms.Form):
    body = forms.CharField(
        label="Your reply",
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown. You can edit it for 15 minutes.",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept with the post; moderators see it.",
    )


class FollowForm(forms.Form):
    mode = forms.ChoiceField(choices=[("", "The default"), *Follow.Mode.choices], required=False)
    delivery = forms.ChoiceField(choices=Follow.Delivery.choices, required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label="Search conversations", max_length=100, required=False)
