"""One search across groups, campaigns, events, festivals, partners and resolutions.

On PostgreSQL: English full-text search (title weighted over body) ranked with ts_rank,
plus pg_trgm word similarity on the title so that small typos still match; both backed by
GIN indexes created in portal/migrations/0002_search_indexes.py on the expression
portal.fulltext.search_vector. On SQLite: every word
must appear in the title or body (icontains)."""

import html
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Q, QuerySet
from django.utils.safestring import SafeString, mark_safe

from campaigns.models import Campaign
from cases.models import Case
from events.models import Event, Festival
from groups.models import LocalGroup
from partners.models import Partner
from portal.fulltext import search_vector
from resolutions.models import Resolution

MAX_QUERY_LENGTH = 100
PER_KIND = 8
WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Searchable:
    key: str
    label: str
    title_field: str
    body_field: str


SEARCHABLES = [
    Searchable("groups", "Groups", "name", "description"),
    Searchable("campaigns", "Campaigns", "title", "summary"),
    # The public name only: the search must never find a case by a hidden real name.
    Searchable("cases", "Individuals at Risk", "public_name", "headline"),
    Searchable("events", "Events", "title", "description"),
    Searchable("festivals", "Festivals", "name", "description"),
    Searchable("partners", "Partners", "name", "description"),
    Searchable("resolutions", "Resolutions", "title", "resolves"),
]


def clean_query(raw: str) -> str:
    words = WORD.findall((raw or "")[: MAX_QUERY_LENGTH * 2])
    return " ".join(words)[:MAX_QUERY_LENGTH].strip()


def visible_querysets(user) -> dict[str, QuerySet]:
    events = Event.objects.published().select_related("group", "venue")
    if user.is_authenticated:
        events = events.filter(
            Q(visibility=Event.Visibility.PUBLIC)
            | Q(group__memberships__user=user, group__memberships__left_at__isnull=True)
        ).distinct()
    else:
        events = events.filter(visibility=Event.Visibility.PUBLIC)
    return {
        "groups": LocalGroup.objects.active().select_related("area"),
        "campaigns": Campaign.objects.public(),
        "cases": Case.objects.published(),
        "events": events,
        "festivals": Festival.objects.filter(status=Festival.Status.PUBLISHED),
        "partners": Partner.objects.active().select_related("kind"),
        # Drafts are private to their proposer and group leads: never searched.
        "resolutions": Resolution.objects.public(),
    }


def _postgres_search(queryset: QuerySet, searchable: Searchable, text: str) -> QuerySet:
    query = SearchQuery(text, config="english", search_type="websearch")
    vector = search_vector(searchable.title_field, searchable.body_field)
    title = searchable.title_field
    return (
        queryset.annotate(_vector=vector)
        .filter(Q(_vector=query) | Q(**{f"{title}__trigram_word_similar": text}))
        .annotate(_rank=SearchRank(F("_vector"), query))
        .order_by("-_rank", title)
    )


def _fallback_search(queryset: QuerySet, searchable: Searchable, text: str) -> QuerySet:
    for word in text.split():
        queryset = queryset.filter(
            Q(**{f"{searchable.title_field}__icontains": word})
            | Q(**{f"{searchable.body_field}__icontains": word})
        )
    return queryset.order_by(searchable.title_field)


def search_all(raw_query: str, user) -> tuple[str, list[dict]]:
    """Returns the cleaned query and, per kind, up to PER_KIND results with a count of
    those shown; kinds without results are left out."""
    text = clean_query(raw_query)
    if not text:
        return "", []
    run = _postgres_search if settings.IS_POSTGRES else _fallback_search
    querysets = visible_querysets(user)
    sections = []
    for searchable in SEARCHABLES:
        results = list(run(querysets[searchable.key], searchable, text)[:PER_KIND])
        if results:
            for obj in results:
                obj.search_title = highlight(getattr(obj, searchable.title_field), text)
                obj.search_snippet = highlight(
                    snippet(getattr(obj, searchable.body_field), text), text
                )
            sections.append({"key": searchable.key, "label": searchable.label, "results": results})
    return text, sections


def snippet(body: str, text: str, width: int = 180) -> str:
    plain = re.sub(r"[#*_`>\[\]()]", "", body or "")
    plain = " ".join(plain.split())
    lowered = plain.lower()
    positions = [lowered.find(w.lower()[:5]) for w in text.split() if len(w) >= 3]
    positions = [p for p in positions if p >= 0]
    start = max(min(positions) - 40, 0) if positions else 0
    piece = plain[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(plain) else "")


def highlight(value: str, text: str) -> SafeString:
    """Escape, then wrap words that start like a query word (a crude stem) in <mark>."""
    escaped = html.escape(value or "")
    stems = sorted({w.lower()[: max(3, len(w) - 2)] for w in text.split() if len(w) >= 3})
    if not stems:
        return mark_safe(escaped)  # noqa: S308 (escaped above)
    pattern = re.compile(r"\b(" + "|".join(re.escape(s) for s in stems) + r")(\w*)", re.I)
    return mark_safe(pattern.sub(r"<mark>\1\2</mark>", escaped))  # noqa: S308 (escaped above)
