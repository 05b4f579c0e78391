import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from ocop.accounts.models import User
from ocop.core.models import ObjectChange
from tests.utils import PermissionCase, assert_permission_matrix, make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def officer(units):
    return make_user_with_role("commune-officer", units.yen_the, username="canbo", password="mat-khau-dung-123")


def test_login_with_correct_password_goes_home(client, officer):
    response = client.post(reverse("accounts:login"), {"username": "canbo", "password": "mat-khau-dung-123"})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home")


def test_login_with_wrong_password_shows_vietnamese_error_and_changes_nothing(client, officer):
    before = User.objects.get(pk=officer.pk).last_login
    response = client.post(reverse("accounts:login"), {"username": "canbo", "password": "sai"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in content
    assert 'data-testid="error-summary"' in content
    assert User.objects.get(pk=officer.pk).last_login == before


def test_login_with_empty_fields_lists_both_errors(client):
    response = client.post(reverse("accounts:login"), {"username": "", "password": ""})
    assert response.context["form"].errors == {
        "username": ["Vui lòng nhập tên đăng nhập."],
        "password": ["Vui lòng nhập mật khẩu."],
    }


def test_inactive_account_cannot_sign_in(client, officer):
    officer.is_active = False
    officer.save()
    response = client.post(reverse("accounts:login"), {"username": "canbo", "password": "mat-khau-dung-123"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_protected_page_redirects_anonymous_to_login_with_next(client):
    response = client.get(reverse("producers:producer_list"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={reverse('producers:producer_list')}"


def test_expired_session_is_explained(client):
    client.cookies[settings.SESSION_COOKIE_NAME] = "expired-session-key"
    response = client.get(reverse("accounts:login"), {"next": "/producers/"})
    assert [str(m) for m in response.context["messages"]] == ["Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."]


def test_logout_requires_post_and_ends_the_session(client, officer):
    client.force_login(officer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_password_change_validates_and_keeps_old_password_on_error(client, officer):
    client.force_login(officer)
    url = reverse("accounts:password_change")
    response = client.post(
        url, {"old_password": "sai", "new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"}
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    officer.refresh_from_db()
    assert officer.check_password("mat-khau-dung-123")

    response = client.post(
        url,
        {
            "old_password": "mat-khau-dung-123",
            "new_password1": "Mat-khau-moi-2026",
            "new_password2": "Mat-khau-moi-2026",
        },
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("Mat-khau-moi-2026")


def test_password_reset_sends_a_working_link(client, officer):
    response = client.post(reverse("accounts:password_reset"), {"email": officer.email})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [officer.email]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.context["validlink"] is True
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": "Mot-mat-khau-moi-9", "new_password2": "Mot-mat-khau-moi-9"}
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    officer.refresh_from_db()
    assert officer.check_password("Mot-mat-khau-moi-9")


def test_password_reset_for_unknown_email_reveals_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "khong-co@example.gov.vn"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_invalid_reset_link_says_so(client):
    response = client.get("/accounts/password/reset/MQ/sai-token/", follow=True)
    assert response.context["validlink"] is False
    assert "Liên kết không còn hiệu lực" in response.content.decode()


def test_profile_update_is_audited(client, officer):
    client.force_login(officer)
    response = client.post(reverse("accounts:profile"), {"full_name": "Hoàng Văn Nam", "phone": "0912 345 678"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert (officer.full_name, officer.phone) == ("Hoàng Văn Nam", "0912 345 678")
    change = ObjectChange.objects.filter(changed_object_id=str(officer.pk), action="update").first()
    assert change.user == officer
    assert str(change.request_id) == response["X-Request-ID"]


def test_profile_bad_phone_shows_error_and_saves_nothing(client, officer):
    client.force_login(officer)
    response = client.post(reverse("accounts:profile"), {"full_name": "", "phone": "abc"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"full_name", "phone"}
    officer.refresh_from_db()
    assert officer.phone == ""


def test_user_list_permission_matrix(units):
    assert_permission_matrix(
        reverse("accounts:user_list"),
        [
            PermissionCase("anonymous", None, None, 302, anonymous=True),
            PermissionCase("no role", None, None, 403),
            PermissionCase("system admin", "system-admin", units.country, 200),
            PermissionCase("province agency", "province-agency", units.bac_ninh, 200),
            PermissionCase("commune officer", "commune-officer", units.yen_the, 403),
            PermissionCase("ministry office", "ministry-office", units.country, 403),
        ],
    )


def test_province_agency_sees_only_accounts_of_its_province(client, units):
    make_user_with_role("commune-officer", units.yen_the, username="xa_bn")
    make_user_with_role("commune-officer", units.nam_hong_linh, username="xa_ht")
    agency = make_user_with_role("province-agency", units.bac_ninh, username="tinh_bn")
    client.force_login(agency)
    response = client.get(reverse("accounts:user_list"))
    assert [u.username for u in response.context["users"]] == ["tinh_bn", "xa_bn"]
