from celery import shared_task

from . import reminders


# Named as when reminders lived in the core, so beat's schedule and queued ticks still work.
@shared_task(name="portal.tasks.reminder_tick")
def reminder_tick() -> dict[str, int]:
    """Beat: schedule and send event reminders that are due (events.reminders)."""
    return reminders.run_reminder_tick()
