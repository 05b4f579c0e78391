from dataclasses import replace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from ocop.accounts.enums import Capability, RoleKind
from ocop.accounts.models import Membership, Role
from ocop.accounts.selectors import (
    Grant,
    all_capabilities,
    capabilities_for_scope,
    capabilities_for_unit,
    clear_grants_cache,
    get_role,
    grants_for,
    memberships_for_user,
    primary_role_kind,
    scope_q,
    users_for_user,
)
from ocop.accounts.services import grant_membership
from ocop.core.scope import Scope
from ocop.producers.models import Producer
from tests.factories.accounts import UserFactory
from tests.factories.producers import ProducerFactory
from tests.utils import make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ALL = frozenset(Capability.values)
NOTHING = Q(pk__in=[])
EVERYTHING = ~Q(pk__in=[])


def caps(slug: str) -> frozenset[str]:
    return get_role(slug).capabilities


# Grant.covers (pure) ----------------------------------------------------------------------------

BASE = Grant(
    role_kind=RoleKind.PROVINCE_AGENCY,
    role_name="Cơ quan OCOP cấp tỉnh",
    capabilities=frozenset({"can_view_registry"}),
    unit_id=42,
    unit_level="province",
    unit_name="Tỉnh Hà Tĩnh",
    include_descendants=True,
    producer_id=None,
)
COUNTRY = replace(BASE, role_kind=RoleKind.MINISTRY_OFFICE, unit_id=1, unit_level="country")
PROVINCE = BASE
PROVINCE_ONLY = replace(BASE, include_descendants=False)
COMMUNE = replace(BASE, role_kind=RoleKind.COMMUNE_OFFICER, unit_id=18118, unit_level="commune")
PRODUCER = replace(BASE, role_kind=RoleKind.PRODUCER, unit_id=18118, unit_level="commune", producer_id=7)
DISTRICT = replace(BASE, unit_id=437, unit_level="district")

NATIONAL = Scope()
HA_TINH = Scope(province_id=42)
NAM_HONG_LINH = Scope(province_id=42, commune_id=18118)
BAC_HONG_LINH = Scope(province_id=42, commune_id=18115)
OWN_PRODUCER = Scope(province_id=42, commune_id=18118, producer_id=7)
OTHER_PRODUCER = Scope(province_id=42, commune_id=18118, producer_id=8)
ELSEWHERE = Scope(province_id=51, commune_id=21289, producer_id=9)


@pytest.mark.parametrize(
    ("grant", "scope", "expected"),
    [
        (COUNTRY, NATIONAL, True),
        (COUNTRY, HA_TINH, True),
        (COUNTRY, OWN_PRODUCER, True),
        (COUNTRY, ELSEWHERE, True),
        (replace(COUNTRY, include_descendants=False), NATIONAL, True),
        (replace(COUNTRY, include_descendants=False), HA_TINH, False),
        (replace(COUNTRY, include_descendants=False), Scope(commune_id=18118), False),
        (PROVINCE, NATIONAL, False),
        (PROVINCE, HA_TINH, True),
        (PROVINCE, NAM_HONG_LINH, True),
        (PROVINCE, OWN_PRODUCER, True),
        (PROVINCE, ELSEWHERE, False),
        (PROVINCE_ONLY, HA_TINH, True),
        (PROVINCE_ONLY, NAM_HONG_LINH, False),
        (PROVINCE_ONLY, Scope(province_id=42, producer_id=7), True),
        (PROVINCE_ONLY, ELSEWHERE, False),
        (COMMUNE, NATIONAL, False),
        (COMMUNE, HA_TINH, False),
        (COMMUNE, NAM_HONG_LINH, True),
        (COMMUNE, OWN_PRODUCER, True),
        (COMMUNE, BAC_HONG_LINH, False),
        (replace(COMMUNE, include_descendants=False), NAM_HONG_LINH, True),
        (PRODUCER, OWN_PRODUCER, True),
        (PRODUCER, Scope(producer_id=7), True),
        (PRODUCER, OTHER_PRODUCER, False),
        (PRODUCER, NAM_HONG_LINH, False),
        (PRODUCER, NATIONAL, False),
        (replace(PRODUCER, producer_id=None), NATIONAL, False),
        (DISTRICT, HA_TINH, False),
        (DISTRICT, Scope(province_id=42, commune_id=437), False),
    ],
)
def test_grant_covers(grant, scope, expected):
    assert grant.covers(scope) is expected


