"""What cases hold about a person, for the data download and erasure (front.account_data).

A person's letters, messages and the cases they acted on are theirs. Erasing them keeps
the counts: a counted letter stays as an anonymous row; a message that was passed on
stays, signed only "A supporter"; a message not yet moderated is withdrawn. Printed
letters' texts go."""

from django.db import transaction
from django.db.models import F

from portal.models import User

from .models import AppealLetter, Case, CaseParticipant, SolidarityMessage


def personal_data(user: User) -> dict[str, list[dict]]:
    """Three queries."""
    return {
        "case_letters": [
            {
                "case": letter.urgent_action.case.public_name,
                "urgent_action": letter.urgent_action.reference,
                "to": str(letter.target),
                "method": letter.method,
                "status": letter.status,
                "text_kept_for_printing": letter.body,
                "created_at": letter.created_at,
                "counted_at": letter.counted_at,
            }
            for letter in AppealLetter.objects.filter(user=user).select_related(
                "urgent_action__case", "target"
            )
        ],
        "solidarity_messages": [
            {
                "case": message.case.public_name,
                "signed": message.signature,
                "surname": message.surname,
                "message": message.body,
                "status": message.status,
                "created_at": message.created_at,
            }
            for message in SolidarityMessage.objects.filter(user=user).select_related("case")
        ],
        "cases_acted_on": [
            {"case": participant.case.public_name, "since": participant.first_acted_at}
            for participant in CaseParticipant.objects.filter(user=user).select_related("case")
        ],
    }


@transaction.atomic
def erase(user: User) -> None:
    """Before the account is deleted (CaseParticipant rows go with it)."""
    AppealLetter.objects.filter(user=user).update(user=None, body="")
    SolidarityMessage.objects.filter(user=user, status=SolidarityMessage.Status.PENDING).delete()
    SolidarityMessage.objects.filter(user=user).update(
        user=None, first_name="A supporter", surname="", show_surname=False, place=""
    )
    acted = CaseParticipant.objects.filter(user=user).values("case_id")
    Case.objects.filter(pk__in=acted, people_count__gt=0).update(people_count=F("people_count") - 1)
