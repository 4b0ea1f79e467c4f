"""Demo data for Individuals at Risk: three plainly fictional cases in fictional countries.
One released, one with an urgent action closing soon (its real name hidden, adopted by
Derby), one paused for the person's safety.

Idempotent: rows are found by slug or reference, and the counts recomputed from the rows.
No emails are queued."""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from groups.models import LocalGroup

from .models import (
    AppealLetter,
    Case,
    CaseAdoption,
    CaseParticipant,
    CaseUpdate,
    SolidarityMessage,
    Target,
    Theme,
    UrgentAction,
)

log = logging.getLogger(__name__)

THEMES = {
    "freedom-of-expression": "Freedom of expression",
    "human-rights-defenders": "Human rights defenders",
    "prisoners-of-conscience": "Prisoners of conscience",
    "unfair-trials": "Unfair trials",
}
FICTIONAL = "This is a fictional case, made up for the demo."


def _case(slug: str, themes: list[str], **fields) -> Case:
    case, _ = Case.objects.update_or_create(slug=slug, defaults={"is_published": True, **fields})
    case.themes.set(Theme.objects.filter(slug__in=themes))
    return case


def _action(case: Case, reference: str, targets: list[dict], **fields) -> UrgentAction:
    urgent_action, _ = UrgentAction.objects.update_or_create(
        reference=reference, defaults={"case": case, **fields}
    )
    for position, target in enumerate(targets):
        Target.objects.update_or_create(
            urgent_action=urgent_action,
            name=target["name"],
            defaults={**target, "position": position},
        )
    return urgent_action


def recount(cases: list[Case]) -> None:
    """Set every maintained count from the rows it counts (the services keep them in step
    as things happen; seeding writes rows directly)."""
    counted = [AppealLetter.Status.SENT, AppealLetter.Status.POSTED]
    for case in Case.objects.filter(pk__in=[c.pk for c in cases]):
        tallies = case.offline_tallies.aggregate(letters=Sum("letters"), cards=Sum("cards"))
        Case.objects.filter(pk=case.pk).update(
            letters_online=AppealLetter.objects.filter(
                urgent_action__case=case, status__in=counted
            ).count(),
            letters_offline=tallies["letters"] or 0,
            cards_offline=tallies["cards"] or 0,
            messages_approved=case.solidarity_messages.filter(status="approved").count(),
            people_count=CaseParticipant.objects.filter(case=case).count(),
            groups_count=CaseAdoption.objects.filter(case=case).count(),
        )
    for urgent_action in UrgentAction.objects.filter(case__in=cases).annotate(
        n=Count("letters", filter=Q(letters__status__in=counted))
    ):
        UrgentAction.objects.filter(pk=urgent_action.pk).update(letter_count=urgent_action.n)