# A world of three producers and one user per role -----------------------------------------------


@pytest.fixture
def producers(units):
    return {
        "yen_the": ProducerFactory(name="HTX Gà đồi Yên Thế", address_unit=units.yen_the),
        "bo_ha": ProducerFactory(name="HTX Vải thiều Bố Hạ", address_unit=units.bo_ha),
        "son_ha": ProducerFactory(name="HTX Thân Trường", address_unit=units.son_ha),
    }


# (role, unit, include_descendants, producer acted for) → producers covered
ROLE_CASES = {
    "system admin @ country": ("system-admin", "country", True, None, {"yen_the", "bo_ha", "son_ha"}),
    "ministry @ country": ("ministry-office", "country", True, None, {"yen_the", "bo_ha", "son_ha"}),
    "ministry @ country, no descendants": ("ministry-office", "country", False, None, set()),
    "province agency @ Bắc Ninh": ("province-agency", "bac_ninh", True, None, {"yen_the", "bo_ha"}),
    "province agency @ Bắc Ninh, no descendants": ("province-agency", "bac_ninh", False, None, set()),
    "province agency @ Quảng Ngãi": ("province-agency", "quang_ngai", True, None, {"son_ha"}),
    "council @ Bắc Ninh": ("council-member", "bac_ninh", True, None, {"yen_the", "bo_ha"}),
    "advisory @ country": ("advisory-member", "country", True, None, {"yen_the", "bo_ha", "son_ha"}),
    "commune officer @ Yên Thế": ("commune-officer", "yen_the", True, None, {"yen_the"}),
    "commune officer @ Sơn Hà": ("commune-officer", "son_ha", True, None, {"son_ha"}),
    "commune officer @ Nam Hồng Lĩnh": ("commune-officer", "nam_hong_linh", True, None, set()),
    "producer account of Yên Thế": ("producer", "yen_the", True, "yen_the", {"yen_the"}),
    "producer account of Bố Hạ @ Yên Thế": ("producer", "yen_the", True, "bo_ha", {"bo_ha"}),
}


def _user_for(case: str, units, producers):
    role, unit, descendants, producer, _expected = ROLE_CASES[case]
    return make_user_with_role(
        role,
        getattr(units, unit),
        producer=producers[producer] if producer else None,
        include_descendants=descendants,
    )


@pytest.mark.parametrize("case", ROLE_CASES)
def test_capabilities_for_scope_by_role_unit_and_object(case, units, producers):
    user = _user_for(case, units, producers)
    role, _unit, _descendants, _producer, covered = ROLE_CASES[case]

    result = {name: capabilities_for_scope(user, producer.scope) for name, producer in producers.items()}

    assert result == {name: caps(role) if name in covered else frozenset() for name in producers}


@pytest.mark.parametrize("case", ROLE_CASES)
def test_scope_q_selects_exactly_the_covered_producers(case, units, producers):
    user = _user_for(case, units, producers)
    role, _unit, _descendants, _producer, covered = ROLE_CASES[case]
    mine = Producer.objects.filter(pk__in=[p.pk for p in producers.values()])

    for capability in Capability.values:
        selected = set(mine.filter(scope_q(user, capability, producer_field="pk")))
        expected = {producers[name] for name in covered} if capability in caps(role) else set()
        assert selected == expected, capability
        assert selected == {p for p in mine if capability in capabilities_for_scope(user, p.scope)}, capability


@pytest.mark.parametrize(
    ("case", "scope_name", "expected_role"),
    [
        ("province agency @ Bắc Ninh", "province", "province-agency"),
        ("province agency @ Bắc Ninh, no descendants", "province", "province-agency"),
        ("province agency @ Quảng Ngãi", "province", None),
        ("ministry @ country", "national", "ministry-office"),
        ("ministry @ country, no descendants", "national", "ministry-office"),
        ("commune officer @ Yên Thế", "province", None),
        ("commune officer @ Yên Thế", "national", None),
        ("producer account of Yên Thế", "province", None),
    ],
)
def test_capabilities_for_province_and_national_objects(case, scope_name, expected_role, units, producers):
    user = _user_for(case, units, producers)
    scope = Scope(province_id=units.bac_ninh.pk) if scope_name == "province" else Scope()
    assert capabilities_for_scope(user, scope) == (caps(expected_role) if expected_role else frozenset())


