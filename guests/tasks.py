from celery import shared_task

from . import services


@shared_task(name="guests.purge_expired")
def purge_expired() -> int:
    """Beat, hourly: delete pending guest actions past their expiry (guests.services)."""
    return services.purge_expired()
