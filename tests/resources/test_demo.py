import pytest
from django.core.management import call_command

from events.models import Event
from resources.models import Module, Resource


@pytest.mark.django_db
def test_seed_demo_creates_resources_curriculum_and_a_proposal(settings, weasyprint):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    published = Resource.objects.published()
    assert {r.slug: r.kind for r in published} == {
        "peace-week-slogans": "slogans",
        "peace-week-leaflet": "leaflet",
        "lift-the-ban-briefing": "briefing",
        "how-derby-ran-peace-week": "example",
    }
    slogans = Resource.objects.get(slug="peace-week-slogans")
    assert slogans.slogan_list[:2] == ["Build Homes Not Bombs", "Welcome Refugees"]
    leaflet_files = Resource.objects.get(slug="peace-week-leaflet").files.all()
    assert [f.versions.get().format for f in leaflet_files] == ["pdf"]
    briefing = Resource.objects.get(slug="lift-the-ban-briefing")
    assert list(briefing.campaigns.values_list("slug", flat=True)) == ["lift-the-ban"]
    assert Module.objects.count() == 3
    training = Event.objects.get(modules__isnull=False)
    assert (training.group.slug, training.kind) == ("derby", Event.Kind.TRAINING)
    proposal = Event.objects.get(status=Event.Status.PROPOSED)
    assert (proposal.group.slug, proposal.host.email) == ("derby", "activist@example.org")