def test_capabilities_are_the_union_of_covering_memberships(units):
    user = make_user_with_role("council-member", units.bac_ninh)

    grant_membership(user, role=get_role("advisory-member"), admin_unit=units.country)
    grant_membership(user, role=get_role("commune-officer"), admin_unit=units.son_ha)
    yen_the = Scope(province_id=units.bac_ninh.pk, commune_id=units.yen_the.pk)
    son_ha = Scope(province_id=units.quang_ngai.pk, commune_id=units.son_ha.pk)

    assert capabilities_for_scope(user, yen_the) == caps("council-member") | caps("advisory-member")
    assert capabilities_for_scope(user, son_ha) == caps("advisory-member") | caps("commune-officer")
    assert all_capabilities(user) == caps("council-member") | caps("advisory-member") | caps("commune-officer")


def test_inactive_membership_gives_nothing(units, producers):
    user = make_user_with_role("province-agency", units.bac_ninh)
    Membership.objects.filter(user=user).update(is_active=False)
    clear_grants_cache(user)

    assert grants_for(user) == []
    assert all_capabilities(user) == frozenset()
    assert capabilities_for_scope(user, producers["yen_the"].scope) == frozenset()
    assert not Producer.objects.filter(scope_q(user, Capability.VIEW_REGISTRY)).exists()


@pytest.mark.parametrize("superuser", [False, True])
def test_inactive_user_gives_nothing(units, producers, superuser):
    user = make_user_with_role("province-agency", units.bac_ninh, is_superuser=superuser)
    user.is_active = False

    assert grants_for(user) == []
    assert all_capabilities(user) == frozenset()
    assert capabilities_for_scope(user, producers["yen_the"].scope) == frozenset()
    assert scope_q(user, Capability.VIEW_REGISTRY) == NOTHING


def test_superuser_gets_everything_everywhere(units, producers):
    user = UserFactory(is_superuser=True)

    assert grants_for(user) == []
    assert all_capabilities(user) == ALL
    assert capabilities_for_scope(user, producers["son_ha"].scope) == ALL
    assert capabilities_for_scope(user, Scope()) == ALL
    assert capabilities_for_unit(user, units.son_ha) == ALL
    assert scope_q(user, Capability.MANAGE_USERS) == EVERYTHING
    assert set(Producer.objects.filter(scope_q(user, Capability.MANAGE_USERS))) == set(Producer.objects.all())


@pytest.mark.parametrize("user", [None, AnonymousUser()], ids=["none", "anonymous"])
def test_no_user_has_nothing(user, producers):
    assert grants_for(user) == []
    assert all_capabilities(user) == frozenset()
    assert capabilities_for_scope(user, producers["son_ha"].scope) == frozenset()
    assert scope_q(user, Capability.VIEW_REGISTRY) == NOTHING
    assert primary_role_kind(user) is None


def test_user_without_role_has_nothing(producers):
    user = make_user_with_role(None)
    assert (grants_for(user), all_capabilities(user)) == ([], frozenset())
    assert capabilities_for_scope(user, producers["yen_the"].scope) == frozenset()
    assert not Producer.objects.filter(scope_q(user, Capability.VIEW_REGISTRY)).exists()


# grants_for -------------------------------------------------------------------------------------


def test_grants_for_flattens_the_memberships(units, producers):
    user = make_user_with_role("producer", units.yen_the, producer=producers["yen_the"])
    assert grants_for(user) == [
        Grant(
            role_kind="producer",
            role_name="Tài khoản chủ thể",
            capabilities=caps("producer"),
            unit_id=units.yen_the.pk,
            unit_level="commune",
            unit_name="Xã Yên Thế",
            include_descendants=True,
            producer_id=producers["yen_the"].pk,
        )
    ]


