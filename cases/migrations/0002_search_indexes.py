"""Full-text and trigram GIN indexes for the site search (front.search) on the public name
and headline of cases, on PostgreSQL only (as portal/migrations/0002_search_indexes.py
does for the other apps). Never the real name: search must not find a hidden one."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations


def indexes():
    from portal.fulltext import search_vector

    yield GinIndex(search_vector("public_name", "headline"), name="case_fts_idx")
    yield GinIndex(OpClass("public_name", name="gin_trgm_ops"), name="case_trgm_idx")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in indexes():
        schema_editor.add_index(apps.get_model("cases", "Case"), index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in indexes():
        schema_editor.remove_index(apps.get_model("cases", "Case"), index)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        # pg_trgm is created there.
        ("portal", "0002_search_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
