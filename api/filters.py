"""OSDI's OData-style filter on dates, so a CRM can fetch what changed since its last sync:

    ?filter=modified_date gt '2027-01-31T12:00:00Z'

Operators gt, ge, lt, le, eq (eq means the same day when given a date)."""

import re
from datetime import UTC, datetime, time, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework.exceptions import ValidationError

FILTER = re.compile(r"^\s*(\w+)\s+(gt|ge|lt|le|eq)\s+'([^']{1,40})'\s*$")
LOOKUPS = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}


def _moment(value: str) -> tuple[datetime, bool]:
    """The moment (UTC unless the value says otherwise) and whether it was a whole day."""
    try:
        if len(value) == 10 and (day := parse_date(value)) is not None:
            return datetime.combine(day, time.min, tzinfo=UTC), True
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError({"filter": [f"“{value}” is not an ISO 8601 date or time."]})
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return moment, False


def apply_date_filter(queryset, raw: str | None, fields: dict[str, str]):
    """Filter queryset by the OSDI expression in raw; fields maps OSDI names (e.g.
    modified_date) to model fields. Anything else is a 400 with the reason."""
    if not raw:
        return queryset
    match = FILTER.match(raw)
    if match is None:
        raise ValidationError(
            {"filter": ["Use the form: modified_date gt '2027-01-31T12:00:00Z'."]}
        )
    name, operator, value = match.groups()
    if name not in fields:
        raise ValidationError(
            {"filter": [f"This list filters on {', '.join(sorted(fields))} only."]}
        )
    field = fields[name]
    moment, whole_day = _moment(value)
    if operator == "eq":
        end = moment + (timedelta(days=1) if whole_day else timedelta(seconds=1))
        return queryset.filter(**{f"{field}__gte": moment, f"{field}__lt": end})
    return queryset.filter(**{f"{field}__{LOOKUPS[operator]}": moment})