def test_grants_are_loaded_once_per_user_object(units, django_assert_num_queries):
    user = make_user_with_role("commune-officer", units.yen_the)
    clear_grants_cache(user)
    yen_the, expected = units.yen_the, caps("commune-officer")
    with django_assert_num_queries(1):
        first = grants_for(user)
        assert grants_for(user) is first
        assert all_capabilities(user) == expected
        assert capabilities_for_unit(user, yen_the) == expected


def test_clear_grants_cache(units):
    user = make_user_with_role("commune-officer", units.yen_the)
    first = grants_for(user)
    Membership.objects.filter(user=user).update(include_descendants=False)
    assert grants_for(user) is first

    clear_grants_cache(user)
    clear_grants_cache(user)  # clearing twice is harmless

    assert [g.include_descendants for g in grants_for(user)] == [False]


# capabilities_for_unit --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "unit", "expected_role"),
    [
        ("province agency @ Bắc Ninh", "bac_ninh", "province-agency"),
        ("province agency @ Bắc Ninh", "yen_the", "province-agency"),
        ("province agency @ Bắc Ninh", "son_ha", None),
        ("province agency @ Bắc Ninh", "country", None),
        ("province agency @ Bắc Ninh, no descendants", "bac_ninh", "province-agency"),
        ("province agency @ Bắc Ninh, no descendants", "yen_the", None),
        ("commune officer @ Yên Thế", "yen_the", "commune-officer"),
        ("commune officer @ Yên Thế", "bo_ha", None),
        ("commune officer @ Yên Thế", "bac_ninh", None),
        ("ministry @ country", "country", "ministry-office"),
        ("ministry @ country", "son_ha", "ministry-office"),
        ("ministry @ country, no descendants", "country", "ministry-office"),
        ("ministry @ country, no descendants", "ha_tinh", None),
        ("producer account of Yên Thế", "yen_the", None),
    ],
)
def test_capabilities_for_unit(case, unit, expected_role, units, producers):
    user = _user_for(case, units, producers)
    assert capabilities_for_unit(user, getattr(units, unit)) == (caps(expected_role) if expected_role else frozenset())


def test_capabilities_for_a_legacy_district_reads_it_as_a_unit_of_its_province(units):
    user = make_user_with_role("province-agency", units.bac_ninh)
    # A legacy district belongs to a legacy province, which no membership can name.
    assert capabilities_for_unit(user, units.legacy_yen_the_district) == frozenset()


# scope_q field mapping --------------------------------------------------------------------------


def test_scope_q_conditions(units, producers):
    province = make_user_with_role("province-agency", units.bac_ninh)
    province_only = make_user_with_role("province-agency", units.ha_tinh, include_descendants=False)
    commune = make_user_with_role("commune-officer", units.yen_the)
    account = make_user_with_role("producer", units.yen_the, producer=producers["yen_the"])
    bn, ht, yt = units.bac_ninh.pk, units.ha_tinh.pk, units.yen_the.pk
    pid = producers["yen_the"].pk
    nothing = NOTHING

    assert scope_q(province, "can_view_registry") == nothing | Q(province=bn)
    assert scope_q(province, "can_view_registry", province_field="p") == nothing | Q(p=bn)
    assert scope_q(province, "can_view_registry", province_field=None) == nothing
    assert scope_q(province, "can_file_dossiers") == nothing
    assert scope_q(province_only, "can_view_registry") == nothing | (Q(province=ht) & Q(commune__isnull=True))
    assert scope_q(province_only, "can_view_registry", commune_field=None) == nothing | Q(province=ht)
    assert scope_q(commune, "can_view_registry") == nothing | Q(commune=yt)
    assert scope_q(commune, "can_view_registry", commune_field="c") == nothing | Q(c=yt)
    assert scope_q(commune, "can_view_registry", commune_field=None) == nothing
    assert scope_q(account, "can_view_registry") == nothing
    assert scope_q(account, "can_view_registry", producer_field="producer") == nothing | Q(producer=pid)
    assert scope_q(account, "can_manage_users", producer_field="producer") == nothing


