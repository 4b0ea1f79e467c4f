"""Demo data for campaigns: the movement's national campaigns and two local ones."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from groups.models import LocalGroup
from partners.models import Partner
from portal.demo import give_demo_picture

from .models import (
    Action,
    Campaign,
    FundingRequest,
    FundingRequestEntry,
    Outcome,
    Participation,
    Topic,
)

TOPICS = {
    "refugees-and-asylum": "Refugees and asylum",
    "business-and-human-rights": "Business and human rights",
    "individuals-at-risk": "Individuals at risk",
    "climate": "Climate",
    "arms-trade": "Arms trade",
    "tech-and-privacy": "Tech and privacy",
    "discrimination": "Discrimination",
}

SIGN, WRITE, PLEDGE, SHARE = (
    Action.Kind.SIGN,
    Action.Kind.WRITE,
    Action.Kind.PLEDGE,
    Action.Kind.SHARE,
)

# slug, title, summary, goal, target (name, kind, email), topics, partner slugs, body,
# actions [(kind, title, instructions, statement, goal)], outcomes [(days ago, kind, text)]
NATIONAL = [
    (
        "refugees-welcome",
        "Refugees Welcome",
        "Everyone fleeing war and persecution deserves safety, dignity and a warm welcome.",
        "The UK government opens safe and legal routes for people seeking asylum.",
        ("The Home Secretary", Campaign.TargetKind.GOVERNMENT, ""),
        ["refugees-and-asylum"],
        ["birmingham-city-of-sanctuary", "restore", "malvern-welcomes"],
        "Most people who cross the Channel in small boats would be recognised as refugees. "
        "They take that risk because there is no safe way to ask for protection.\n\n"
        "Safe routes, such as family reunion and humanitarian visas, save lives and "
        "undercut smugglers. Local groups across the Midlands welcome new neighbours "
        "every week: now we need the government to do its part.",
        [
            (
                SIGN,
                "Sign: safe routes now",
                "Add your name. We hand the petition in at the Home Office.",
                "I call on the Home Secretary to open safe and legal routes to the UK for "
                "people seeking asylum, including wider family reunion and humanitarian visas.",
                10000,
            ),
            (
                WRITE,
                "Write to the Home Secretary",
                "Edit the letter in your own words: why does a welcome matter where you live?",
                "I am writing as a constituent who believes the UK should offer safety to "
                "people fleeing war and persecution. Please open safe and legal routes, so "
                "that nobody has to risk their life at sea to ask for protection.",
                2000,
            ),
            (
                PLEDGE,
                "Pledge to welcome",
                "",
                "I will volunteer an hour a month with a local refugee welcome project.",
                500,
            ),
            (
                SHARE,
                "Share the campaign",
                "Every new supporter makes us harder to ignore.",
                "",
                5000,
            ),
        ],
        [(40, Outcome.Kind.RESPONSE, "The Home Office replied to our letter hand-in.")],
    ),
    (
        "lift-the-ban",
        "Lift the Ban",
        "People seeking asylum should have the right to work while they wait for a decision.",
        "People seeking asylum get the right to work after six months of waiting.",
        ("The Home Secretary", Campaign.TargetKind.GOVERNMENT, ""),
        ["refugees-and-asylum"],
        ["nottingham-refugee-forum", "east-midlands-unison"],
        "People seeking asylum are barred from work, often for years, and left to live on a "
        "few pounds a day. Lifting the ban would let them use their skills, support their "
        "families and contribute to their communities.\n\n"
        "The Lift the Ban coalition brings together charities, unions, businesses and faith "
        "groups calling for the right to work after six months.",
        [
            (
                SIGN,
                "Sign for the right to work",
                "",
                "People seeking asylum should have the right to work after six months, "
                "unconstrained by the shortage occupation list.",
                20000,
            ),
            (
                WRITE,
                "Ask your MP to back the right to work",
                "Find your MP's address on the Parliament website and send this letter.",
                "I am your constituent and I ask you to support giving people seeking asylum "
                "the right to work after six months. It is good for them, for the economy and "
                "for our communities.",
                1000,
            ),
            (
                PLEDGE,
                "Raise it with your MP",
                "Book a surgery appointment or raise it at a public meeting.",
                "I will raise the right to work with my MP this year.",
                200,
            ),
            (SHARE, "Share Lift the Ban", "", "", 3000),
        ],
        [
            (90, Outcome.Kind.WIN, "Twelve more Midlands councils passed Lift the Ban motions."),
            (30, Outcome.Kind.RESPONSE, "Three Midlands MPs signed the Lift the Ban pledge."),
        ],
    ),
    (
        "think-twice",
        "Think Twice",
        "Think twice before you share: stand up to hate and misinformation about refugees "
        "and minorities, online and off.",
        "Social media companies enforce their own rules against hate speech consistently.",
        ("Social media platforms", Campaign.TargetKind.COMPANY, ""),
        ["discrimination", "tech-and-privacy"],
        [],
        "Hateful posts spread fast and do real harm to real people. Think Twice asks "
        "everyone to check before they share, to call out hate safely, and asks platforms "
        "to apply their own rules.",
        [
            (
                PLEDGE,
                "Take the Think Twice pledge",
                "",
                "I will think twice before I share, and challenge hate when I see it, safely.",
                1000,
            ),
            (
                SIGN,
                "Tell the platforms to enforce their rules",
                "",
                "We ask social media companies to enforce their own policies against hate "
                "speech consistently, quickly and transparently.",
                5000,
            ),
            (SHARE, "Share Think Twice", "", "", 2000),
        ],
        [],
    ),
    (
        "ethical-batteries",
        "The Ethical Batteries initiative",
        "The batteries in our phones and cars must not cost children their childhood.",
        "Electronics and car companies publish and fix the human-rights risks in their "
        "cobalt supply chains.",
        ("Electronics and car makers", Campaign.TargetKind.COMPANY, ""),
        ["business-and-human-rights", "climate"],
        [],
        "Cobalt is mined in dangerous conditions, sometimes by children. The switch to "
        "clean energy must not be built on abuse: companies must know where their cobalt "
        "comes from and put problems right.",
        [
            (
                WRITE,
                "Write to a phone maker",
                "Send the letter to the company that made your phone; most publish a "
                "customer-relations or sustainability address.",
                "As your customer, I ask you to publish a full map of your cobalt supply chain "
                "and to show how you are ending child labour and unsafe mining in it.",
                1500,
            ),
            (
                SIGN,
                "Sign for ethical batteries",
                "",
                "Companies must trace the cobalt in their batteries and end human-rights "
                "abuses in their supply chains.",
                10000,
            ),
            (SHARE, "Share the initiative", "", "", 2000),
        ],
        [
            (
                120,
                Outcome.Kind.RESPONSE,
                "Two car makers published supplier lists after our letters.",
            )
        ],
    ),
    (
        "individuals-at-risk",
        "Individuals at Risk",
        "Letters save lives: write for people imprisoned or threatened for standing up "
        "for human rights.",
        "Human rights defenders at risk are freed and protected.",
        ("The Ambassador", Campaign.TargetKind.GOVERNMENT, "ambassador@embassy.example"),
        ["individuals-at-risk"],
        [],
        "Every year we write for people in danger for what they said, wrote or believed. "
        "A flood of letters tells governments the world is watching, and tells the people "
        "in prison that they are not forgotten.",
        [
            (
                WRITE,
                "Write to the Ambassador",
                "Be polite and firm: letters that are respectful are read.",
                "I am writing to ask you to ensure the immediate release of all people "
                "detained solely for peacefully exercising their right to freedom of "
                "expression, and that they are protected from torture and ill-treatment.",
                3000,
            ),
            (
                PLEDGE,
                "Send a card of solidarity",
                "Write a short, non-political message of hope; we post them together.",
                "I will write a card of solidarity this month.",
                1000,
            ),
            (SHARE, "Share the appeal", "", "", 2000),
        ],
        [(200, Outcome.Kind.WIN, "A student activist we wrote for was released on bail.")],
    ),
    (
        "business-and-human-rights",
        "Business and human rights",
        "Companies must respect human rights wherever they operate, and answer for it "
        "when they don't.",
        "A UK law makes companies prevent human-rights abuses in their supply chains.",
        ("The Business Secretary", Campaign.TargetKind.GOVERNMENT, ""),
        ["business-and-human-rights"],
        ["east-midlands-unison"],
        "Voluntary codes have not stopped forced labour or deadly factory fires. A law on "
        "human-rights due diligence would make companies find and fix abuses, and let "
        "people harmed seek justice in UK courts.",
        [
            (
                SIGN,
                "Sign for a business and human rights law",
                "",
                "I call on the government to introduce a law requiring companies to prevent "
                "human-rights and environmental harms in their operations and supply chains.",
                15000,
            ),
            (
                WRITE,
                "Write to your MP",
                "",
                "Please support a business, human rights and environment law that holds "
                "companies to account for abuses in their supply chains.",
                1000,
            ),
            (SHARE, "Share the campaign", "", "", 2000),
        ],
        [],
    ),
]


def _topics() -> dict[str, Topic]:
    return {
        slug: Topic.objects.update_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in TOPICS.items()
    }


def _actions(campaign: Campaign, actions: list) -> None:
    for position, (kind, title, instructions, statement, goal) in enumerate(actions):
        Action.objects.update_or_create(
            campaign=campaign,
            title=title,
            defaults={
                "kind": kind,
                "instructions": instructions,
                "statement": statement,
                "goal_count": goal,
                "position": position,
            },
        )


def _outcomes(campaign: Campaign, outcomes: list, by) -> None:
    today = timezone.localdate()
    for days_ago, kind, text in outcomes:
        Outcome.objects.update_or_create(
            campaign=campaign,
            summary=text,
            defaults={"date": today - datetime.timedelta(days=days_ago), "kind": kind,
                      "recorded_by": by},
        )  # fmt: skip


def _seed_local(*, accounts: dict, topics: dict[str, Topic]) -> None:
    groups = LocalGroup.objects.in_bulk(["derby", "birmingham"], field_name="slug")
    today = timezone.localdate()
    derby = groups.get("derby")
    if derby is not None:
        campaign, _ = Campaign.objects.update_or_create(
            slug="derby-council-of-sanctuary",
            defaults={
                "title": "Make Derby a Council of Sanctuary",
                "summary": "Ask Derby City Council to commit to welcoming people seeking "
                "sanctuary, with a plan and a named councillor.",
                "body": "Councils of Sanctuary commit to welcome, inclusion and "
                "safety for people seeking sanctuary. Derby has a proud record; "
                "let's make it official.",
                "scope": Campaign.Scope.LOCAL,
                "group": derby,
                "region": None,
                "status": Campaign.Status.ACTIVE,
                "target_name": "Derby City Council",
                "target_kind": Campaign.TargetKind.COUNCIL,
                "goal": "Derby City Council passes a Council of Sanctuary motion this year.",
                "starts_on": today - datetime.timedelta(days=60),
                "proposed_by": accounts.get("lead"),
            },
        )
        campaign.topics.set([topics["refugees-and-asylum"]])
        _actions(
            campaign,
            [
                (
                    SIGN,
                    "Sign the Derby petition",
                    "Derby residents: add your name before the full council meeting.",
                    "We, residents of Derby, ask the City Council to become a Council of "
                    "Sanctuary.",
                    1500,
                ),
                (
                    PLEDGE,
                    "Come to the council meeting",
                    "Fill the public gallery: numbers matter.",
                    "I will attend the full council meeting when the motion is debated.",
                    60,
                ),
            ],
        )
        if not campaign.funding_requests.exists():
            funding = FundingRequest.objects.create(
                campaign=campaign,
                requested_by=accounts.get("lead"),
                amount=Decimal("180.00"),
                purpose="Printing 2,000 leaflets and hiring a stall at the Derby Peace Week "
                "fair to collect signatures.",
                needed_by=today + datetime.timedelta(days=21),
            )
            FundingRequestEntry.objects.create(
                request=funding,
                actor=accounts.get("lead"),
                kind=FundingRequestEntry.Kind.ASKED,
                note=funding.purpose,
            )
        # The proposal waits for the demo lead (a lead of Derby) to decide.
        proposal, _ = Campaign.objects.update_or_create(
            slug="derby-safe-passage-vigil",
            defaults={
                "title": "Derby Stands for Safe Passage",
                "summary": "A monthly vigil and a letter to Derby's MPs asking for safe routes.",
                "scope": Campaign.Scope.LOCAL,
                "group": derby,
                "region": None,
                "status": Campaign.Status.PROPOSED,
                "target_name": "Derby's MPs",
                "target_kind": Campaign.TargetKind.MP,
                "goal": "Both Derby MPs speak up for safe routes in Parliament.",
                "proposed_by": accounts.get("activist"),
                "proposal_reason": "People in Derby keep asking what they can do about deaths "
                "in the Channel. A regular, visible vigil gives them a place to start.",
                "first_action": "A letter to both MPs, signed at the first vigil.",
                "decided_by": None,
                "decided_at": None,
                "decision_reason": "",
            },
        )
        proposal.topics.set([topics["refugees-and-asylum"]])


@transaction.atomic
def seed(*, accounts: dict) -> None:
    topics = _topics()
    partners = Partner.objects.in_bulk(field_name="slug")
    staff = accounts.get("staff")
    for (
        slug,
        title,
        summary,
        goal,
        target,
        topic_slugs,
        partner_slugs,
        body,
        actions,
        outcomes,
    ) in NATIONAL:
        target_name, target_kind, target_email = target
        campaign, _ = Campaign.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "summary": summary,
                "body": body,
                "goal": goal,
                "scope": Campaign.Scope.NATIONAL,
                "region": None,
                "group": None,
                "status": Campaign.Status.ACTIVE,
                "target_name": target_name,
                "target_kind": target_kind,
                "target_email": target_email,
                "is_featured": slug in ("refugees-welcome", "lift-the-ban"),
            },
        )
        campaign.topics.set([topics[t] for t in topic_slugs])
        campaign.partners.set([partners[p] for p in partner_slugs if p in partners])
        _actions(campaign, actions)
        _outcomes(campaign, outcomes, staff)
    _seed_local(accounts=accounts, topics=topics)
    _seed_participations(accounts=accounts)
    # Two campaigns with pictures (generated artwork); the others show the default.
    pictured = Campaign.objects.in_bulk(
        ["lift-the-ban", "derby-council-of-sanctuary"], field_name="slug"
    )
    for seed, campaign in enumerate(pictured.values(), start=1):  # Derby's needs the groups demo
        give_demo_picture(
            campaign, seed=seed, alt="Artwork of overlapping circles", name_stem="campaign"
        )


# Groups running national campaigns locally: slug -> [(group slug, local note)].
PARTICIPATIONS = {
    "lift-the-ban": [
        ("derby", "Monthly stalls on the Market Place and letters to Derby's MPs."),
        ("coventry", "Working with Coventry City of Sanctuary on a council motion."),
    ],
}


def _seed_participations(*, accounts: dict) -> None:
    groups = LocalGroup.objects.in_bulk(field_name="slug")
    for slug, rows in PARTICIPATIONS.items():
        campaign = Campaign.objects.filter(slug=slug).first()
        for group_slug, note in rows:
            if campaign is None or group_slug not in groups:
                continue
            Participation.objects.update_or_create(
                campaign=campaign,
                group=groups[group_slug],
                defaults={"note": note, "joined_by": accounts.get("lead")},
            )
