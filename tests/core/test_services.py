import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from ocop.accounts.models import Membership, Role, User
from ocop.core.context import change_context
from ocop.core.models import ActivityLog
from ocop.core.services import log_action
from ocop.geography.models import AdminCodeSet

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def officer():
    return User.objects.create_user(username="tinh_hatinh", password="mat-khau-2026")


@pytest.fixture
def code_set():
    return AdminCodeSet.objects.get(slug="qd19-2025")


def _row(entry: ActivityLog) -> tuple:
    return (entry.actor, entry.actor_name, entry.request_id, entry.action_type, entry.data)


def test_log_action_stores_the_event(code_set, officer):
    entry = log_action(code_set, "geography.codeset.review", actor=officer, data={"units": 3321, "note": "Sơn Hà"})

    entry.refresh_from_db()
    assert _row(entry) == (officer, "tinh_hatinh", None, "geography.codeset.review", {"units": 3321, "note": "Sơn Hà"})
    assert entry.content_type == ContentType.objects.get_for_model(AdminCodeSet)
    assert entry.object_id == str(code_set.pk)
    assert entry.content_object == code_set
    assert entry.object_repr == str(code_set)
    assert entry.timestamp is not None


def test_actor_and_request_id_default_to_the_change_context(code_set, officer):
    request_id = uuid.uuid4()
    with change_context(officer, request_id=request_id):
        entry = log_action(code_set, "geography.codeset.review")

    assert _row(entry) == (officer, "tinh_hatinh", request_id, "geography.codeset.review", {})


def test_explicit_actor_wins_over_the_context(code_set, officer):
    other = User.objects.create_user(username="bo_ocop")
    request_id = uuid.uuid4()
    with change_context(officer, request_id=request_id):
        entry = log_action(code_set, "geography.codeset.review", actor=other)

    assert _row(entry) == (other, "bo_ocop", request_id, "geography.codeset.review", {})


def test_without_context_or_actor_the_event_has_no_actor(code_set):
    entry = log_action(code_set, "geography.codeset.load", data=None)
    assert _row(entry) == (None, "", None, "geography.codeset.load", {})


@pytest.mark.parametrize("in_context", [False, True])
def test_anonymous_actor_is_ignored(code_set, in_context):
    request_id = uuid.uuid4()
    if in_context:
        with change_context(AnonymousUser(), request_id=request_id):
            entry = log_action(code_set, "geography.codeset.view")
        assert _row(entry) == (None, "", request_id, "geography.codeset.view", {})
    else:
        entry = log_action(code_set, "geography.codeset.view", actor=AnonymousUser())
        assert _row(entry) == (None, "", None, "geography.codeset.view", {})


def test_object_repr_is_truncated_to_300_characters(units):
    user = User.objects.create_user(username="long", full_name="Nguyễn " + "A" * 143)
    role = Role.objects.create(slug="long-role", name="Vai trò " + "R" * 142, kind="province_agency")
    membership = Membership.objects.create(user=user, role=role, admin_unit=units.bac_ninh)

    entry = log_action(membership, "accounts.membership.grant")

    assert len(str(membership)) > 300
    assert entry.object_repr == str(membership)[:300]
