"""Full-text and trigram GIN indexes for the site search (front.search), on PostgreSQL only.

The full-text index expression is built from portal.fulltext.search_vector so that it is
the same expression the queries use (or PostgreSQL would not use the index). This is the
one migration of the core that names the apps' tables."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations

TABLES = [
    ("groups", "LocalGroup", "name", "description", "group"),
    ("campaigns", "Campaign", "title", "summary", "campaign"),
    ("events", "Event", "title", "description", "event"),
    ("events", "Festival", "name", "description", "festival"),
    ("partners", "Partner", "name", "description", "partner"),
]


def indexes():
    from portal.fulltext import search_vector

    for app, model, title, body, short in TABLES:
        yield app, model, GinIndex(search_vector(title, body), name=f"{short}_fts_idx")
        yield app, model, GinIndex(OpClass(title, name="gin_trgm_ops"), name=f"{short}_trgm_idx")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for app, model, index in indexes():
        schema_editor.add_index(apps.get_model(app, model), index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app, model, index in indexes():
        schema_editor.remove_index(apps.get_model(app, model), index)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("groups", "0001_initial"),
        ("campaigns", "0001_initial"),
        ("events", "0001_initial"),
        ("partners", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
