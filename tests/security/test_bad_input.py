"""Property-based tests: whatever arrives in a query string or a form, the answer is a
2xx, 3xx or 4xx, never a 500; Markdown always renders inert."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.markdown import render_markdown

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

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
        response = client.get(url, {k: v.replace("\x00", "") for k, v in query.items()})
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


# Every form page, as the role that may use it. The field names are read from the form on
# the page, so a new field is fuzzed without being listed here.
FORM_PAGES = [
    (None, "account_signup", {}),
    ("member", "profile", {}),
    ("member", "notifications:settings", {}),
    ("member", "campaigns:propose", {}),
    ("member", "partners:suggest", {}),
    ("lead", "groups:edit", {"slug": "derby"}),
    ("lead", "groups:announce", {"slug": "derby"}),
    ("lead", "events:create", {"group_slug": "derby"}),
    ("lead", "events:edit", {"slug": "peace-picnic"}),
    ("lead", "events:report", {"slug": "past-vigil"}),
    ("lead", "events:venue_create", {}),
    ("lead", "partners:partnership_create", {"group_slug": "derby"}),
    ("lead", "campaigns:funding_new", {"slug": "council-of-sanctuary"}),
    ("lead", "campaigns:post_update", {"slug": "council-of-sanctuary"}),
    ("lead", "campaigns:record_outcome", {"slug": "council-of-sanctuary"}),
    ("lead", "campaigns:add_action", {"slug": "council-of-sanctuary"}),
    ("staff", "partners:edit", {"slug": "dmfc"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name", "kwargs"), FORM_PAGES, ids=[n for _, n, _ in FORM_PAGES])
def test_form_never_answers_500_to_odd_input(client, role, name, kwargs):
    from tests.world import build_world

    world = build_world()
    if role:
        client.force_login(getattr(world.people, role))
    url = reverse(name, kwargs=kwargs)
    page = client.get(url)
    assert page.status_code == 200
    fields = sorted(page.context["form"].fields)
    assert fields

    @FUZZ
    @given(st.dictionaries(st.sampled_from(fields), nasty_text, max_size=len(fields)))
    def check(data):
        response = client.post(url, {k: v.replace("\x00", "") for k, v in data.items()})
        assert 200 <= response.status_code < 500, (data, response.status_code)

    check()
