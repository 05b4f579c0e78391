import pytest
from django.contrib.auth.models import AnonymousUser

from ocop.accounts.enums import Capability
from ocop.accounts.models import Membership
from ocop.accounts.rules import has_capability
from ocop.accounts.selectors import clear_grants_cache
from ocop.core.scope import Scope
from tests.factories.accounts import UserFactory
from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory
from tests.utils import make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


class Scoped:
    """Any object exposing ``scope`` can be checked."""

    def __init__(self, scope: Scope | None):
        self.scope = scope


@pytest.fixture
def objects(units):
    yen_the = ProducerFactory(name="HTX Gà đồi Yên Thế", address_unit=units.yen_the)
    son_ha = ProducerFactory(name="HTX Thân Trường", address_unit=units.son_ha)
    return {
        "producer_yen_the": yen_the,
        "producer_son_ha": son_ha,
        "product_yen_the": ProductFactory(producer=yen_the),
        "product_son_ha": ProductFactory(producer=son_ha),
        "unit_bac_ninh": units.bac_ninh,
        "unit_yen_the": units.yen_the,
        "unit_son_ha": units.son_ha,
        "unit_country": units.country,
    }


USERS = {
    "ministry": ("ministry-office", "country", None),
    "province_bac_ninh": ("province-agency", "bac_ninh", None),
    "commune_yen_the": ("commune-officer", "yen_the", None),
    "commune_son_ha": ("commune-officer", "son_ha", None),
    "producer_yen_the": ("producer", "yen_the", "producer_yen_the"),
    "council_bac_ninh": ("council-member", "bac_ninh", None),
}


def _user(name, units, objects):
    role, unit, producer = USERS[name]
    return make_user_with_role(role, getattr(units, unit), producer=objects[producer] if producer else None)


# (user, capability, object) → expected; object None asks "anywhere?"
CASES = [
    ("ministry", "can_view_registry", None, True),
    ("ministry", "can_manage_registry", None, False),
    ("ministry", "can_view_registry", "producer_son_ha", True),
    ("ministry", "can_manage_registry", "producer_son_ha", False),
    ("ministry", "can_recognise_five_star", "unit_country", True),
    ("province_bac_ninh", "can_manage_registry", None, True),
    ("province_bac_ninh", "can_manage_registry", "producer_yen_the", True),
    ("province_bac_ninh", "can_manage_registry", "product_yen_the", True),
    ("province_bac_ninh", "can_manage_registry", "producer_son_ha", False),
    ("province_bac_ninh", "can_manage_registry", "product_son_ha", False),
    ("province_bac_ninh", "can_manage_users", "unit_bac_ninh", True),
    ("province_bac_ninh", "can_manage_users", "unit_yen_the", True),
    ("province_bac_ninh", "can_manage_users", "unit_son_ha", False),
    ("province_bac_ninh", "can_manage_users", "unit_country", False),
    ("province_bac_ninh", "can_recognise_five_star", None, False),
    ("commune_yen_the", "can_review_commune", None, True),
    ("commune_yen_the", "can_manage_registry", "producer_yen_the", True),
    ("commune_yen_the", "can_manage_registry", "product_yen_the", True),
    ("commune_yen_the", "can_manage_registry", "unit_yen_the", True),
    ("commune_yen_the", "can_manage_registry", "unit_bac_ninh", False),
    ("commune_son_ha", "can_view_registry", "producer_yen_the", False),
    ("commune_son_ha", "can_view_registry", "product_yen_the", False),
    ("commune_son_ha", "can_view_registry", "product_son_ha", True),
    ("commune_son_ha", "can_manage_users", None, False),
    ("producer_yen_the", "can_file_dossiers", None, True),
    ("producer_yen_the", "can_manage_registry", "producer_yen_the", True),
    ("producer_yen_the", "can_manage_registry", "product_yen_the", True),
    ("producer_yen_the", "can_view_registry", "producer_son_ha", False),
    ("producer_yen_the", "can_view_registry", "unit_yen_the", False),
    ("producer_yen_the", "can_review_commune", "producer_yen_the", False),
    ("council_bac_ninh", "is_council_member", "product_yen_the", True),
    ("council_bac_ninh", "is_council_member", "product_son_ha", False),
    ("council_bac_ninh", "can_manage_registry", "product_yen_the", False),
]


