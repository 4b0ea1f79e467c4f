import time

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from bench.scale import Generator, Report, plan_for
from groups.models import LocalGroup
from portal import pagecache
from portal.models import User

# Tables emptied by --reset: everything our apps and allauth hold, and sessions.
RESET_APPS = ["portal", "groups", "partners", "campaigns", "events", "account", "sessions"]


class Command(BaseCommand):
    help = (
        "Generate a national-scale dataset on PostgreSQL (12 regions, 600 groups, 200,000 "
        "activists, 60,000 events, 1.5M RSVPs, 2M actions taken at --scale 1) with COPY."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1 = national; e.g. 0.01 for a quick run."
        )
        parser.add_argument("--seed", type=int, default=2027, help="Random seed (repeatable).")
        parser.add_argument(
            "--password",
            default="",
            help="One password shared by every generated account (hashed once). "
            "Without it the accounts cannot sign in with a password.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Empty the portal's tables first (TRUNCATE; everything in them is lost).",
        )

    def handle(self, *args, scale, seed, password, reset, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_scale needs PostgreSQL (it uses COPY); set DATABASE_URL=postgres://..."
            )
        try:
            plan = plan_for(scale)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

        if reset:
            self._truncate()
        elif User.objects.exists() or LocalGroup.objects.exists():
            raise CommandError(
                "The database already has users or groups; seed_scale fills an empty one. "
                "Use --reset to empty it first (this deletes everything in it)."
            )
        report = Report(self.stdout.write)
        report.step(
            f"Plan at scale {scale:g}: "
            + ", ".join(f"{name} {count:,}" for name, count in plan.as_dict().items())
        )
        # One hash for everyone: hashing 200,000 passwords would take hours.
        hashed = make_password(password or None)
        generator = Generator(plan=plan, seed=seed, password=hashed, report=report)
        with transaction.atomic(), connection.cursor() as cursor:
            tally = generator.run(cursor.cursor)
        report.step("VACUUM ANALYZE (planner statistics and the visibility map)")
        started = time.monotonic()
        with connection.cursor() as cursor:
            for table in tally:
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")
        report.step(f"  done in {time.monotonic() - started:.1f}s")
        pagecache.bump_everything()
        self.stdout.write(self.style.SUCCESS("Made:"))
        for table, count in sorted(tally.items(), key=lambda item: -item[1]):
            self.stdout.write(f"  {table:<40} {count:>10,}")
        self.stdout.write(
            self.style.SUCCESS(f"seed_scale finished in {time.monotonic() - report.started:.0f}s")
        )

    def _truncate(self) -> None:
        tables = [
            model._meta.db_table
            for label in RESET_APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if not model._meta.proxy and model._meta.managed
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE "
                + ", ".join(connection.ops.quote_name(t) for t in sorted(set(tables)))
                + " RESTART IDENTITY CASCADE"
            )
        self.stdout.write(f"Emptied {len(set(tables))} tables.")
