import contextlib
import resource
import time
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from campaigns.models import Action, Campaign, CampaignSupporter, CampaignUpdate
from events.models import Event
from front import digests
from groups.models import Area, LocalGroup, Membership, Region
from portal import bulk
from portal.models import BulkRun, OutboxMessage, User


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Benchmark: generate a membership, build and queue the weekly activist digest, print "
        "recipients per second and peak memory. Everything is rolled back unless --keep."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=10_000)
        parser.add_argument("--group-size", type=int, default=50)
        parser.add_argument("--keep", action="store_true", help="Keep the generated rows.")
        parser.add_argument(
            "--queries",
            action="store_true",
            help="Also print the statements that took the most time while building, by shape.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=settings.DIGEST_BATCH_SIZE,
            help="Recipients per batch (DIGEST_BATCH_SIZE, %(default)s by default).",
        )

    def handle(self, *args, members, group_size, keep, batch_size, queries, **options):
        settings.DIGEST_BATCH_SIZE = batch_size
        self.statements = defaultdict(lambda: [0, 0.0]) if queries else None
        try:
            with transaction.atomic():
                self._bench(members, group_size)
                if not keep:
                    raise Rollback
        except Rollback:
            self.stdout.write("Generated rows rolled back.")
        if queries:
            slowest = sorted(self.statements.items(), key=lambda kv: -kv[1][1])[:15]
            for shape, (count, seconds) in slowest:
                self.stdout.write(f"{seconds:7.2f} s {count:6d}x  {shape}")

    def _timed_statement(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            entry = self.statements[" ".join(sql.split())[:150]]
            entry[0] += 1
            entry[1] += time.perf_counter() - started

    def _bench(self, members, group_size):
        now = timezone.now()
        tag = f"bench{int(now.timestamp())}"
        started = generate_started = time.perf_counter()
        region = Region.objects.create(name=tag, slug=tag)
        area = Area.objects.create(region=region, name=tag, slug=tag)
        groups = LocalGroup.objects.bulk_create(
            LocalGroup(
                area=area,
                name=f"{tag} group {n}",
                slug=f"{tag}-g{n}",
                town="Derby",
                postcode_district="DE1",
                latitude=52.92,
                longitude=-1.47,
            )
            for n in range(max(members // group_size, 1))
        )
        password = make_password(None)
        users = User.objects.bulk_create(
            (
                User(
                    email=f"{tag}-{n}@example.org",
                    display_name=f"Member {n}",
                    password=password,
                    email_verified=True,
                    postcode_district="DE1",
                    campaign_digest_consent_at=now,
                )
                for n in range(members)
            ),
            batch_size=2000,
        )
        Membership.objects.bulk_create(
            (Membership(group=groups[n % len(groups)], user=u) for n, u in enumerate(users)),
            batch_size=2000,
        )
        campaign = Campaign.objects.create(
            title=tag,
            slug=tag,
            summary="Benchmark",
            target_name="Someone",
            target_kind=Campaign.TargetKind.OTHER,
            goal="Measure",
            status=Campaign.Status.ACTIVE,
            scope=Campaign.Scope.NATIONAL,
        )
        CampaignSupporter.objects.bulk_create(
            (CampaignSupporter(campaign=campaign, user=u) for u in users), batch_size=2000
        )
        CampaignUpdate.objects.create(campaign=campaign, title="News", body="x", created_at=now)
        for kind in (Action.Kind.SIGN, Action.Kind.PLEDGE):
            Action.objects.create(campaign=campaign, kind=kind, title=f"{kind} for {tag}")
        Event.objects.bulk_create(
            Event(
                title=f"Meeting of {g.name}",
                slug=f"{g.slug}-meeting",
                group=g,
                starts_at=now + timedelta(days=3),
                ends_at=now + timedelta(days=3, hours=2),
                status=Event.Status.PUBLISHED,
            )
            for g in groups
        )
        # The planner's statistics, as a production database's autovacuum keeps them: without
        # them it takes the freshly filled tables for empty and scans 100,000 supporters per
        # batch (about 45 ms a batch here).
        with connection.cursor() as cursor:
            for model in (User, Membership, LocalGroup, CampaignSupporter, Event):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        self.stdout.write(
            f"Generated {members} members in {len(groups)} groups in "
            f"{time.perf_counter() - started:.1f} s"
        )
        # Only the generated people: a weekly run for everyone else is not ours to build.
        BulkRun.objects.filter(key=tag[:10]).delete()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        bulk.PHASE_SECONDS.clear()
        started, cpu = time.perf_counter(), time.process_time()
        run = digests.plan_run(
            kind=digests.Kind.ACTIVIST_WEEKLY, period=tag[-10:], since=now - timedelta(days=7)
        )
        batches = list(run.batches.values_list("pk", flat=True))
        with contextlib.ExitStack() as stack:
            if self.statements is not None:
                stack.enter_context(connection.execute_wrapper(self._timed_statement))
            for batch_id in batches:
                bulk.build_batch(batch_id=batch_id)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        queued = OutboxMessage.objects.filter(dedupe_key__endswith=f":{tag[-10:]}").count()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            f"Weekly digest: {run.recipients} recipients (all consenting people in the database) "
            f"in {len(batches)} batches of {settings.DIGEST_BATCH_SIZE}, {queued} queued, "
            f"{elapsed:.1f} s: "
            f"{run.recipients / elapsed:.0f} recipients/s ({cpu:.1f} s of CPU in this process, "
            f"{run.recipients / cpu:.0f} recipients per CPU second); peak RSS {peak_mb:.0f} MB "
            f"({rss_before / 1024:.0f} MB before building)"
        )
        phases = ", ".join(
            f"{name} {wall:.1f} s ({cpu:.1f} s CPU)"
            for name, (wall, cpu) in bulk.PHASE_SECONDS.items()
        )
        self.stdout.write(
            f"Phases (wall, and this process's CPU): {phases}; building includes contexts and "
            f"rendering. Generating and building together: "
            f"{time.perf_counter() - generate_started:.1f} s"
        )
