"""The key pages' queries on the big tables are served by an index that bounds what they
read, on PostgreSQL.

Why this check, and not "the planner picks an index": the test database holds a small
generated dataset (seed_scale at scale 0.005), and on a few hundred rows a sequential scan
is the planner's right answer, so its choice there says nothing about national data. What
does not depend on the size is whether an index *able* to serve the query exists. With
enable_seqscan off, PostgreSQL still plans a Seq Scan when no index matches the query, so a
Seq Scan on a big table means a missing index. An index scan whose conditions are only on
low-cardinality columns (status, visibility, kind...) also reads a fixed share of the whole
table, which grows with the data (e.g. every public event ever held), so each big-table scan
must also be bounded by a selective column (a time, a foreign key, an id). The plans at
national scale are in docs/performance.md (bench/explain.py prints them).
"""

import functools
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Campaign
from events.models import Event
from groups.models import LocalGroup, Membership

pytestmark = pytest.mark.postgres

BIG_TABLES = {
    "events_event",
    "events_rsvp",
    "groups_membership",
    "campaigns_actiontaken",
    "campaigns_campaignsupporter",
    "portal_user",
}
LOW_CARDINALITY = {"status", "visibility", "kind", "role", "mode", "show_name", "is_active"}


@pytest.fixture(scope="module")
def national_shape(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_scale", scale=0.005, seed=11, reset=True, verbosity=0)
        yield
        call_command("flush", interactive=False, verbosity=0)


@functools.cache
def _columns(table: str) -> frozenset[str]:
    with connection.cursor() as cursor:
        return frozenset(
            column.name for column in connection.introspection.get_table_description(cursor, table)
        )


def _scans(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _scans(child)


def _conditions(node: dict) -> str:
    conditions = node.get("Index Cond", "") + node.get("Recheck Cond", "")
    if node["Node Type"] == "Bitmap Heap Scan":
        for child in node.get("Plans", []):
            for scan in _scans(child):
                conditions += scan.get("Index Cond", "")
    return conditions


def unbounded_big_table_scans(sql: str, params) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_seqscan = on")
    plan = plan if isinstance(plan, list) else json.loads(plan)
    problems = []
    for node in _scans(plan[0]["Plan"]):
        table = node.get("Relation Name")
        if table not in BIG_TABLES:
            continue
        if node["Node Type"] == "Seq Scan":
            problems.append(f"Seq Scan on {table}")
            continue
        conditions = _conditions(node)
        columns = set(re.findall(r"[a-z_]+", conditions)) & _columns(table)
        if not (columns - LOW_CARDINALITY):
            problems.append(f"{node['Node Type']} on {table} bounded only by {conditions!r}")
    return problems


def page_problems(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    found = []
    with connection.cursor() as cursor:
        for query in context.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("SAVEPOINT explain")
            problems = unbounded_big_table_scans(sql, None)
            cursor.execute("RELEASE SAVEPOINT explain")
            found += [f"{problem} in: {sql[:90]}" for problem in problems]
    return found


def _biggest_group():
    return LocalGroup.objects.order_by("-member_count", "pk").first()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/events/",
        "/events/?postcode=DE1",
        "/events/?when=past",
        "/events/?when=past&page=3",
        "/groups/",
        "/campaigns/",
        "/partners/",
    ],
)
def test_public_list_pages_use_bounded_indexes(national_shape, client, path):
    assert page_problems(client, path) == []


@pytest.mark.django_db
def test_group_page_uses_bounded_indexes(national_shape, client):
    assert page_problems(client, _biggest_group().get_absolute_url()) == []


@pytest.mark.django_db
def test_event_and_campaign_pages_use_bounded_indexes(national_shape, client):
    event = Event.objects.public().upcoming().order_by("-confirmed_count", "pk").first()
    campaign = Campaign.objects.public().order_by("-supporter_count", "pk").first()
    assert page_problems(client, event.get_absolute_url()) == []
    assert page_problems(client, campaign.get_absolute_url()) == []


@pytest.mark.django_db
def test_my_portal_uses_bounded_indexes(national_shape, client):
    lead = Membership.objects.leads().filter(group=_biggest_group()).first().user
    client.force_login(lead)
    assert page_problems(client, "/me/") == []


@pytest.mark.django_db
@pytest.mark.parametrize("page", [1, 3])
def test_past_events_are_read_in_order_from_an_index_not_sorted(national_shape, client, page):
    """'starts_at < now' bounds the scan only in name (it is every event ever held), so the
    past listing must read events already in order and stop after its page: a Sort node
    over events_event would mean sorting the whole history on every request."""
    with CaptureQueriesContext(connection) as context:
        assert client.get(f"/events/?when=past&page={page}").status_code == 200
    (listing,) = [
        q["sql"]
        for q in context.captured_queries
        if 'ORDER BY "events_event"."starts_at" DESC' in q["sql"]
    ]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + listing)
        plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    nodes = list(_scans(plan[0]["Plan"]))
    assert [n["Node Type"] for n in nodes if n["Node Type"] in {"Sort", "Incremental Sort"}] == []
    assert "event_public_time_idx" in {n.get("Index Name") for n in nodes}
