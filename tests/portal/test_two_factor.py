"""Two-factor sign-in (portal.mfa, allauth's MFA): reps, area reps and staff enrol before
they can open any private page; sign-in then asks for the code or a recovery code. Codes
are computed from the secret as an authenticator app would (tests.factories.totp_code)."""

import time
from html import escape
from urllib.parse import urlencode

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.messages import get_messages
from django.urls import reverse

from groups.demo import seed
from portal.demo import seed_accounts
from portal.mfa import ENROL_MESSAGE, SIGNED_OUT_MESSAGE
from tests.factories import UserFactory, enrol_two_factor, recovery_codes, totp_code
from tests.groups.factories import RegionalRoleFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # noqa: S105 (the factories' password)
ENROL = reverse("mfa_activate_totp")
LOGIN = reverse("account_login")
AUTHENTICATE = reverse("mfa_authenticate")


def _sign_in(client, user, password=PASSWORD):
    return client.post(LOGIN, {"login": user.email, "password": password})


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _secret(user) -> str:
    return Authenticator.objects.get(user=user, type="totp").data["secret"]


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def rep_without_2fa(people):
    return RegionalRoleFactory(region=people.region, two_factor=False).user


def _private_urls(people) -> list[str]:
    slug = people.group.slug
    return [
        reverse("review:dashboard"),
        reverse("review:groups_csv"),
        reverse("review:group", args=[slug]),
        reverse("groups:scope"),
        reverse("my_portal"),
        reverse("my_data"),
        reverse("profile"),
        "/admin/",
    ]


def test_a_rep_without_two_factor_is_sent_to_enrol_from_every_private_page(
    client, people, rep_without_2fa
):
    client.force_login(rep_without_2fa)
    for url in _private_urls(people):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, ENROL), url
        assert _messages(response) == [ENROL_MESSAGE]
    # Posts too: nothing is done on their behalf.
    response = client.post(reverse("my_data_download"))
    assert (response.status_code, response["Location"]) == (302, ENROL)
    # What needs no account still opens, and so do the account pages.
    assert client.get(reverse("privacy")).status_code == 200
    assert client.get(reverse("account_email")).status_code == 200


def test_an_area_rep_and_staff_without_two_factor_are_sent_to_enrol(client, people):
    area_rep = RegionalRoleFactory(region=None, area=people.group.area, two_factor=False).user
    staff = UserFactory(is_staff=True, is_superuser=True, two_factor=False)
    for user, url in [(area_rep, reverse("groups:scope")), (staff, "/admin/portal/user/")]:
        client.force_login(user)
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, ENROL)