@pytest.mark.parametrize(("user", "capability", "obj", "expected"), CASES)
def test_has_capability(user, capability, obj, expected, units, objects):
    predicate = has_capability(capability)
    assert predicate.test(_user(user, units, objects), objects[obj] if obj else None) is expected


@pytest.mark.parametrize("obj", [None, "producer_yen_the"])
def test_anonymous_and_missing_users_have_no_capability(obj, objects):
    target = objects[obj] if obj else None
    assert has_capability("can_view_registry").test(AnonymousUser(), target) is False
    assert has_capability("can_view_registry").test(None, target) is False


def test_objects_without_a_scope_are_refused(units):
    user = make_user_with_role("ministry-office", units.country)
    assert has_capability("can_view_registry").test(user, object()) is False
    assert has_capability("can_view_registry").test(user, Scoped(None)) is False
    assert has_capability("can_view_registry").test(user, Scoped(Scope())) is True


def test_inactive_membership_or_user_has_no_capability(units, objects):
    user = make_user_with_role("province-agency", units.bac_ninh)
    Membership.objects.filter(user=user).update(is_active=False)
    clear_grants_cache(user)
    assert has_capability("can_view_registry").test(user) is False
    assert has_capability("can_view_registry").test(user, objects["producer_yen_the"]) is False

    other = make_user_with_role("province-agency", units.bac_ninh, is_active=False)
    assert has_capability("can_view_registry").test(other, objects["producer_yen_the"]) is False


def test_superuser_has_every_capability_on_every_object(objects):
    user = UserFactory(is_superuser=True)
    for capability in Capability.values:
        assert has_capability(capability).test(user) is True
        assert has_capability(capability).test(user, objects["product_son_ha"]) is True


def test_predicates_are_built_once_per_capability():
    assert has_capability("can_view_audit") is has_capability("can_view_audit")
    assert has_capability(Capability.VIEW_AUDIT).name == has_capability("can_view_audit").name
    assert has_capability("can_view_audit").name == "has_capability:can_view_audit"
    assert has_capability("can_view_audit") is not has_capability("can_view_reports")


# Registered permissions -------------------------------------------------------------------------

PERMS = [
    ("core.view_audit", "province_bac_ninh", None, True),
    ("core.view_audit", "commune_yen_the", None, False),
    ("core.view_audit", "province_bac_ninh", "producer_yen_the", True),
    ("core.view_audit", "province_bac_ninh", "producer_son_ha", False),
    ("accounts.manage_users", "province_bac_ninh", None, True),
    ("accounts.manage_users", "ministry", None, False),
    ("accounts.manage_users", "commune_yen_the", None, False),
    ("geography.manage_reference_data", "province_bac_ninh", None, False),
    ("geography.manage_reference_data", "ministry", None, False),
    ("producers.view_producer", "commune_son_ha", "producer_son_ha", True),
    ("producers.view_producer", "commune_son_ha", "producer_yen_the", False),
    ("producers.view_producer", "council_bac_ninh", "producer_yen_the", True),
    ("producers.change_producer", "council_bac_ninh", "producer_yen_the", False),
    ("producers.change_producer", "producer_yen_the", "producer_yen_the", True),
    ("producers.change_producer", "producer_yen_the", "producer_son_ha", False),
    ("products.view_product", "ministry", "product_son_ha", True),
    ("products.change_product", "ministry", "product_son_ha", False),
    ("products.change_product", "commune_yen_the", "product_yen_the", True),
    ("products.change_product", "commune_yen_the", "product_son_ha", False),
]


@pytest.mark.parametrize(("perm", "user", "obj", "expected"), PERMS)
def test_registered_permissions(perm, user, obj, expected, units, objects):
    assert _user(user, units, objects).has_perm(perm, objects[obj] if obj else None) is expected


def test_system_admin_manages_reference_data(units):
    user = make_user_with_role("system-admin", units.country)
    assert user.has_perm("geography.manage_reference_data") is True
    assert AnonymousUser().has_perm("geography.manage_reference_data") is False
