"""Issue 16, defects 10 and 13: the header's links for each role, its wording, the phone
menu that needs no JavaScript, and the icons."""

import pytest
from django.urls import reverse

from tests.queries import SESSION, TWO_FACTOR_CHECK

pytestmark = pytest.mark.django_db


def header(client) -> str:
    page = client.get(reverse("home")).content.decode()
    return page[page.index("<header") : page.index("</header>")]


def test_reps_see_review_and_staff_see_review_and_admin(client, people):
    client.force_login(people.rep)
    assert f'href="{reverse("review:dashboard")}"' in header(client)
    assert 'href="/admin/"' not in header(client)
    client.force_login(people.staff)
    assert f'href="{reverse("review:dashboard")}"' in header(client)
    assert 'href="/admin/"' in header(client)
    for who in ("lead", "member", "activist"):
        client.force_login(getattr(people, who))
        html = header(client)
        assert reverse("review:dashboard") not in html
        assert 'href="/admin/"' not in html


def test_header_says_sign_up_not_join(client, db):
    html = header(client)
    assert ">Sign up</a>" in html
    assert ">Join</a>" not in html


def test_phone_menu_is_a_details_summary_with_the_same_links(client, db):
    html = header(client)
    wide = html[html.index('class="site-search--wide"') : html.index("<details")]
    phone = html[html.index("<details") : html.index("</details>")]
    assert "<summary" in phone and "Menu</summary>" in phone
    for link in (reverse("events:list"), reverse("account_login"), reverse("account_signup")):
        assert f'href="{link}"' in wide
        assert f'href="{link}"' in phone
    # Two search boxes, each with its own label.
    assert 'id="site-search-wide"' in wide and 'for="site-search-wide"' in wide
    assert 'id="site-search-phone"' in phone and 'for="site-search-phone"' in phone


def test_pages_name_their_icons_and_favicon_ico_redirects(client, db):
    page = client.get(reverse("home")).content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.ico"


def test_htmx_is_told_not_to_add_its_inline_style(client, db):
    page = client.get(reverse("home")).content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in page


def test_the_review_link_costs_no_query(client, people, django_assert_num_queries):
    client.force_login(people.rep)
    client.get(reverse("privacy"))
    # the user, and nothing for the header's links (the role was read at sign-in); the
    # privacy page is one two-factor enrolment leaves open, so it makes no two-factor check
    with django_assert_num_queries(1 + SESSION - TWO_FACTOR_CHECK):
        page = client.get(reverse("privacy")).content.decode()
    assert f'href="{reverse("review:dashboard")}"' in page
