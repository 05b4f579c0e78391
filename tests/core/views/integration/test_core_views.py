import uuid

import pytest
from django.urls import reverse

from ocop.core.context import change_context
from tests.factories.producers import ProducerFactory
from tests.utils import PermissionCase, assert_permission_matrix, make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_audit_log_permission_matrix(units):
    assert_permission_matrix(
        reverse("core:audit_log"),
        [
            PermissionCase("anonymous", None, None, 302, anonymous=True),
            PermissionCase("no role", None, None, 404),
            PermissionCase("system admin", "system-admin", units.country, 200),
            PermissionCase("ministry office", "ministry-office", units.country, 200),
            PermissionCase("province agency (audit only within its province)", "province-agency", units.bac_ninh, 404),
            PermissionCase("commune officer", "commune-officer", units.yen_the, 404),
        ],
    )


def test_audit_log_filters_by_request_id(client, units):
    request_id = uuid.uuid4()
    with change_context(request_id=request_id):
        ProducerFactory(name="HTX Theo dõi", address_unit=units.yen_the)
    ProducerFactory(name="HTX Khác", address_unit=units.yen_the)
    client.force_login(make_user_with_role("system-admin", units.country))
    response = client.get(reverse("core:audit_log"), {"request_id": str(request_id)})
    # Creating a producer writes the producer and its first legal-form period, newest first.
    assert [(c.changed_object_type.model, c.object_repr) for c in response.context["changes"]] == [
        ("legalformperiod", "HTX Theo dõi (Hợp tác xã (HTX))"),
        ("producer", "HTX Theo dõi"),
    ]
    assert list(client.get(reverse("core:audit_log"), {"request_id": "not-a-uuid"}).context["changes"]) == []


def test_healthz_is_public(client):
    response = client.get(reverse("core:healthz"))
    assert response.json() == {"status": "ok"}


def test_unknown_url_gives_vietnamese_404_page(client):
    response = client.get("/khong-ton-tai/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Không tìm thấy trang" in content
    assert 'lang="vi"' in content


def test_csrf_failure_page_is_vietnamese(units):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user_with_role("commune-officer", units.yen_the))
    response = client.post(reverse("accounts:profile"), {"full_name": "X"})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()


def test_every_response_has_a_request_id_and_csp(client):
    response = client.get(reverse("accounts:login"))
    uuid.UUID(response["X-Request-ID"])
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
