"""What partners put in the reps' queue (groups.review_queue): partner suggestions."""

from groups.review_queue import Reviewer, SectionKind, register

from .models import PartnerKind, PartnerSuggestion


def waiting_suggestions(reviewer: Reviewer, now):
    return (
        PartnerSuggestion.objects.filter(
            status=PartnerSuggestion.Status.PENDING, area_id__in=reviewer.area_ids
        )
        .select_related("area", "kind", "group", "suggested_by")
        .order_by("created_at", "pk")
    )


def register_sections() -> None:
    register(
        SectionKind(
            key="suggestions",
            order=30,
            title="partner suggestions",
            template="partners/_review_suggestions.html",
            waiting=waiting_suggestions,
            # Accepting a suggestion needs its kind; one list serves every form.
            extra=lambda: {"partner_kinds": list(PartnerKind.objects.all())},
        )
    )
