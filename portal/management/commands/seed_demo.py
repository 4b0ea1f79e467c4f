import importlib
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import pagecache
from portal.demo import DEMO_ACCOUNTS, seed_accounts

# Imports flow one way (see DESIGN.md), so demo data is seeded in the same order.
APPS_IN_ORDER = ["groups", "partners", "campaigns", "resources", "events"]


class Command(BaseCommand):
    help = "Create or refresh the demo accounts and demo data. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DEBUG off (demo accounts have a published password).",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("Refusing to create demo accounts with DEBUG off.")
        password = os.environ.get("DEMO_PASSWORD", "people-power-demo")
        accounts = seed_accounts(password=password)
        for app in APPS_IN_ORDER:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            module.seed(accounts=accounts)
            self.stdout.write(f"  demo data: {app}")
        pagecache.bump()
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {password}):"))
        for role, (email, _name, _district) in DEMO_ACCOUNTS.items():
            self.stdout.write(f"  {role:<9} {email}")
