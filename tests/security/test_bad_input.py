"""Property-based tests: whatever arrives in a query string or a form, the answer is a
2xx, 3xx or 4xx, never a 500; Markdown always renders inert."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.markdown import render_markdown
from tests.world import access_rules, build_world, url_for

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
QUICK_FUZZ = settings(FUZZ, max_examples=8)

nasty_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "99999999999999999999",
            "1e308",
            "9223372036854775808",
            "NaN",
            "2027-02-30",
            "9999-12-31",
            "0000-00-00",
            "de1 3aa",
            "ZZ99 9ZZ",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "%",
            "\x00",
            "../../etc/passwd",
            "a" * 3000,
        ]
    ),
)

# The filter parameters each list page understands, plus some it does not.
LIST_PAGES = {
    "home": ["postcode"],
    "search": ["q"],
    "groups:list": ["q", "area", "kind", "postcode", "page"],
    "partners:list": ["q", "kind", "area", "postcode", "page"],
    "campaigns:list": ["q", "topic", "scope", "region", "status", "postcode", "page"],
    "resources:list": ["q", "kind", "topic", "campaign", "language", "page"],
    "events:list": [
        "q",
        "kind",
        "area",
        "group",
        "campaign",
        "festival",
        "mode",
        "postcode",
        "date_from",
        "date_to",
        "when",
        "page",
    ],  # fmt: skip
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(LIST_PAGES))
def test_list_page_never_answers_500_to_odd_query_strings(client, name):
    url = reverse(name)
    params = LIST_PAGES[name] + ["unknown", "page"]

    @FUZZ
    @given(st.dictionaries(st.sampled_from(params), nasty_text, max_size=5))
    def check(query):
        response = client.get(url, query)
        assert 200 <= response.status_code < 500, (query, response.status_code)

    check()


@FUZZ
@given(
    st.lists(
        st.sampled_from(
            [
                "<script>alert(1)</script>",
                '<img src=x onerror="alert(1)">',
                "[click](javascript:alert(1))",
                "[data](data:text/html;base64,PHNjcmlwdD4=)",
                '<a href="javascript:alert(1)">x</a>',
                "<iframe src=//evil.example>",
                '<svg onload="alert(1)">',
                "**bold** _em_",
                "<style>body{}</style>",
                '<p style="color:red" onclick="x()">p</p>',
                "[ok](https://example.org)",
            ]
        )
        | st.text(max_size=40),
        max_size=6,
    )
)
def test_markdown_renders_inert(pieces):
    tags = parse_tags(render_markdown("\n\n".join(pieces)))
    for tag, attrs in tags:
        assert tag not in {"script", "iframe", "svg", "style", "img", "object", "embed"}
        for name, value in attrs:
            assert not name.startswith("on")
            assert name != "style"
            if name == "href":
                assert value.split(":", 1)[0].lower() in {"http", "https", "mailto"} or (
                    ":" not in value
                )


def parse_tags(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every element the browser would build, with its attributes (text is inert)."""
    from html.parser import HTMLParser

    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, [(k, v or "") for k, v in attrs]))

    Collector().feed(html)
    return found


# Every page, found from the access tables (tests/world.py:access_rules), as a role that
# may use it: a page with a form has its form fuzzed (field names read from the form, so
# a new field is fuzzed without being listed here); a page without one has its query
# string fuzzed. A new URL is fuzzed as soon as it has an access rule.
PREFERRED_ROLES = ["lead", "member", "staff", "rep", "activist", "other_lead", "other_rep"]
RULES = access_rules()
# allauth's sign-up form is ours to fuzz too (its other pages are allauth's own).
PAGES = {**RULES.access, "account_signup": ("GET", {"anonymous"})}
GET_PAGES = sorted(name for name, (method, _roles) in PAGES.items() if method == "GET")


def role_for(name: str) -> str | None:
    allowed = PAGES[name][1]
    return next((role for role in PREFERRED_ROLES if role in allowed), None)


@pytest.mark.django_db
@pytest.mark.parametrize("name", GET_PAGES)
def test_page_never_answers_500_to_odd_input(client, name):
    world = build_world()
    role = role_for(name)
    if role:
        client.force_login(getattr(world.people, role))
    url = url_for(world, name)
    page = client.get(url)
    assert page.status_code in (200, 302)
    form = page.context.get("form") if page.context is not None else None
    if form is not None and form.fields:
        fields = sorted(form.fields)

        @FUZZ
        @given(st.dictionaries(st.sampled_from(fields), nasty_text, max_size=len(fields)))
        def check_form(data):
            response = client.post(url, data)
            assert 200 <= response.status_code < 500, (data, response.status_code)

        check_form()
        return

    keys = ["q", "page", "postcode", "period", "sort", "from", "to", "next", "unknown"]

    @QUICK_FUZZ
    @given(st.dictionaries(st.sampled_from(keys), nasty_text, max_size=4))
    def check_query(query):
        response = client.get(url, query)
        assert 200 <= response.status_code < 500, (query, response.status_code)

    check_query()
