import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from ocop.accounts.enums import Capability
from ocop.accounts.models import Membership, Role, User
from ocop.accounts.selectors import get_role
from tests.factories.accounts import UserFactory
from tests.factories.producers import ProducerFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"full_name": "Trần Thị Lan", "first_name": "Lan", "last_name": "Trần"}, "Trần Thị Lan"),
        ({"full_name": "", "first_name": "Lan", "last_name": "Trần"}, "Lan Trần"),
        ({"full_name": "", "first_name": "", "last_name": ""}, "tinh_bacninh"),
    ],
)
def test_user_str_and_display_name(fields, expected):
    user = User(username="tinh_bacninh", **fields)
    assert str(user) == expected
    assert user.display_name == expected


def test_user_audit_settings():
    assert (User.audited, User.audit_exclude, User.audit_ignore_changes) == (True, ("password",), ("last_login",))


@pytest.mark.parametrize(
    ("slug", "capabilities"),
    [
        (
            "system-admin",
            {
                "can_manage_users",
                "can_manage_reference_data",
                "can_view_registry",
                "can_manage_registry",
                "can_view_reports",
                "can_view_audit",
            },
        ),
        ("council-member", {"can_view_registry", "is_council_member"}),
        ("advisory-member", {"can_view_registry", "is_advisory_member"}),
        ("producer", {"can_view_registry", "can_manage_registry", "can_file_dossiers"}),
    ],
)
def test_role_capabilities_are_its_true_flags(slug, capabilities):
    role = get_role(slug)
    assert role.capabilities == frozenset(capabilities)
    assert all(getattr(role, c) is (c in capabilities) for c in Capability.values)


def test_role_without_flags_has_no_capabilities():
    role = Role(slug="empty", name="Trống", kind="council_member")
    assert role.capabilities == frozenset()
    assert str(role) == "Trống"


def test_membership_str(units):
    user = UserFactory(full_name="Trần Thị Lan")
    membership = Membership(user=user, role=get_role("province-agency"), admin_unit=units.bac_ninh)
    assert str(membership) == "Trần Thị Lan — Cơ quan OCOP cấp tỉnh @ Thành phố Bắc Ninh"


# Membership.clean -------------------------------------------------------------------------------


@pytest.fixture
def producer(units):
    return ProducerFactory(address_unit=units.yen_the)


def _clean_errors(**fields) -> dict:
    membership = Membership(user=UserFactory(), **fields)
    with pytest.raises(ValidationError) as info:
        membership.clean()
    return info.value.message_dict


@pytest.mark.parametrize(
    ("role", "unit", "expected"),
    [
        ("commune-officer", "bac_ninh", "This role can only be granted at these levels: Commune."),
        ("commune-officer", "country", "This role can only be granted at these levels: Commune."),
        ("province-agency", "yen_the", "This role can only be granted at these levels: Province."),
        ("system-admin", "ha_tinh", "This role can only be granted at these levels: Country."),
        ("council-member", "son_ha", "This role can only be granted at these levels: Country, Province."),
        ("commune-officer", "legacy_thuan_loc", "Roles can only be granted on a unit of the current map."),
        ("province-agency", "legacy_ha_tinh", "Roles can only be granted on a unit of the current map."),
        # A legacy unit at the wrong level: the map error is the one reported.
        ("commune-officer", "legacy_hong_linh_town", "Roles can only be granted on a unit of the current map."),
    ],
)
def test_membership_unit_refusals(units, role, unit, expected):
    assert _clean_errors(role=get_role(role), admin_unit=getattr(units, unit)) == {"admin_unit": [expected]}


def test_producer_role_needs_a_producer(units):
    assert _clean_errors(role=get_role("producer"), admin_unit=units.yen_the) == {
        "producer": ["A producer account must be linked to a producer."]
    }


def test_staff_role_cannot_name_a_producer(units, producer):
    assert _clean_errors(role=get_role("commune-officer"), admin_unit=units.yen_the, producer=producer) == {
        "producer": ["Only a producer account can be linked to a producer."]
    }


def test_unit_and_producer_errors_are_reported_together(units, producer):
    assert _clean_errors(role=get_role("province-agency"), admin_unit=units.yen_the, producer=producer) == {
        "admin_unit": ["This role can only be granted at these levels: Province."],
        "producer": ["Only a producer account can be linked to a producer."],
    }


def test_valid_memberships_pass_clean(units, producer):
    user = UserFactory()
    Membership(user=user, role=get_role("commune-officer"), admin_unit=units.yen_the).clean()
    Membership(user=user, role=get_role("producer"), admin_unit=units.yen_the, producer=producer).clean()
    Membership(user=user, role=get_role("council-member"), admin_unit=units.country).clean()


def test_role_without_allowed_levels_may_be_granted_anywhere(units):
    role = Role.objects.create(slug="observer", name="Quan sát viên", kind="council_member", allowed_levels=[])
    for unit in (units.country, units.ha_tinh, units.nam_hong_linh):
        Membership(user=UserFactory(), role=role, admin_unit=unit).clean()


def test_clean_of_an_incomplete_membership_checks_what_it_can(units):
    Membership().clean()
    Membership(admin_unit=units.legacy_thuan_loc).clean()
    assert _clean_errors(role=get_role("producer")) == {
        "producer": ["A producer account must be linked to a producer."]
    }


# Uniqueness ------------------------------------------------------------------------------------


def test_same_staff_role_twice_in_the_same_unit_is_refused(units):
    user = UserFactory()
    role = get_role("commune-officer")
    Membership.objects.create(user=user, role=role, admin_unit=units.yen_the)
    duplicate = Membership(user=user, role=role, admin_unit=units.yen_the, is_active=False)

    with pytest.raises(ValidationError) as info:
        duplicate.validate_constraints()
    assert info.value.messages == ["This user already has this role in this unit."]
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_same_staff_role_in_another_unit_or_for_another_user_is_allowed(units):
    user = UserFactory()
    role = get_role("commune-officer")
    Membership.objects.create(user=user, role=role, admin_unit=units.yen_the)
    Membership.objects.create(user=user, role=role, admin_unit=units.bo_ha)
    Membership.objects.create(user=UserFactory(), role=role, admin_unit=units.yen_the)
    assert Membership.objects.filter(role=role).count() == 3


def test_same_producer_twice_for_a_user_is_refused(units, producer):
    user = UserFactory()
    role = get_role("producer")
    Membership.objects.create(user=user, role=role, admin_unit=units.yen_the, producer=producer)
    duplicate = Membership(user=user, role=role, admin_unit=units.bo_ha, producer=producer)

    with pytest.raises(ValidationError) as info:
        duplicate.validate_constraints()
    assert info.value.messages == ["This user is already linked to this producer."]
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_user_may_act_for_two_producers_and_a_producer_have_two_users(units, producer):
    other = ProducerFactory(address_unit=units.yen_the)
    user = UserFactory()
    role = get_role("producer")
    Membership.objects.create(user=user, role=role, admin_unit=units.yen_the, producer=producer)
    Membership.objects.create(user=user, role=role, admin_unit=units.yen_the, producer=other)
    Membership.objects.create(user=UserFactory(), role=role, admin_unit=units.yen_the, producer=producer)
    assert Membership.objects.filter(role=role).count() == 3


def test_role_slug_and_name_are_unique():
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(slug="producer", name="Khác", kind="producer")
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(slug="khac", name="Tài khoản chủ thể", kind="producer")
