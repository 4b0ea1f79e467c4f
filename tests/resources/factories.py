import factory
from django.utils import timezone

from portal import bulk
from portal.models import BulkBatch, BulkRun
from resources import services
from resources.files import check_upload
from resources.models import Module, Resource
from tests.events.conftest import deliver_outbox

from .files import pdf_bytes, upload


class ResourceFactory(factory.django.DjangoModelFactory):
    """A published briefing."""

    class Meta:
        model = Resource

    title = factory.Sequence(lambda n: f"Resource {n}")
    slug = factory.Sequence(lambda n: f"resource-{n}")
    kind = Resource.Kind.BRIEFING
    summary = "What every group should know."
    body = "Some **facts**."
    status = Resource.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    title = factory.Sequence(lambda n: f"Module {n}")
    slug = factory.Sequence(lambda n: f"module-{n}")
    summary = "A module."
    aims = "- Do a thing"


def add_pdf(resource, *, by, title="Briefing (PDF)"):
    return services.add_file(
        resource=resource, title=title, checked=check_upload(upload(pdf_bytes())), by=by
    )


def send_news():
    """What Celery does with the bulk sends started by the services: plan each run, build
    its batches into the outbox, deliver."""

    for run_id in BulkRun.objects.filter(planned_at__isnull=True).values_list("pk", flat=True):
        bulk.plan_run(run_id=run_id)
    pending = BulkBatch.objects.filter(status=BulkBatch.Status.PENDING).order_by("pk")
    for batch_id in pending.values_list("pk", flat=True):
        bulk.build_batch(batch_id=batch_id)
    deliver_outbox()
