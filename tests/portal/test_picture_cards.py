"""manage.py make_picture_cards: the card renditions of pictures stored before renditions
existed, for every kind, from real image files."""

import io

import pytest
from django.core.management import CommandError, call_command

from campaigns.models import Campaign
from events.models import Event, Festival
from groups.models import LocalGroup
from portal.images import picture_models
from tests.campaigns.factories import CampaignFactory
from tests.events.factories import EventFactory, FestivalFactory
from tests.groups.factories import LocalGroupFactory
from tests.pictures import give_picture, stored

pytestmark = pytest.mark.django_db


def _run() -> tuple[str, str, str | None]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("make_picture_cards", stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


def _summary(counts: dict) -> str:
    return "".join(
        f"{model._meta.verbose_name_plural}: {counts.get(model, (0, 0))[0]} card(s) cut, "
        f"{counts.get(model, (0, 0))[1]} failed\n"
        for model in picture_models()
    )


def test_every_kind_with_a_picture_is_found():
    assert set(picture_models()) == {Event, Festival, Campaign, LocalGroup}


def test_missing_cards_are_cut_for_every_kind_once():
    old = [
        give_picture(factory(), card=False)
        for factory in (EventFactory, FestivalFactory, CampaignFactory, LocalGroupFactory)
    ]
    with_card = give_picture(EventFactory(), card=True)
    card_before = with_card.image_card.name
    without_picture = EventFactory()
    out, err, error = _run()
    assert (out, err, error) == (
        _summary({Event: (1, 0), Festival: (1, 0), Campaign: (1, 0), LocalGroup: (1, 0)}),
        "",
        None,
    )
    for obj in old:
        obj.refresh_from_db()
        fmt, size, _ = stored(obj.image_card)
        assert (fmt, size) == ("WEBP", (640, 360))
        assert obj.image_card.name.startswith(type(obj).image_card.field.upload_to)
    with_card.refresh_from_db()
    without_picture.refresh_from_db()
    assert with_card.image_card.name == card_before
    assert (without_picture.image.name, without_picture.image_card.name) == ("", "")
    # Again: nothing left to cut, nothing changed.
    names = [type(obj).objects.get(pk=obj.pk).image_card.name for obj in old]
    assert _run() == (_summary({}), "", None)
    assert [type(obj).objects.get(pk=obj.pk).image_card.name for obj in old] == names


def test_a_missing_or_corrupt_file_is_reported_and_the_rest_are_cut():
    gone = give_picture(EventFactory(), card=False)
    gone.image.storage.delete(gone.image.name)
    corrupt = give_picture(CampaignFactory(), card=False)
    with corrupt.image.storage.open(corrupt.image.name, "wb") as handle:
        handle.write(b"not a picture at all")
    fine = give_picture(FestivalFactory(), card=False)
    out, err, error = _run()
    assert out == _summary({Event: (0, 1), Festival: (1, 0), Campaign: (0, 1)})
    assert sorted(err.splitlines()) == [
        f"Not cut: campaign {corrupt.pk} ({corrupt.image.name}): "
        "the file is not an image we can read",
        f"Not cut: event {gone.pk} ({gone.image.name}): the file is missing",
    ]
    assert error == "2 picture(s) could not be cut; see above."
    fine.refresh_from_db()
    assert stored(fine.image_card)[:2] == ("WEBP", (640, 360))
    gone.refresh_from_db()
    corrupt.refresh_from_db()
    assert (gone.image_card.name, corrupt.image_card.name) == ("", "")