@transaction.atomic
def seed(*, accounts: dict) -> None:
    derby = LocalGroup.objects.filter(slug="derby").first()
    if derby is None:
        log.warning("cases demo skipped: the groups demo (derby) is missing")
        return
    for slug, name in THEMES.items():
        Theme.objects.update_or_create(slug=slug, defaults={"name": name})
    now, today = timezone.now(), timezone.localdate()

    released = _case(
        "jonah-vell",
        ["freedom-of-expression", "prisoners-of-conscience"],
        real_name="Jonah Vell",
        country="Freedonia",
        headline="A cartoonist jailed for drawing the president, now free.",
        story=(
            f"{FICTIONAL}\n\nJonah Vell drew a cartoon of Freedonia's president as a "
            "duck. He was arrested the next morning and sentenced to three years for "
            '"insulting the nation".'
        ),
        risk="Three years in prison for a cartoon.",
        status=Case.Status.RELEASED,
        status_changed_at=now - timedelta(days=5),
        published_at=now - timedelta(days=120),
    )
    _action(
        released,
        "UA 31/26",
        [
            {
                "name": "Rufus T. Firefly",
                "title": "President of Freedonia",
                "salutation": "Dear President",
                "address": "Presidential Palace\n1 Marx Avenue\nFreedonia City\nFreedonia",
                "email": "",
                "language": "English",
            }
        ],
        title="Free the cartoonist",
        issued_on=today - timedelta(days=90),
        deadline=today - timedelta(days=50),
        recommended_actions="Ask the President to release Jonah Vell **at once**.",
        letter_template=(
            "I am writing to ask you to release Jonah Vell at once and without conditions. "
            "Drawing a cartoon is not a crime."
        ),
    )
    CaseUpdate.objects.update_or_create(
        case=released,
        title="Released!",
        defaults={
            "body": "Jonah Vell walked free this week. **Thank you** to everyone who wrote.",
            "new_status": Case.Status.RELEASED,
            "notify": False,
            "published_at": now - timedelta(days=5),
        },
    )

    student = _case(
        "student-n",
        ["human-rights-defenders", "unfair-trials"],
        real_name="Nadia Quill",
        hide_real_name=True,
        pseudonym="Student N.",
        country="Ruritania",
        headline="A student facing trial for organising a peaceful sit-in.",
        story=(
            f"{FICTIONAL}\n\nStudent N. organised a sit-in for lower tuition fees at the "
            "University of Strelsau. We do not publish her name: her family has asked us "
            "not to, for their safety."
        ),
        risk="Up to ten years in prison; she has been denied a lawyer of her choice.",
        status=Case.Status.ACTIVE,
        status_changed_at=now - timedelta(days=40),
        published_at=now - timedelta(days=40),
    )
    _action(
        student,
        "UA 58/26",
        [
            {
                "name": "Colonel Sapt",
                "title": "Prosecutor General of Ruritania",
                "salutation": "Dear Prosecutor General",
                "address": "Office of the Prosecutor General\n3 Castle Hill\nStrelsau\nRuritania",
                "email": "prosecutor-general@ruritania.example",
                "language": "English or German",
            },
            {
                "name": "Count Rupert",
                "title": "Ambassador of Ruritania",
                "salutation": "Your Excellency",
                "address": "Embassy of Ruritania\n12 Zenda Gardens\nLondon",
                "email": "",
                "language": "English",
            },
        ],
        title="Drop the charges against Student N.",
        issued_on=today - timedelta(days=12),
        deadline=today + timedelta(days=9),
        recommended_actions=(
            "Write to the Prosecutor General:\n\n"
            "- ask that the charges be dropped;\n"
            "- ask that she see a lawyer of her choice."
        ),
        letter_template=(
            "I am writing about the student held since the sit-in at the University of "
            "Strelsau. Please drop the charges against her, and let her see a lawyer of "
            "her choice."
        ),
    )
    CaseAdoption.objects.get_or_create(
        case=student, group=derby, defaults={"adopted_by": accounts["lead"]}
    )
    activist = accounts["activist"]
    SolidarityMessage.objects.get_or_create(
        case=student,
        user=activist,
        defaults={
            "first_name": "Amira",
            "place": "Derby, UK",
            "body": "Stay strong. Students in Derby are thinking of you.",
        },
    )
    CaseParticipant.objects.get_or_create(case=student, user=activist)

    paused = _case(
        "teo-marsh",
        ["human-rights-defenders"],
        real_name="Teo Marsh",
        country="Elbonia",
        headline="A land rights defender; action is paused while he is moved.",
        story=f"{FICTIONAL}\n\nTeo Marsh defends farmers whose land was taken for a mine.",
        risk="Threats against him and his family.",
        status=Case.Status.PAUSED,
        status_changed_at=now - timedelta(days=2),
        published_at=now - timedelta(days=60),
    )
    _action(
        paused,
        "UA 44/26",
        [
            {
                "name": "Minister of Mines",
                "title": "Minister",
                "salutation": "Dear Minister",
                "address": "Ministry of Mines\nMud Street\nElbonia",
                "email": "",
                "language": "English",
            }
        ],
        title="Protect the land defender",
        issued_on=today - timedelta(days=20),
        deadline=today + timedelta(days=20),
        recommended_actions="Ask the Minister to protect Teo Marsh and his family.",
        letter_template="I am writing to ask you to protect Teo Marsh and his family.",
    )
    recount([released, student, paused])
