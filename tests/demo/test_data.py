import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.test import Client

from ocop.accounts.models import Membership, Role, User
from ocop.accounts.selectors import primary_role_kind
from ocop.core.models import ActivityLog, ObjectChange
from ocop.demo.data import DEMO_USERS, PRODUCERS, _unit, load_demo_data
from ocop.producers.models import Producer
from ocop.producers.selectors import producers_for_user
from ocop.products.models import Product
from ocop.products.selectors import products_for_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def summary():
    return load_demo_data()


def test_first_load_creates_everything(summary):
    assert summary == "7 producers created, 11 products created, 8 users created, 1 dossiers created"


def test_demo_producers_are_placed_on_todays_map(summary):
    rows = [
        (p.name, p.legal_form, p.address_unit.key, p.address_unit.code_set.slug, p.province.name, p.commune.name)
        for p in Producer.objects.order_by("pk")
    ]
    assert rows == [
        ("HTX Nông nghiệp xanh Yên Thế", "cooperative", "C07288", "qd19-2025", "Thành phố Bắc Ninh", "Xã Yên Thế"),
        ("HTX Vải thiều Bố Hạ", "cooperative", "C07294", "qd19-2025", "Thành phố Bắc Ninh", "Xã Bố Hạ"),
        ("HTX Nông nghiệp Mộc Sơn", "cooperative", "C03979", "qd19-2025", "Tỉnh Sơn La", "Phường Mộc Sơn"),
        ("HTX Thân Trường", "cooperative", "C21289", "qd19-2025", "Tỉnh Quảng Ngãi", "Xã Sơn Hà"),
        (
            "Tổ hợp tác Mật ong Hồng Lĩnh",
            "cooperative_group",
            "C18130",
            "legacy-2004",
            "Tỉnh Hà Tĩnh",
            "Phường Nam Hồng Lĩnh",
        ),
        (
            "Công ty TNHH Cà phê Buôn Ma Thuột Xanh",
            "enterprise",
            "C24133",
            "qd19-2025",
            "Tỉnh Đắk Lắk",
            "Phường Buôn Ma Thuột",
        ),
        ("HTX Nông nghiệp sạch Hòa Vang", "cooperative", "C20320", "qd19-2025", "Thành phố Đà Nẵng", "Xã Hòa Vang"),
    ]
    yen_the = Producer.objects.get(name="HTX Nông nghiệp xanh Yên Thế")
    assert (yen_the.tax_code, yen_the.representative_name, yen_the.address, yen_the.phone) == (
        "2400871238",
        "Nguyễn Thị Hoa",
        "Thôn Hố Cát",
        "02043876123",  # stored normalised: digits only
    )


def test_demo_products(summary):
    # Codes are stored in their canonical spelling (the demo data types "24-07288-001-2025").
    rows = [
        (p.producer.name, p.name, p.code, p.recorded_unit.key if p.recorded_unit else None, p.recorded_on)
        for p in Product.objects.order_by("pk")
    ]
    yen_the, moc_son = "HTX Nông nghiệp xanh Yên Thế", "HTX Nông nghiệp Mộc Sơn"
    assert rows == [
        (yen_the, "Gà đồi Yên Thế đóng gói hút chân không", "24-07288-1-2025", None, None),
        (yen_the, "Giò gà Yên Thế", "24-07288-2-2025", None, None),
        (yen_the, "Chả gà Yên Thế", "24-07288-3-2025", None, None),
        (yen_the, "Gà đồi Yên Thế (hồ sơ 2022)", "24-215-07288-1-2022", "C07288", dt.date(2022, 9, 15)),
        ("HTX Vải thiều Bố Hạ", "Mật ong hoa vải Bố Hạ", "24-07294-1-2025", None, None),
        (moc_son, "Bánh khảo Mộc Sơn", "14-03979-1-2025", None, None),
        (moc_son, "Rượu thóc men lá", "14-03979-2-2025", None, None),
        ("HTX Thân Trường", "Chè xanh Bản Ven", "51-21289-1-2025", None, None),
        (
            "Tổ hợp tác Mật ong Hồng Lĩnh",
            "Mật ong rừng Hồng Lĩnh",
            "42-437-18130-1-2022",
            "D437",
            dt.date(2022, 10, 20),
        ),
        (
            "Công ty TNHH Cà phê Buôn Ma Thuột Xanh",
            "Cà phê rang xay Robusta Buôn Ma Thuột",
            "66-24133-1-2025",
            None,
            None,
        ),
        ("HTX Nông nghiệp sạch Hòa Vang", "Nấm linh chi Hòa Vang", "48-20320-1-2025", None, None),
    ]
    legacy_record = Product.objects.get(code="24-215-07288-1-2022")
    assert (legacy_record.recorded_unit.name, legacy_record.recorded_unit.code_set.slug) == (
        "Thị trấn Phồn Xương",
        "legacy-2004",
    )


def test_demo_users_and_their_memberships(summary):
    rows = [
        (
            m.user.username,
            m.user.full_name,
            m.role.slug,
            m.admin_unit.key,
            m.producer.name if m.producer else None,
            m.include_descendants,
            m.is_active,
        )
        for m in Membership.objects.select_related("user", "role", "admin_unit", "producer").order_by("user__pk")
    ]
    assert rows == [
        ("admin", "Quản trị hệ thống", "system-admin", "NVN", None, True, True),
        ("bo_ocop", "Nguyễn Văn Bình", "ministry-office", "NVN", None, True, True),
        ("tinh_bacninh", "Trần Thị Lan", "province-agency", "P24", None, True, True),
        ("tinh_hatinh", "Phan Văn Đức", "province-agency", "P42", None, True, True),
        ("hoidong_bacninh", "Đỗ Minh Tuấn", "council-member", "P24", None, True, True),
        ("totuvan_bacninh", "Vũ Thị Hằng", "advisory-member", "P24", None, True, True),
        ("xa_yenthe", "Hoàng Văn Nam", "commune-officer", "C07288", None, True, True),
        ("chuthe_yenthe", "Nguyễn Thị Hoa", "producer", "C07288", "HTX Nông nghiệp xanh Yên Thế", True, True),
    ]
    assert [u.username for u in User.objects.filter(is_superuser=True)] == ["admin"]
    assert [u.username for u in User.objects.filter(is_staff=True)] == ["admin"]
    assert {u.email for u in User.objects.all()} == {f"{s['username']}@demo.ocop.localhost" for s in DEMO_USERS}