def test_scope_q_country_grant_with_descendants_short_circuits(units, producers):
    user = make_user_with_role("commune-officer", units.yen_the)

    grant_membership(user, role=get_role("advisory-member"), admin_unit=units.country)
    assert scope_q(user, "can_view_registry") == EVERYTHING
    assert scope_q(user, "can_manage_registry") == NOTHING | Q(commune=units.yen_the.pk)


@pytest.mark.parametrize("superuser", [False, True])
def test_a_national_scope_adds_no_sql_and_survives_an_or(units, producers, superuser):
    user = UserFactory(is_superuser=True) if superuser else make_user_with_role("system-admin", units.country)
    condition = scope_q(user, "can_manage_users", producer_field="pk")

    assert "WHERE" not in str(Producer.objects.filter(condition).query)
    assert "WHERE" not in str(Producer.objects.filter(Q(pk=producers["son_ha"].pk) | condition).query)
    assert set(Producer.objects.filter(Q(pk=producers["son_ha"].pk) | condition)) == set(Producer.objects.all())


def test_scope_q_ignores_a_district_membership(units, producers):
    user = UserFactory()
    # Only possible by bypassing the service's validation (legacy districts are refused).
    Membership.objects.create(user=user, role=get_role("province-agency"), admin_unit=units.legacy_yen_the_district)
    assert [g.unit_level for g in grants_for(user)] == ["district"]
    assert scope_q(user, "can_view_registry") == NOTHING
    assert capabilities_for_scope(user, producers["yen_the"].scope) == frozenset()


# memberships_for_user / users_for_user ----------------------------------------------------------


@pytest.fixture
def people(units, producers):
    """Members of Hà Tĩnh, Bắc Ninh and Quảng Ngãi, plus the national office."""
    return {
        "admin": make_user_with_role("system-admin", units.country, username="admin"),
        "bo_ocop": make_user_with_role("ministry-office", units.country, username="bo_ocop"),
        "tinh_hatinh": make_user_with_role("province-agency", units.ha_tinh, username="tinh_hatinh"),
        "xa_namhonglinh": make_user_with_role("commune-officer", units.nam_hong_linh, username="xa_namhonglinh"),
        "xa_bachonglinh": make_user_with_role("commune-officer", units.bac_hong_linh, username="xa_bachonglinh"),
        "hoidong_hatinh": make_user_with_role("council-member", units.ha_tinh, username="hoidong_hatinh"),
        "tinh_bacninh": make_user_with_role("province-agency", units.bac_ninh, username="tinh_bacninh"),
        "xa_yenthe": make_user_with_role("commune-officer", units.yen_the, username="xa_yenthe"),
        "chuthe_yenthe": make_user_with_role(
            "producer", units.yen_the, producer=producers["yen_the"], username="chuthe_yenthe"
        ),
        "xa_sonha": make_user_with_role("commune-officer", units.son_ha, username="xa_sonha"),
        "no_role": make_user_with_role(None, username="no_role"),
    }


HA_TINH_USERS = {"tinh_hatinh", "xa_namhonglinh", "xa_bachonglinh", "hoidong_hatinh"}
BAC_NINH_USERS = {"tinh_bacninh", "xa_yenthe", "chuthe_yenthe"}
WITH_MEMBERSHIP = HA_TINH_USERS | BAC_NINH_USERS | {"admin", "bo_ocop", "xa_sonha"}


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("admin", WITH_MEMBERSHIP | {"no_role"}),  # superuser
        ("bo_ocop", {"bo_ocop"}),  # no can_manage_users
        ("tinh_hatinh", HA_TINH_USERS),
        ("tinh_bacninh", BAC_NINH_USERS),
        ("xa_namhonglinh", {"xa_namhonglinh"}),
        ("hoidong_hatinh", {"hoidong_hatinh"}),
        ("chuthe_yenthe", {"chuthe_yenthe"}),
        ("no_role", {"no_role"}),
    ],
)
def test_users_for_user(people, viewer, expected):
    visible = users_for_user(people[viewer])
    usernames = [u.username for u in visible]
    assert len(usernames) == len(set(usernames))
    assert set(usernames) & set(people) == expected


