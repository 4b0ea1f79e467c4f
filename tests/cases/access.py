"""Who may use each URL of the cases app, and the cases objects of the shared test world."""

from cases import services
from cases.models import SolidarityMessage
from events import services as event_services
from tests.cases.factories import (
    AdoptionFactory,
    CaseFactory,
    CaseUpdateFactory,
    SolidarityMessageFactory,
    TargetFactory,
    UrgentActionFactory,
)
from tests.security.roles import EVERYONE, GET, POST, SIGNED_IN

# The real name of a case whose name must not be published: no role sees it on any page.
REAL_NAME = "Zainab Sentinelhidden"
PSEUDONYM = "Zee"
PRINTED_LETTER = "Printed letter sentinel text"
PENDING_MESSAGE = "Pending message sentinel text"
WRITER_SURNAME = "Writersentinel"

MAY_SEE = {
    REAL_NAME: set(),
    PRINTED_LETTER: {"member"},  # the writer's own print page
    PENDING_MESSAGE: {"staff"},  # the moderation queue
    WRITER_SURNAME: set(),  # writers' names appear nowhere public
}

ACCESS = {
    "cases:list": (GET, EVERYONE),
    "cases:feed": (GET, EVERYONE),
    "cases:figures_csv": (GET, {"staff"}),
    "cases:moderation": (GET, {"staff"}),
    "cases:moderate": (POST, {"staff"}),
    "cases:letter_print": (GET, {"member"}),
    "cases:letter_posted": (POST, {"member"}),
    "cases:detail": (GET, EVERYONE),
    "cases:action": (GET, EVERYONE),
    "cases:write": (GET, SIGNED_IN),
    "cases:message": (GET, SIGNED_IN),
    "cases:adopt": (POST, {"lead", "other_lead"}),
    "cases:unadopt": (POST, {"lead"}),
    "cases:post_update": (GET, {"staff"}),
    "cases:change_status": (POST, {"staff"}),
    "cases:publish": (POST, {"staff"}),
    "cases:batches": (GET, {"staff"}),
    "cases:compile_batch": (POST, {"staff"}),
    "cases:batch_print": (GET, {"staff"}),
}


def extend_world(world) -> dict:
    """A hidden-name case adopted by Derby, with an open urgent action, a printed letter
    and a pending message by the member, a batch of approved messages, an update, and the
    world's past event writing for it."""
    people = world.people
    case = CaseFactory(
        slug="student-z", real_name=REAL_NAME, hide_real_name=True, pseudonym=PSEUDONYM
    )
    urgent_action = UrgentActionFactory(case=case, reference="UA 7/26")
    target = TargetFactory(urgent_action=urgent_action)
    AdoptionFactory(case=case, group=world.group)
    letter = services.print_letter(
        urgent_action=urgent_action, target=target, user=people.member, body=PRINTED_LETTER
    )
    pending = SolidarityMessageFactory(
        case=case, user=people.member, body=PENDING_MESSAGE, surname=WRITER_SURNAME
    )
    approved = SolidarityMessageFactory(
        case=case, user=people.activist, status=SolidarityMessage.Status.APPROVED
    )
    batch = services.compile_batch(case=case, by=people.staff)
    CaseUpdateFactory(case=case, title="Follow-up 1: trial postponed")
    world.past.cases.add(case)
    event_services.file_report(
        event=world.past,
        by=people.lead,
        data={"attendance": 12},
        case_tallies={case: (20, 15)},
    )
    world.case, world.urgent_action, world.target = case, urgent_action, target
    world.letter, world.pending_message, world.approved_message = letter, pending, approved
    return {
        "cases": {
            "slug": case.slug,
            "action_id": urgent_action.pk,
            "target_id": target.pk,
            "number": batch.number,
        },
        "cases:letter_print": {"pk": letter.pk},
        "cases:letter_posted": {"pk": letter.pk},
        "cases:moderate": {"pk": pending.pk},
    }
