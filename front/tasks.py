from celery import shared_task

from . import digests


# Named as when digests lived in the core, so beat's schedule and queued ticks still work.
@shared_task(name="portal.tasks.digest_tick")
def digest_tick() -> dict[str, int]:
    """Beat: start the digests due this morning and dispatch their batches."""
    return digests.run_digest_tick()
