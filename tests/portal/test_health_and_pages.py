import pytest
from django.test import override_settings
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_reports_database_and_broker_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0", CELERY_BROKER_TRANSPORT_OPTIONS={})
def test_healthz_answers_503_when_broker_is_down(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "database": "ok", "broker": "down"}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["home", "privacy", "account_login", "account_signup"])
def test_public_page_uses_site_layout(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert 'aria-label="Main"' in html
    assert 'href="/privacy/"' in html


@pytest.mark.django_db
def test_signup_form_is_rendered_by_crispy(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert 'id="div_id_display_name"' in html
    assert 'class="textinput form-control"' in html


@pytest.mark.django_db
def test_unknown_page_is_404_in_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "skip-link" in response.content.decode()


@pytest.mark.django_db
def test_security_headers_are_set(client):
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Permissions-Policy"].startswith("camera=()")


def test_500_template_renders_without_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html
