"""Model choice fields that refuse ids no database column can hold.

Django passes a posted id straight to the database; SQLite raises OverflowError (a 500)
for an integer beyond 64 bits. These fields turn that into the usual "not a valid
choice" form error on every backend."""

from django import forms
from django.core.exceptions import ValidationError

from portal.geo import PostcodeError, lookup_outcode

MAX_ID = 2**63 - 1


def _too_big(value) -> bool:
    text = str(value).strip().lstrip("+-")
    return text.isdigit() and int(text) > MAX_ID


class BoundedModelChoiceField(forms.ModelChoiceField):
    # Words, not Django's "---------": forms name what the empty choice means when they can.
    def __init__(self, *args, empty_label="None", **kwargs):
        super().__init__(*args, empty_label=empty_label, **kwargs)

    def to_python(self, value):
        if value not in self.empty_values and not self.to_field_name and _too_big(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    # A list of tick boxes: a multiple select needs Ctrl-click, which few people know.
    widget = forms.CheckboxSelectMultiple

    def _check_values(self, value):
        for pk in value:
            if _too_big(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


def postcode_or_error(text: str) -> tuple[str, float, float] | None:
    """A form's postcode box: None when empty, (outcode, lat, lon) when known, otherwise a
    form error with the lookup's own message."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return lookup_outcode(text)
    except PostcodeError as exc:
        raise ValidationError(str(exc)) from None
