"""The full-text search expression: one definition for the GIN indexes (built by
migrations) and for the queries that must match them, or PostgreSQL would not use the
index. English, title weighted over body."""

from django.contrib.postgres.search import SearchVector


def search_vector(title_field: str, body_field: str) -> SearchVector:
    return SearchVector(title_field, weight="A", config="english") + SearchVector(
        body_field, weight="B", config="english"
    )
