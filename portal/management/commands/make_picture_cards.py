from django.core.management.base import BaseCommand, CommandError

from portal.images import make_missing_cards, picture_models


class Command(BaseCommand):
    help = (
        "Cut the 640 × 360 card rendition of every picture (events, festivals, campaigns, "
        "groups) that has none. Safe to run again; exits non-zero if any picture failed."
    )

    def handle(self, *args, **options):
        failures = []
        for model in picture_models():
            made, failed = make_missing_cards(model)
            plural = model._meta.verbose_name_plural
            self.stdout.write(f"{plural}: {made} card(s) cut, {len(failed)} failed")
            failures += failed
        for line in failures:
            self.stderr.write(f"Not cut: {line}")
        if failures:
            raise CommandError(f"{len(failures)} picture(s) could not be cut; see above.")
