import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import translation

from ocop.accounts.enums import Capability
from ocop.accounts.models import Membership, Role, User
from ocop.accounts.selectors import get_role, grants_for
from ocop.accounts.services import ROLES_FILE, grant_membership, load_roles, update_profile
from ocop.core.context import change_context
from ocop.core.models import ActivityLog, ObjectChange
from tests.factories.accounts import UserFactory
from tests.factories.producers import ProducerFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def changes():
    """This test's audit rows for a model, newest first (the session setup wrote the roles' rows)."""
    first = (ObjectChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def _changes(model) -> list[ObjectChange]:
        content_type = ContentType.objects.get_for_model(model)
        return list(ObjectChange.objects.filter(changed_object_type=content_type, pk__gte=first))

    return _changes


# load_roles -------------------------------------------------------------------------------------


def test_roles_file_is_loaded():
    data = json.loads(ROLES_FILE.read_text(encoding="utf-8"))
    roles = {role.slug: role for role in Role.objects.all()}

    assert list(roles) == sorted(roles, key=lambda slug: roles[slug].name)
    assert {item["slug"] for item in data["roles"]} == set(roles)
    for item in data["roles"]:
        role = roles[item["slug"]]
        assert (role.name, role.kind, role.description, role.allowed_levels) == (
            item["name"],
            item["kind"],
            item["description"],
            item["allowed_levels"],
        )
        assert role.capabilities == frozenset(item["capabilities"])


def test_load_roles_is_idempotent(changes):
    before = {role.slug: (role.pk, role.updated_at) for role in Role.objects.all()}

    roles = load_roles()

    assert [r.slug for r in roles] == [
        "system-admin",
        "ministry-office",
        "province-agency",
        "council-member",
        "advisory-member",
        "commune-officer",
        "producer",
    ]
    assert {role.slug: (role.pk, role.updated_at) for role in Role.objects.all()} == before
    assert changes(Role) == []


def _write(tmp_path, roles) -> object:
    path = tmp_path / "roles.json"
    path.write_text(json.dumps({"roles": roles}, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_file_is_the_whole_truth(tmp_path, changes):
    path = _write(
        tmp_path,
        [
            {
                "slug": "council-member",
                "name": "Thành viên Hội đồng đánh giá",
                "kind": "council_member",
                "capabilities": ["is_council_member", "can_view_reports"],
            },
            {
                "slug": "observer",
                "name": "Quan sát viên",
                "kind": "council_member",
                "description": "Chỉ xem báo cáo.",
                "allowed_levels": ["province"],
                "capabilities": ["can_view_reports"],
            },
        ],
    )

    roles = load_roles(path)

    council, observer = roles
    assert [r.slug for r in roles] == ["council-member", "observer"]
    council.refresh_from_db()
    # Flags not listed are switched off (can_view_registry), optional keys fall back to defaults.
    assert council.capabilities == frozenset({"is_council_member", "can_view_reports"})
    assert (council.description, council.allowed_levels) == ("", [])
    assert observer.capabilities == frozenset({"can_view_reports"})
    assert (observer.kind, observer.description, observer.allowed_levels) == (
        "council_member",
        "Chỉ xem báo cáo.",
        ["province"],
    )
    # Roles missing from the file are left alone.
    producer = get_role("producer")
    assert producer.capabilities == frozenset({"can_view_registry", "can_manage_registry", "can_file_dossiers"})
    rows = changes(Role)
    assert [(c.action, c.object_repr) for c in rows] == [
        ("create", "Quan sát viên"),
        ("update", "Thành viên Hội đồng đánh giá"),
    ]
    assert [(field, old, new) for field, old, new in rows[1].diff if field != "updated_at"] == [
        ("allowed_levels", ["country", "province"], []),
        ("can_view_registry", True, False),
        ("can_view_reports", False, True),
        ("description", "Chấm điểm sản phẩm trên phiếu đánh giá của Hội đồng.", ""),
    ]

    load_roles(path)
    assert len(changes(Role)) == 2


def test_unknown_capability_is_refused_and_nothing_changes(tmp_path, changes):
    path = _write(
        tmp_path,
        [
            {"slug": "council-member", "name": "Hội đồng", "kind": "council_member", "capabilities": []},
            {
                "slug": "observer",
                "name": "Quan sát viên",
                "kind": "council_member",
                "capabilities": ["can_view_reports", "can_fly", "can_approve_everything"],
            },
        ],
    )

    expected = r"^Unknown capabilities for role observer: \['can_approve_everything', 'can_fly'\]$"
    with pytest.raises(ValueError, match=expected):
        load_roles(path)

    assert get_role("council-member").name == "Thành viên Hội đồng đánh giá"
    assert get_role("council-member").capabilities == frozenset({"can_view_registry", "is_council_member"})
    assert not Role.objects.filter(slug="observer").exists()


# grant_membership -------------------------------------------------------------------------------


@pytest.fixture
def producer(units):
    return ProducerFactory(name="HTX Gà đồi Yên Thế", address_unit=units.yen_the)


def _activity(user) -> list[tuple]:
    content_type = ContentType.objects.get_for_model(User)
    return [
        (a.action_type, a.actor, a.data)
        for a in ActivityLog.objects.filter(content_type=content_type, object_id=str(user.pk))
    ]


def test_grant_membership(units, changes):
    user = UserFactory(username="xa_yenthe")
    actor = UserFactory(username="tinh_bacninh")

    membership = grant_membership(user, role=get_role("commune-officer"), admin_unit=units.yen_the, actor=actor)

    membership.refresh_from_db()
    assert (membership.user, membership.role.slug, membership.admin_unit, membership.producer) == (
        user,
        "commune-officer",
        units.yen_the,
        None,
    )
    assert (membership.include_descendants, membership.is_active) == (True, True)
    assert _activity(user) == [
        ("accounts.membership.grant", actor, {"role": "commune-officer", "unit": "C07288", "producer": None})
    ]
    [change] = changes(Membership)
    assert (change.action, change.changed_object) == ("create", membership)


def test_grant_membership_for_a_producer_account(units, producer):
    user = UserFactory()

    membership = grant_membership(
        user, role=get_role("producer"), admin_unit=units.yen_the, producer=producer, include_descendants=False
    )

    assert (membership.producer, membership.include_descendants) == (producer, False)
    assert _activity(user) == [
        ("accounts.membership.grant", None, {"role": "producer", "unit": "C07288", "producer": producer.pk})
    ]


def test_grant_membership_actor_defaults_to_the_context(units):
    user, actor = UserFactory(), UserFactory()
    with change_context(actor):
        grant_membership(user, role=get_role("province-agency"), admin_unit=units.ha_tinh)
    assert _activity(user) == [
        ("accounts.membership.grant", actor, {"role": "province-agency", "unit": "P42", "producer": None})
    ]
    assert Membership.objects.get(user=user).created_by == actor


def test_grant_membership_refreshes_the_cached_grants(units):
    user = UserFactory()
    assert grants_for(user) == []

    grant_membership(user, role=get_role("commune-officer"), admin_unit=units.yen_the)

    assert [(g.role_kind, g.unit_id) for g in grants_for(user)] == [("commune_officer", units.yen_the.pk)]
    assert Capability.REVIEW_COMMUNE in {c for g in grants_for(user) for c in g.capabilities}


REFUSALS = [
    ("commune-officer", "bac_ninh", None, {"admin_unit": ["This role can only be granted at these levels: Commune."]}),
    ("province-agency", "yen_the", None, {"admin_unit": ["This role can only be granted at these levels: Province."]}),
    ("system-admin", "bac_ninh", None, {"admin_unit": ["This role can only be granted at these levels: Country."]}),
    ("ministry-office", "son_ha", None, {"admin_unit": ["This role can only be granted at these levels: Country."]}),
    (
        "council-member",
        "yen_the",
        None,
        {"admin_unit": ["This role can only be granted at these levels: Country, Province."]},
    ),
    (
        "commune-officer",
        "legacy_thuan_loc",
        None,
        {"admin_unit": ["Roles can only be granted on a unit of the current map."]},
    ),
    (
        "province-agency",
        "legacy_bac_giang",
        None,
        {"admin_unit": ["Roles can only be granted on a unit of the current map."]},
    ),
    ("producer", "yen_the", None, {"producer": ["A producer account must be linked to a producer."]}),
    ("commune-officer", "yen_the", "producer", {"producer": ["Only a producer account can be linked to a producer."]}),
    (
        "province-agency",
        "bac_ninh",
        "producer",
        {"producer": ["Only a producer account can be linked to a producer."]},
    ),
]


@pytest.mark.parametrize(("role", "unit", "with_producer", "errors"), REFUSALS)
def test_grant_membership_refusals(role, unit, with_producer, errors, units, producer):
    user = UserFactory()

    with translation.override("en"):
        with pytest.raises(ValidationError) as info:
            grant_membership(
                user, role=get_role(role), admin_unit=getattr(units, unit), producer=producer if with_producer else None
            )
        assert info.value.message_dict == errors
    assert not Membership.objects.filter(user=user).exists()
    assert _activity(user) == []


def test_refusal_messages_are_vietnamese_by_default(units):
    with pytest.raises(ValidationError) as info:
        grant_membership(UserFactory(), role=get_role("commune-officer"), admin_unit=units.bac_ninh)
    assert info.value.message_dict == {"admin_unit": ["Vai trò này chỉ được cấp ở các cấp: Xã/phường."]}
    with pytest.raises(ValidationError) as info:
        grant_membership(UserFactory(), role=get_role("producer"), admin_unit=units.yen_the)
    assert info.value.message_dict == {"producer": ["Tài khoản chủ thể phải được liên kết với một chủ thể."]}


def test_granting_the_same_staff_role_twice_is_refused(units):
    user = UserFactory()
    role = get_role("commune-officer")
    grant_membership(user, role=role, admin_unit=units.yen_the)

    with translation.override("en"):
        with pytest.raises(ValidationError) as info:
            grant_membership(user, role=role, admin_unit=units.yen_the)
        assert info.value.message_dict == {"__all__": ["This user already has this role in this unit."]}
    assert Membership.objects.filter(user=user).count() == 1
    assert len(_activity(user)) == 1


def test_linking_the_same_producer_twice_is_refused(units, producer):
    user = UserFactory()
    role = get_role("producer")
    grant_membership(user, role=role, admin_unit=units.yen_the, producer=producer)

    with translation.override("en"):
        with pytest.raises(ValidationError) as info:
            grant_membership(user, role=role, admin_unit=units.bo_ha, producer=producer)
        assert info.value.message_dict == {"__all__": ["This user is already linked to this producer."]}
    assert Membership.objects.filter(user=user).count() == 1


def test_the_same_role_in_two_units_is_allowed(units):
    user = UserFactory()
    role = get_role("commune-officer")
    grant_membership(user, role=role, admin_unit=units.yen_the)
    grant_membership(user, role=role, admin_unit=units.bo_ha)
    assert sorted(m.admin_unit.code for m in Membership.objects.filter(user=user)) == ["07288", "07294"]


# update_profile ---------------------------------------------------------------------------------


def test_update_profile_strips_and_saves_only_the_contact_fields(units, changes):
    user = User.objects.create_user(username="xa_yenthe", full_name="Hoàng Nam", job_title="Cán bộ")
    user.job_title = "Chưa lưu"

    result = update_profile(user, full_name="  Hoàng Văn Nam ", email=" nam@yenthe.gov.vn ", phone=" 0912 345 678 ")

    assert result is user
    fresh = User.objects.get(pk=user.pk)
    assert (fresh.full_name, fresh.email, fresh.phone, fresh.job_title) == (
        "Hoàng Văn Nam",
        "nam@yenthe.gov.vn",
        "0912 345 678",
        "Cán bộ",
    )
    newest = changes(User)[0]
    assert newest.action == "update"
    assert newest.changed_object == user
    assert [field for field, _old, _new in newest.diff] == ["email", "full_name", "job_title", "phone"]


def test_update_profile_defaults_clear_email_and_phone():
    user = User.objects.create_user(username="u1", full_name="A", email="a@b.vn", phone="0912345678")
    update_profile(user, full_name="A")
    fresh = User.objects.get(pk=user.pk)
    assert (fresh.full_name, fresh.email, fresh.phone) == ("A", "", "")


def test_update_profile_without_changes_writes_no_audit_row(changes):
    user = User.objects.create_user(username="u2", full_name="A", email="a@b.vn")
    update_profile(user, full_name="A", email="a@b.vn")
    assert [c.action for c in changes(User)] == ["create"]
