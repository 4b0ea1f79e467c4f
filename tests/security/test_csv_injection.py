"""Formula injection: no CSV the portal produces holds a cell a spreadsheet would run.

Every text column of every row of our apps is given a formula-like start, then every page
of the access tables is fetched as a role that may use it, and every CSV among the answers
(and every CSV inside a personal-data ZIP) is read cell by cell. A new CSV download is
walked as soon as its URL has an access rule."""

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Concat, Left
from django.urls import reverse

from portal.csvexport import csv_text, safe_cell
from tests.world import access_rules, build_world, url_for

# What a spreadsheet would run: a formula sign, possibly after blanks.
STARTS = ["=", "+", "-", "@", "\t", "\r", " =", "\u00a0=", "  +", "\uff1d"]
BLANKS = " \u00a0\u3000"
RUNS = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%", "\uff1d", "\uff0b", "\uff0d", "\uff20")
SKIPPED_NAMES = ("slug", "token", "key", "postcode", "password", "email", "url", "hash")


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("  =1+1", "'  =1+1"),
        ("\u00a0=1+1", "'\u00a0=1+1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("Derby =1", "Derby =1"),
        ("", ""),
        (None, ""),
        (-3, -3),
        (2.5, 2.5),
    ],
)
def test_safe_cell_quotes_what_a_spreadsheet_would_run(value, cell):
    assert safe_cell(value) == cell


def test_csv_text_escapes_header_and_cells():
    text = csv_text(["=a", "b"], [["=1", 2]])
    assert list(csv.reader(io.StringIO(text))) == [["'=a", "b"], ["'=1", "2"]]


def _ours(model) -> bool:
    path = Path(model._meta.app_config.path)
    return path.is_relative_to(settings.BASE_DIR) and "site-packages" not in path.parts


def poison_every_text_column() -> int:
    """Prefix every free-text column of every row of our apps with a formula start."""
    touched = 0
    for model in apps.get_models():
        if not _ours(model) or model._meta.proxy:
            continue
        updates = {}
        for field in model._meta.concrete_fields:
            if (
                not isinstance(field, models.CharField | models.TextField)
                or isinstance(field, models.SlugField | models.EmailField | models.URLField)
                or field.choices
                or field.unique
                or any(part in field.name for part in SKIPPED_NAMES)
            ):
                continue
            start = STARTS[touched % len(STARTS)]
            rest = F(field.name)
            if field.max_length:
                rest = Left(rest, field.max_length - len(start))
            updates[field.name] = Concat(Value(start), rest, output_field=field)
            touched += 1
        if updates:
            model._base_manager.update(**updates)
    return touched


def runs(cell: str) -> bool:
    return cell.lstrip(BLANKS).startswith(RUNS)


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


PREFERRED_ROLES = ["lead", "member", "staff", "rep", "activist", "other_lead", "other_rep"]
RULES = access_rules()


@pytest.mark.django_db
def test_no_csv_the_portal_produces_holds_a_formula(client):
    world = build_world()
    assert poison_every_text_column() > 20
    produced = {}
    for name in sorted(n for n, (method, _) in RULES.access.items() if method == "GET"):
        allowed = RULES.access[name][1]
        role = next((r for r in PREFERRED_ROLES if r in allowed), None)
        client.logout()
        if role:
            client.force_login(getattr(world.people, role))
        response = client.get(url_for(world, name))
        if response.get("Content-Type", "").startswith("text/csv"):
            produced[name] = response.content.decode()
    for role in ("member", "lead", "rep", "staff"):
        client.force_login(getattr(world.people, role))
        response = client.post(reverse("my_data_download"))
        assert response["Content-Type"] == "application/zip"
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            for entry in archive.namelist():
                if entry.endswith(".csv"):
                    produced[f"{role}:{entry}"] = archive.read(entry).decode()
    # The downloads every role can reach, and the ZIP's own files, were all walked.
    assert {
        "groups:members_csv",
        "events:attendees_csv",
        "review:group_events_csv",
        "member:rsvps.csv",
        "member:memberships.csv",
    } <= set(produced)
    running = {name: [c for c in cells(text) if runs(c)] for name, text in produced.items()}
    assert {name: found for name, found in running.items() if found} == {}
    quoted = [c for text in produced.values() for c in cells(text) if c.startswith("'")]
    assert len(quoted) > 10
    rsvps = list(csv.DictReader(io.StringIO(produced["member:rsvps.csv"])))
    world.event.refresh_from_db()
    assert world.event.title.lstrip(BLANKS)[0] in RUNS
    assert [row["event"] for row in rsvps] == ["'" + world.event.title]
