"""OSDI-style error bodies for every error the API answers, so a client parses one shape:

{"osdi:error": {"response_code": 400, "error_class": "invalid_input",
                "description": "…", "fields": {"person_id": ["…"]}}}
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler

CLASSES = {
    400: "invalid_input",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "request_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}


def error_body(status: int, description: str, fields: dict | None = None) -> dict:
    body = {
        "response_code": status,
        "error_class": CLASSES.get(status, "error"),
        "description": description,
    }
    if fields:
        body["fields"] = fields
    return {"osdi:error": body}


def _description(detail) -> tuple[str, dict | None]:
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        return str(detail["detail"]), None
    if isinstance(detail, dict):
        return "Some fields are not valid.", detail
    if isinstance(detail, list):
        return " ".join(str(item) for item in detail), None
    return str(detail), None


def handle_exception(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    description, fields = _description(response.data)
    response.data = error_body(response.status_code, description, fields)
    return response
