from celery import shared_task

from . import reminders


@shared_task(name="cases.deadline_reminders")
def deadline_reminders() -> dict[str, int]:
    """Beat, daily: remind adopting groups' leads a week before an urgent action closes."""
    return reminders.run_deadline_reminders()