def test_a_national_system_admin_sees_every_user_like_a_superuser(units, people):
    viewer = make_user_with_role("system-admin", units.country, username="quantri")
    assert {u.username for u in users_for_user(viewer)} & set(people) == WITH_MEMBERSHIP | {"no_role"}
    assert {m.user.username for m in memberships_for_user(viewer)} & set(people) == WITH_MEMBERSHIP


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("admin", WITH_MEMBERSHIP),
        ("bo_ocop", {"bo_ocop"}),
        ("tinh_hatinh", HA_TINH_USERS),
        ("tinh_bacninh", BAC_NINH_USERS),
        ("xa_yenthe", {"xa_yenthe"}),
        ("chuthe_yenthe", {"chuthe_yenthe"}),
        ("no_role", set()),
    ],
)
def test_memberships_for_user(people, viewer, expected):
    visible = memberships_for_user(people[viewer])
    assert {m.user.username for m in visible} & set(people) == expected


def test_memberships_for_user_includes_own_memberships_elsewhere(units, people):

    viewer = people["tinh_hatinh"]
    grant_membership(viewer, role=get_role("council-member"), admin_unit=units.quang_ngai)
    mine = memberships_for_user(viewer).filter(user=viewer)
    assert sorted((m.role.slug, m.admin_unit.code) for m in mine) == [
        ("council-member", "51"),
        ("province-agency", "42"),
    ]


def test_memberships_for_user_loads_related_rows(people, django_assert_num_queries):
    viewer = people["tinh_hatinh"]
    grants_for(viewer)
    with django_assert_num_queries(1):
        rows = [(m.user.username, m.role.slug, m.admin_unit.code, m.producer) for m in memberships_for_user(viewer)]
    assert sorted(rows) == [
        ("hoidong_hatinh", "council-member", "42", None),
        ("tinh_hatinh", "province-agency", "42", None),
        ("xa_bachonglinh", "commune-officer", "18115", None),
        ("xa_namhonglinh", "commune-officer", "18118", None),
    ]


# get_role / primary_role_kind -------------------------------------------------------------------


def test_get_role():
    assert get_role("commune-officer").name == "Cán bộ OCOP cấp xã"
    with pytest.raises(Role.DoesNotExist):
        get_role("unknown")


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ([], None),
        (["producer"], RoleKind.PRODUCER),
        (["commune-officer", "producer"], RoleKind.COMMUNE_OFFICER),
        (["advisory-member", "commune-officer"], RoleKind.ADVISORY_MEMBER),
        (["council-member", "advisory-member"], RoleKind.COUNCIL_MEMBER),
        (["province-agency", "council-member"], RoleKind.PROVINCE_AGENCY),
        (["ministry-office", "province-agency"], RoleKind.MINISTRY_OFFICE),
        (["system-admin", "ministry-office", "producer"], RoleKind.SYSTEM_ADMIN),
    ],
)
def test_primary_role_kind_is_the_most_senior(roles, expected, units, producers):

    user = UserFactory()
    where = {
        "system-admin": units.country,
        "ministry-office": units.country,
        "province-agency": units.bac_ninh,
        "council-member": units.bac_ninh,
        "advisory-member": units.bac_ninh,
        "commune-officer": units.yen_the,
        "producer": units.yen_the,
    }
    for slug in roles:
        producer = producers["yen_the"] if slug == "producer" else None
        grant_membership(user, role=get_role(slug), admin_unit=where[slug], producer=producer)
    assert primary_role_kind(user) == expected


def test_primary_role_kind_of_a_superuser_without_membership():
    assert primary_role_kind(UserFactory(is_superuser=True)) == RoleKind.SYSTEM_ADMIN


def test_primary_role_kind_ignores_inactive_memberships(units):
    user = make_user_with_role("province-agency", units.bac_ninh)
    Membership.objects.filter(user=user).update(is_active=False)
    clear_grants_cache(user)
    assert primary_role_kind(user) is None


def test_role_kinds_are_declared_from_most_to_least_senior():
    assert list(RoleKind.values) == [
        "system_admin",
        "ministry_office",
        "province_agency",
        "council_member",
        "advisory_member",
        "commune_officer",
        "producer",
    ]
    assert Role.objects.count() == 7
