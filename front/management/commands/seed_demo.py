import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from campaigns import demo as campaigns_demo
from cases import demo as cases_demo
from conversations import demo as conversations_demo
from events import demo as events_demo
from groups import demo as groups_demo
from guests import demo as guests_demo
from partners import demo as partners_demo
from portal import pagecache
from portal.demo import DEMO_ACCOUNTS, seed_accounts
from resolutions import demo as resolutions_demo
from resources import demo as resources_demo

# Imports flow one way (see DESIGN.md), so demo data is seeded in the same order: each
# app's demo may use what the apps below it made.
DEMO_MODULES = [
    groups_demo,
    partners_demo,
    campaigns_demo,
    resources_demo,
    cases_demo,
    events_demo,
    resolutions_demo,
    guests_demo,
    conversations_demo,
]


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
        for module in DEMO_MODULES:
            module.seed(accounts=accounts)
            self.stdout.write(f"  demo data: {module.__name__.split('.')[0]}")
        pagecache.bump_everything()
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {password}):"))
        for role, (email, _name, _district) in DEMO_ACCOUNTS.items():
            self.stdout.write(f"  {role:<9} {email}")
        self.stdout.write(
            "  (rep and staff set up two-factor sign-in with an authenticator app on first use)"
        )