def test_demo_users_home_role_kinds(summary):
    kinds = {u.username: primary_role_kind(u) for u in User.objects.all()}
    assert kinds == {
        "admin": "system_admin",
        "bo_ocop": "ministry_office",
        "tinh_bacninh": "province_agency",
        "tinh_hatinh": "province_agency",
        "hoidong_bacninh": "council_member",
        "totuvan_bacninh": "advisory_member",
        "xa_yenthe": "commune_officer",
        "chuthe_yenthe": "producer",
    }


@pytest.mark.parametrize(
    ("username", "producers", "products"),
    [
        ("admin", 7, 11),
        ("bo_ocop", 7, 11),
        ("tinh_bacninh", 2, 5),
        ("tinh_hatinh", 1, 1),
        ("xa_yenthe", 1, 4),
        ("chuthe_yenthe", 1, 4),
    ],
)
def test_demo_users_see_their_scope(summary, username, producers, products):
    user = User.objects.get(username=username)
    assert (producers_for_user(user).count(), products_for_user(user).count()) == (producers, products)


def test_second_load_creates_nothing(summary):
    counts = (Producer.objects.count(), Product.objects.count(), User.objects.count(), Membership.objects.count())
    changes, events = ObjectChange.objects.count(), ActivityLog.objects.count()

    assert load_demo_data() == "0 producers created, 0 products created, 0 users created, 0 dossiers created"

    assert (Producer.objects.count(), Product.objects.count(), User.objects.count(), Membership.objects.count()) == (
        counts
    )
    assert (ObjectChange.objects.count(), ActivityLog.objects.count()) == (changes, events)


def test_reload_restores_missing_demo_records(summary):
    product = Product.objects.get(name="Chè xanh Bản Ven")
    product.star_records.all().delete()  # the star history protects the product
    product.delete()
    Membership.objects.get(user__username="xa_yenthe").delete()

    assert load_demo_data() == "0 producers created, 1 products created, 0 users created, 0 dossiers created"

    restored = Product.objects.get(name="Chè xanh Bản Ven")
    assert (restored.code, restored.current_stars, restored.current_stars_valid_until) == (
        "51-21289-1-2025",
        3,
        dt.date(2027, 3, 1),
    )
    assert [(c.legal_basis.code, c.category.sheet_number) for c in restored.classifications.all()] == [
        ("26/2026/QĐ-TTg", 11)
    ]
    assert Membership.objects.get(user__username="xa_yenthe").role.slug == "commune-officer"


def test_reload_keeps_edited_users_and_producers(summary):
    User.objects.filter(username="bo_ocop").update(full_name="Người khác")
    Producer.objects.filter(name="HTX Thân Trường").update(phone="0255 000 000")

    load_demo_data()

    assert User.objects.get(username="bo_ocop").full_name == "Người khác"
    assert Producer.objects.get(name="HTX Thân Trường").phone == "0255 000 000"


@pytest.mark.parametrize("spec", DEMO_USERS, ids=[s["username"] for s in DEMO_USERS])
def test_every_demo_user_can_sign_in_with_the_demo_password(summary, spec):
    user = authenticate(username=spec["username"], password=settings.OCOP_DEMO_PASSWORD)
    assert user is not None
    assert user.username == spec["username"]
    assert authenticate(username=spec["username"], password=settings.OCOP_DEMO_PASSWORD + "x") is None


def test_demo_user_signs_in_through_the_login_page(summary):
    client = Client()
    response = client.post("/accounts/login/", {"username": "xa_yenthe", "password": settings.OCOP_DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="xa_yenthe").pk)


def test_demo_data_covers_every_role():
    assert {s["role"] for s in DEMO_USERS} == set(Role.objects.values_list("slug", flat=True))
    assert len(PRODUCERS) == 7
    assert sum(len(s["products"]) for s in PRODUCERS) == 11


def test_a_missing_unit_is_reported():
    with pytest.raises(LookupError, match=r"^Unit commune 99999 not loaded: run `ocop load_admin_units` first$"):
        _unit("commune", "99999")
    assert _unit("commune", "18130", legacy=True).name == "Xã Thuận Lộc"
    assert _unit("commune", "18118").name == "Phường Nam Hồng Lĩnh"


def test_the_demo_dossier_waits_in_the_yen_the_commune_inbox(summary):
    from ocop.dossiers.selectors import commune_inbox, deadline_of

    officer = User.objects.get(username="xa_yenthe")
    rows = list(commune_inbox(officer))
    assert [(d.product.name, d.state, d.submission_count) for d in rows] == [("Chả gà Yên Thế", "submitted", 1)]
    assert rows[0].receipt_number.startswith("1/PĐK-24-07288-")
    from ocop.legal.selectors import working_calendar

    assert rows[0].due_on == working_calendar().add_working_days(rows[0].received_on, 15)
    assert deadline_of(rows[0], today=rows[0].received_on).working_days_left == 15
    assert list(commune_inbox(User.objects.get(username="tinh_hatinh"))) == []
