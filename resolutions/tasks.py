from celery import shared_task

from . import services


@shared_task(name="resolutions.close_short")
def close_short() -> int:
    """Beat, every 15 minutes: close open resolutions whose meeting's deadline has passed."""
    return services.close_short_resolutions()
