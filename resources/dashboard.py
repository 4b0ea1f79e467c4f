"""The "My learning" block of My portal: the learning-record question when it is waiting,
modules done, and self-study modules still open. Three queries at most."""

from .models import Completion, LearningRecordChoice, Module

SHOWN = 10


def my_portal_block(request) -> dict:
    user = request.user
    choice = LearningRecordChoice.objects.filter(user=user).first()
    keeps = bool(choice and choice.keep_record)
    done = []
    if keeps:
        done = list(Completion.objects.filter(user=user).select_related("module")[:SHOWN])
    return {
        "ask": choice is not None and choice.keep_record is None and choice.asked_at is not None,
        "keeps_record": keeps,
        "done": done,
        "self_study": list(
            Module.objects.filter(is_active=True, self_study=True)
            .exclude(completions__user=user)
            .order_by("position", "title")[:SHOWN]
        ),
    }
