"""The full-text GIN index for searching posts (conversations.views.search uses the same
expression, or PostgreSQL ignores it), on PostgreSQL only, as cases' and portal's search
indexes are: SQLite, which `make run` uses without DATABASE_URL, has no GIN indexes."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations


def index():
    return GinIndex(SearchVector("body", config="english"), name="post_fts_idx")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("conversations", "Post"), index())


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("conversations", "Post"), index())


class Migration(migrations.Migration):
    dependencies = [("conversations", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
