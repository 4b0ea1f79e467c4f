"""Cursor pages in HAL shape: `_embedded` holds the items, `_links` the next and previous
pages. A cursor encodes a position in (id) order, so rows inserted while a client pages
through are neither skipped nor repeated, and no page counts the whole table."""

from rest_framework.pagination import CursorPagination
from rest_framework.response import Response


class HalCursorPagination(CursorPagination):
    ordering = "pk"
    page_size = 25
    page_size_query_param = "per_page"
    max_page_size = 100
    cursor_query_param = "cursor"

    def get_paginated_response(self, data):
        links = {"self": {"href": self.base_url}}
        if (next_link := self.get_next_link()) is not None:
            links["next"] = {"href": next_link}
        if (previous_link := self.get_previous_link()) is not None:
            links["previous"] = {"href": previous_link}
        return Response(
            {
                "per_page": self.page_size,
                "_links": links,
                "_embedded": {self.embedded_name: data},
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["per_page", "_links", "_embedded"],
            "properties": {
                "per_page": {"type": "integer"},
                "_links": {"type": "object"},
                # One key, the OSDI collection name (e.g. "osdi:events").
                "_embedded": {"type": "object", "additionalProperties": schema},
            },
        }

    def paginate_queryset(self, queryset, request, view=None):
        self.embedded_name = view.embedded_name
        return super().paginate_queryset(queryset, request, view)
