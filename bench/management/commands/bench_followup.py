import resource
import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from cases import followups, services
from cases.models import Case, CaseParticipant
from portal import bulk
from portal.models import BulkRun, OutboxMessage, User


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Benchmark: generate people who acted on a case, publish a follow-up, plan it and "
        "queue every batch in the outbox; print recipients per second and peak memory. "
        "Everything is rolled back unless --keep."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=100_000)
        parser.add_argument("--keep", action="store_true", help="Keep the generated rows.")

    def handle(self, *args, people, keep, **options):
        try:
            with transaction.atomic():
                self._bench(people)
                if not keep:
                    raise Rollback
        except Rollback:
            self.stdout.write("Generated rows rolled back.")

    def _bench(self, people):
        now = timezone.now()
        tag = f"bench{int(now.timestamp())}"
        started = time.perf_counter()
        password = make_password(None)
        users = User.objects.bulk_create(
            (
                User(
                    email=f"{tag}-{n}@example.org",
                    display_name=f"Writer {n}",
                    password=password,
                    email_verified=True,
                )
                for n in range(people)
            ),
            batch_size=5000,
        )
        case = Case.objects.create(
            slug=tag,
            real_name=f"{tag} person",
            country="Ruritania",
            headline="Benchmark",
            story="x",
            risk="x",
            is_published=True,
            published_at=now,
        )
        CaseParticipant.objects.bulk_create(
            (CaseParticipant(case=case, user=user) for user in users), batch_size=5000
        )
        staff = users[0]
        self.stdout.write(
            f"Generated {people} people who acted in {time.perf_counter() - started:.1f} s"
        )
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        update = services.publish_update(
            case=case, author=staff, title="Released!", body="Home at last. **Thank you.**"
        )
        run = bulk.plan_run(
            run_id=BulkRun.objects.get(kind=followups.KIND, key=f"update-{update.pk}").pk
        )
        planned = time.perf_counter() - started
        batches = list(run.batches.values_list("pk", flat=True))
        for batch_id in batches:
            bulk.build_batch(batch_id=batch_id)
        elapsed = time.perf_counter() - started
        queued = OutboxMessage.objects.filter(
            dedupe_key__startswith=f"cases-update:{update.pk}:"
        ).count()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            f"Follow-up: {run.recipients} recipients in {len(batches)} batches (planned in "
            f"{planned:.1f} s), {queued} queued in {elapsed:.1f} s: "
            f"{queued / elapsed:.0f} recipients/s; peak RSS {peak_mb:.0f} MB "
            f"({rss_before / 1024:.0f} MB before sending)"
        )
