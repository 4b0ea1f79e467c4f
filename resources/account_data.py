"""What this app holds about a person, for their data download (front.account_data).
Erasure needs nothing here: choices, completions and subscriptions go with the account
(CASCADE), and resources they submitted stay, without their name (SET_NULL)."""

from django.utils import timezone

from .models import Completion, LearningRecordChoice, Resource, Subscription


def _when(value):
    return timezone.localtime(value).isoformat() if value else None


def personal_data(user) -> dict[str, list[dict]]:
    """Four queries, whatever the person has done."""
    choice = LearningRecordChoice.objects.filter(user=user).first()
    return {
        "learning_record_choice": [
            {
                "keep_record": choice.keep_record,
                "visible_to_region": choice.visible_to_region,
                "asked_at": _when(choice.asked_at),
                "decided_at": _when(choice.decided_at),
            }
        ]
        if choice
        else [],
        "modules_completed": [
            {"module": c.module.title, "how": c.how, "completed_at": _when(c.completed_at)}
            for c in Completion.objects.filter(user=user).select_related("module")
        ],
        "resource_subscriptions": [
            {
                "resource": s.resource.title if s.resource else "",
                "kind": s.kind,
                "since": _when(s.created_at),
            }
            for s in Subscription.objects.filter(user=user).select_related("resource")
        ],
        "resources_submitted": [
            {"title": r.title, "status": r.status, "submitted_at": _when(r.created_at)}
            for r in Resource.objects.filter(submitted_by=user)
        ],
    }
