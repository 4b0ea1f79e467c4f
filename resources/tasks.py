from celery import shared_task

from . import services
from .models import FileVersion, Resource


@shared_task
def tell_subscribers(resource_id: int, version_id: int | None) -> int:
    """After commit: email the subscribers of a newly published or updated resource."""
    resource = Resource.objects.filter(pk=resource_id).first()
    if resource is None:
        return 0
    version = FileVersion.objects.filter(pk=version_id).first() if version_id else None
    return services.tell_subscribers(resource=resource, version=version)