def test_members_leads_and_activists_are_not_asked_by_default(client, people):
    for user, url in [
        (people.lead, reverse("groups:members", args=[people.group.slug])),
        (people.member, reverse("my_portal")),
        (people.activist, reverse("my_portal")),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_the_setting_requires_it_of_leads_too(client, people, settings):
    settings.REQUIRE_2FA_FOR_LEADS = True
    members = reverse("groups:members", args=[people.group.slug])
    client.force_login(people.lead)
    response = client.get(members)
    assert (response.status_code, response["Location"]) == (302, ENROL)
    client.force_login(people.member)
    assert client.get(reverse("my_portal")).status_code == 200
    enrol_two_factor(people.lead)
    client.force_login(people.lead)
    assert client.get(members).status_code == 200


def test_my_portal_encourages_leads_until_they_enrol(client, people):
    prompt = "Set up two-factor sign-in"
    client.force_login(people.lead)
    assert prompt in client.get(reverse("my_portal")).content.decode()
    client.force_login(people.member)
    assert prompt not in client.get(reverse("my_portal")).content.decode()
    enrol_two_factor(people.lead)
    client.force_login(people.lead)
    assert prompt not in client.get(reverse("my_portal")).content.decode()


# Committed for real, as in production: allauth sends "authenticator added" (which marks
# this session as two-factor) once the enrolment is committed.
@pytest.mark.django_db(transaction=True)
def test_a_rep_enrols_with_a_code_from_the_app_and_then_opens_review(
    client, people, rep_without_2fa
):
    response = _sign_in(client, rep_without_2fa)
    assert response["Location"] == reverse("my_portal")
    response = client.get(reverse("my_portal"), follow=True)
    # allauth asks for the password again before two-factor settings change.
    reauthenticate = f"{reverse('account_reauthenticate')}?{urlencode({'next': ENROL})}"
    assert response.redirect_chain == [(ENROL, 302), (reauthenticate, 302)]
    assert escape(ENROL_MESSAGE) in response.content.decode()
    response = client.post(reauthenticate, {"password": PASSWORD}, follow=True)
    assert response.redirect_chain == [(ENROL, 302)]
    secret = response.context["form"].secret
    assert response.context["totp_svg_data_uri"].startswith("data:image/svg+xml;base64,")
    assert secret in response.content.decode()  # typed in by hand where a QR code can't be

    wrong = client.post(ENROL, {"code": _wrong(totp_code(secret))})
    assert wrong.status_code == 200
    assert "Incorrect code." in wrong.content.decode()
    assert not Authenticator.objects.filter(user=rep_without_2fa).exists()

    response = client.post(ENROL, {"code": totp_code(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert set(
        Authenticator.objects.filter(user=rep_without_2fa).values_list("type", flat=True)
    ) == {"totp", "recovery_codes"}
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert recovery_codes(rep_without_2fa)[0] in codes.content.decode()
    assert client.get(reverse("review:dashboard")).status_code == 200


def test_signing_in_asks_an_enrolled_rep_for_the_code(client, people):
    secret = _secret(people.rep)
    response = _sign_in(client, people.rep)
    assert response["Location"] == AUTHENTICATE
    # The password alone opens nothing.
    assert "_auth_user_id" not in client.session

    response = client.post(AUTHENTICATE, {"code": _wrong(totp_code(secret))})
    assert "Incorrect code." in response.content.decode()
    assert "_auth_user_id" not in client.session
    response = client.post(AUTHENTICATE, {"code": totp_code(secret)})
    assert response["Location"] == reverse("my_portal")
    assert client.get(reverse("review:dashboard")).status_code == 200


def test_a_recovery_code_signs_in_once(client, people):
    code = recovery_codes(people.rep)[0]
    _sign_in(client, people.rep)
    response = client.post(AUTHENTICATE, {"code": code})
    assert response["Location"] == reverse("my_portal")
    assert client.get(reverse("review:dashboard")).status_code == 200
    assert code not in recovery_codes(people.rep)

    client.logout()
    _sign_in(client, people.rep)
    response = client.post(AUTHENTICATE, {"code": code})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_session_opened_before_enrolment_elsewhere_is_signed_out(client, people):
    rep = RegionalRoleFactory(region=people.region, two_factor=False).user
    client.force_login(rep)
    # Enrolled on another device, after this session began.
    TOTP.activate(rep, "JBSWY3DPEHPK3PXP")
    response = client.get(reverse("review:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/review/"
    assert _messages(response) == [SIGNED_OUT_MESSAGE]
    assert "_auth_user_id" not in client.session


def test_the_admin_sign_in_form_is_allauths(client, people):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Fadmin%2F"
    # An enrolled member of staff reaches the admin only through the code.
    _sign_in(client, people.staff)
    assert client.get("/admin/").status_code == 302
    client.post(AUTHENTICATE, {"code": totp_code(_secret(people.staff))})
    assert client.get("/admin/").status_code == 200


def test_the_demo_rep_is_asked_to_enrol_on_first_use(client, settings):
    accounts = seed_accounts(password="demo-password-1")
    seed(accounts=accounts)
    client.post(LOGIN, {"login": "rep@example.org", "password": "demo-password-1"})
    response = client.get(reverse("review:dashboard"), follow=True)
    assert response.redirect_chain[0] == (ENROL, 302)
    assert escape(ENROL_MESSAGE) in response.content.decode()


def test_a_code_one_step_old_still_signs_in_but_two_steps_old_does_not(client, people):
    """MFA_TOTP_TOLERANCE = 1: the code the app showed up to 30 s before is accepted (it
    turned over while the person typed), the one before that is not, and a code works once."""
    rep = people.rep
    secret = _secret(rep)
    now = time.time()
    _sign_in(client, rep)
    stale = client.post(AUTHENTICATE, {"code": totp_code(secret, at=now - 60)})
    assert stale.status_code == 200
    assert "Incorrect code." in stale.content.decode()

    late = client.post(AUTHENTICATE, {"code": totp_code(secret, at=now - 30)})
    assert late.status_code == 302
    assert client.get(reverse("review:dashboard")).status_code == 200

    client.post(reverse("account_logout"))
    _sign_in(client, rep)
    again = client.post(AUTHENTICATE, {"code": totp_code(secret, at=now - 30)})
    assert again.status_code == 200
