import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from ocop.accounts.models import User
from ocop.core.context import current_context
from ocop.core.models import ObjectChange

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

LOGIN_URL = "/accounts/login/"
PROFILE_URL = "/accounts/profile/"


@pytest.fixture
def user():
    return User.objects.create_user(username="xa_yenthe", password="mat-khau-2026", full_name="Hoàng Văn Nam")


@pytest.fixture
def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def _user_changes(user) -> list[ObjectChange]:
    content_type = ContentType.objects.get_for_model(User)
    return list(ObjectChange.objects.filter(changed_object_type=content_type, changed_object_id=str(user.pk)))


def test_every_response_carries_a_fresh_request_id():
    client = Client()
    first = client.get(LOGIN_URL)
    second = client.get(LOGIN_URL)

    assert first.status_code == 200
    ids = [uuid.UUID(first["X-Request-ID"]), uuid.UUID(second["X-Request-ID"])]
    assert ids[0] != ids[1]
    assert all(i.version == 4 for i in ids)
    assert [str(i) for i in ids] == [first["X-Request-ID"], second["X-Request-ID"]]


def test_redirects_also_carry_a_request_id():
    response = Client().get(PROFILE_URL)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next={PROFILE_URL}"
    assert uuid.UUID(response["X-Request-ID"])


def test_a_valid_incoming_request_id_is_echoed():
    incoming = str(uuid.uuid4())
    response = Client().get(LOGIN_URL, headers={"X-Request-ID": incoming})
    assert response["X-Request-ID"] == incoming


def test_an_incoming_request_id_is_echoed_in_canonical_form():
    incoming = uuid.uuid4()
    response = Client().get(LOGIN_URL, headers={"X-Request-ID": incoming.hex.upper()})
    assert response["X-Request-ID"] == str(incoming)


@pytest.mark.parametrize(
    "garbage",
    ["not-a-uuid", "12345", "<script>alert(1)</script>", "' OR 1=1 --", "0" * 33, "x" * 500],
)
def test_a_malformed_incoming_request_id_is_replaced(garbage):
    response = Client().get(LOGIN_URL, headers={"X-Request-ID": garbage})
    replaced = response["X-Request-ID"]
    assert replaced != garbage
    assert str(uuid.UUID(replaced)) == replaced


def test_change_during_a_request_carries_the_user_and_request_id(user, client_for):
    response = client_for.post(PROFILE_URL, {"full_name": "Hoàng Văn Nam (xã Yên Thế)", "email": "", "phone": ""})

    assert response.status_code == 302
    assert response["Location"] == PROFILE_URL
    newest, created = _user_changes(user)
    assert created.action == "create"
    assert newest.action == "update"
    assert newest.diff == [("full_name", "Hoàng Văn Nam", "Hoàng Văn Nam (xã Yên Thế)")]
    assert str(newest.request_id) == response["X-Request-ID"]
    assert (newest.user, newest.user_name, newest.source) == (user, "xa_yenthe", "web")


def test_change_during_a_request_uses_the_incoming_request_id(user, client_for):
    incoming = uuid.uuid4()
    response = client_for.post(
        PROFILE_URL, {"full_name": "Hoàng Nam", "email": "nam@yenthe.gov.vn"}, headers={"X-Request-ID": str(incoming)}
    )

    assert response["X-Request-ID"] == str(incoming)
    newest, _created = _user_changes(user)
    assert newest.request_id == incoming
    assert newest.diff == [("email", "", "nam@yenthe.gov.vn"), ("full_name", "Hoàng Văn Nam", "Hoàng Nam")]


def test_login_updates_last_login_without_an_audit_row(user):
    response = Client().post(LOGIN_URL, {"username": "xa_yenthe", "password": "mat-khau-2026"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.last_login is not None
    assert [c.action for c in _user_changes(user)] == ["create"]


def test_the_change_context_ends_with_the_request(client_for):
    client_for.get(PROFILE_URL)
    assert current_context() is None
