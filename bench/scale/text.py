"""Made-up names, titles and text, and small helpers for times and slugs."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.utils.text import slugify

# --- text -----------------------------------------------------------------------------

FIRST_NAMES = [
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Femi",
    "Grace",
    "Hamza",
    "Isla",
    "Jack",
    "Kemi",
    "Leo",
    "Maya",
    "Noor",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
    "Uma",
    "Vik",
    "Wren",
    "Yasmin",
    "Zara",
    "Aidan",
    "Bea",
    "Cai",
    "Dina",
    "Ewan",
    "Fatima",
    "Gus",
    "Hana",
    "Idris",
    "Jo",
    "Kiran",
    "Lena",
    "Mo",
    "Nia",
    "Owen",
    "Pia",
    "Reza",
    "Sian",
    "Tom",
    "Una",
    "Wale",
    "Xin",
    "Yusuf",
    "Zoe",
]
LAST_INITIALS = "ABCDEFGHJKLMNOPRSTWY"
GROUP_VARIANTS = [
    ("{town}", "local"),
    ("{town} North", "local"),
    ("{town} South", "local"),
    ("{town} students", "student"),
    ("{town} youth", "youth"),
    ("{town} East", "local"),
    ("{town} West", "local"),
    ("{town} Central", "local"),
    ("{town} faith network", "network"),
    ("{town} lawyers network", "network"),
]
MEETING_NOTES = [
    "Second Tuesday, 7pm, Friends Meeting House",
    "First Wednesday, 7pm, the Central Library",
    "Last Thursday, 7.30pm, online and at the Unitarian chapel",
    "Every other Monday, 6.30pm, the Students' Union",
    "Third Saturday, 11am, the community centre cafe",
]
LOREM = (
    "We meet every month to plan actions, write letters and welcome new people. "
    "Everyone is welcome, whether you can give an hour a year or an evening a week.\n\n"
    "We work with local refugee charities, faith groups and the council, and we run "
    "stalls, film nights and vigils. **No experience needed.**"
)
PARTNER_KINDS = [
    ("City of Sanctuary", "{town} City of Sanctuary"),
    ("Refugee and asylum support", "{town} Welcomes Refugees"),
    ("Faith", "{town} Multi-Faith Centre"),
    ("Sport", "{town} Football Club Community Trust"),
    ("Trade union", "{town} Trades Council"),
    ("Student", "{town} Students' Union"),
    ("Legal", "{town} Law Centre"),
    ("Community", "{town} Community Food Bank"),
]
TOPICS = [
    "Refugees and asylum",
    "Business and human rights",
    "Individuals at risk",
    "Arms trade",
    "Freedom of expression",
    "Climate justice",
    "Women's rights",
    "Death penalty",
]
NATIONAL_CAMPAIGNS = [
    "Refugees Welcome",
    "Lift the Ban",
    "Think Twice",
    "Ethical Batteries",
    "Individuals at Risk",
    "Business and human rights",
    "Stop the arms trade",
    "Protect the right to protest",
]
LOCAL_CAMPAIGNS = [
    "Make {town} a Council of Sanctuary",
    "{town} MP: back Lift the Ban",
    "{town} businesses: sign the ethical batteries pledge",
    "Safe routes: {town} says Refugees Welcome",
    "{town} council: divest from arms companies",
]
EVENT_TITLES = {
    "workshop": "Letter-writing workshop",
    "talk": "Talk: human rights in {town} today",
    "film": "Film night",
    "performance": "Spoken word for human rights",
    "sport": "Football for Unity",
    "stall": "Street stall",
    "vigil": "Candlelit vigil",
    "meeting": "Monthly meeting",
    "training": "New member training",
    "social": "Social evening",
    "community": "Refugee Week picnic",
    "other": "Open evening",
}
EVENT_KIND_WEIGHTS = {
    "meeting": 30,
    "stall": 14,
    "workshop": 10,
    "social": 8,
    "film": 7,
    "talk": 7,
    "vigil": 5,
    "training": 5,
    "community": 5,
    "performance": 3,
    "sport": 3,
    "other": 3,
}
VENUE_NAMES = [
    "Friends Meeting House",
    "Central Library",
    "Unitarian Chapel",
    "Community Centre",
    "Students' Union",
    "Arts Centre",
    "Town Hall",
    "Multi-faith Centre",
    "The Crown (upstairs room)",
    "Quaker Meeting House",
]


def _ts(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _day(epoch: float) -> date:
    return _ts(epoch).date()


class _Slugs:
    """Unique slugs: the first of a name gets it bare, later ones a number."""

    def __init__(self, max_length: int):
        self.seen: set[str] = set()
        self.max_length = max_length

    def make(self, text: str) -> str:
        base = slugify(text)[: self.max_length - 8] or "x"
        slug, n = base, 1
        while slug in self.seen:
            n += 1
            slug = f"{base}-{n}"
        self.seen.add(slug)
        return slug
