import datetime as dt
import io
import re
import threading
import zoneinfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from PIL import Image

from ocop.core.context import change_context
from ocop.core.exceptions import ApplicationError
from ocop.core.models import ActivityLog
from ocop.legal.models import LegalBasis
from ocop.products.models import (
    Product,
    ProductCategory,
    ProductClassification,
    ProductCodeCounter,
    ProductPhoto,
    StarRecord,
)
from ocop.products.services import (
    add_product_photo,
    assign_product_code,
    classify_product,
    create_product,
    delete_product_photo,
    load_product_taxonomy,
    record_star,
    refresh_current_stars,
    update_product,
)
from tests.factories.accounts import UserFactory
from tests.factories.producers import ProducerFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def producer(units):
    return ProducerFactory(name="HTX Gà đồi Yên Thế", address_unit=units.yen_the)


def _events(product) -> list[tuple]:
    content_type = ContentType.objects.get_for_model(Product)
    return [
        (a.action_type, a.actor, a.data)
        for a in ActivityLog.objects.filter(content_type=content_type, object_id=str(product.pk))
    ]


def test_create_product(producer):
    actor = UserFactory()

    product = create_product(
        producer=producer,
        name="  Gà đồi Yên Thế đóng gói hút chân không ",
        code=" 24-07288-001-2025 ",
        description="Gà thả đồi, đóng gói hút chân không.",
        actor=actor,
    )

    fresh = Product.objects.get(pk=product.pk)
    assert (fresh.producer, fresh.name, fresh.name_folded, fresh.code, fresh.description) == (
        producer,
        "Gà đồi Yên Thế đóng gói hút chân không",
        "ga doi yen the dong goi hut chan khong",
        "24-07288-1-2025",  # the canonical spelling: no padding on the sequence
        "Gà thả đồi, đóng gói hút chân không.",
    )
    assert (fresh.recorded_unit, fresh.recorded_on) == (None, None)
    assert _events(product) == [("products.product.create", actor, {})]
    assert str(fresh) == "Gà đồi Yên Thế đóng gói hút chân không"
    assert fresh.get_absolute_url() == f"/products/{fresh.pk}/"


def test_create_product_recorded_on_the_old_map(units, producer):
    product = create_product(
        producer=producer,
        name="Gà đồi Yên Thế (hồ sơ 2022)",
        code="24-215-07288-1-2022",
        recorded_unit=units.legacy_phon_xuong,
        recorded_on=dt.date(2022, 9, 15),
    )
    fresh = Product.objects.get(pk=product.pk)
    assert (fresh.recorded_unit, fresh.recorded_on) == (units.legacy_phon_xuong, dt.date(2022, 9, 15))
    # The scope is the producer's (today's units), not the unit the record was made in.
    assert (fresh.scope.province_id, fresh.scope.commune_id, fresh.scope.producer_id) == (
        units.bac_ninh.pk,
        units.yen_the.pk,
        producer.pk,
    )


def test_create_product_actor_defaults_to_the_context(producer):
    actor = UserFactory()
    with change_context(actor):
        product = create_product(producer=producer, name="Giò gà Yên Thế")
    assert _events(product) == [("products.product.create", actor, {})]
    assert product.created_by == actor


def test_duplicate_code_is_refused(english, producer, units):
    create_product(producer=producer, name="Giò gà Yên Thế", code="24-07288-002-2025")
    other = ProducerFactory(address_unit=units.son_ha)

    with pytest.raises(ValidationError) as info:
        create_product(producer=other, name="Chè xanh", code=" 24-07288-002-2025")
    assert info.value.message_dict == {"code": ["A product with this code already exists."]}
    assert info.value.error_dict["code"][0].code == "duplicate"
    assert list(Product.objects.values_list("name", flat=True)) == ["Giò gà Yên Thế"]


def test_products_without_code_do_not_clash(producer):
    create_product(producer=producer, name="Giò gà Yên Thế")
    create_product(producer=producer, name="Chả gà Yên Thế", code="   ")
    assert list(Product.objects.values_list("code", flat=True)) == ["", ""]


@pytest.mark.parametrize(
    ("fields", "error_fields"),
    [({"name": "  "}, ["name"]), ({"name": "x" * 256}, ["name", "name_folded"]), ({"code": "1" * 41}, ["code"])],
)
def test_invalid_fields_are_refused(producer, fields, error_fields):
    with pytest.raises(ValidationError) as info:
        create_product(producer=producer, **{"name": "Giò gà", **fields})
    assert sorted(info.value.message_dict) == error_fields
    assert not Product.objects.exists()


def test_update_product(producer):
    product = create_product(producer=producer, name="Giò gà", packaging="Hộp")
    actor = UserFactory()

    update_product(product, name="  Giò gà  Yên Thế ", packaging=" Hộp  500 g ", shelf_life="6 tháng", actor=actor)

    fresh = Product.objects.get(pk=product.pk)
    assert (fresh.name, fresh.name_folded, fresh.packaging, fresh.shelf_life, fresh.code) == (
        "Giò gà Yên Thế",
        "gio ga yen the",
        "Hộp 500 g",
        "6 tháng",
        "",
    )
    assert _events(product)[0] == ("products.product.update", actor, {"fields": ["name", "packaging", "shelf_life"]})


def test_update_product_to_a_taken_code_is_refused(english, producer):
    create_product(producer=producer, name="Giò gà", code="24-07288-1-2025")
    product = create_product(producer=producer, name="Chả gà")
    with pytest.raises(ValidationError) as info:
        update_product(product, code="24-07288-001-2025")
    assert info.value.message_dict == {"code": ["A product with this code already exists."]}
    assert Product.objects.get(pk=product.pk).code == ""


def test_update_product_keeps_or_clears_its_code(producer):
    product = create_product(producer=producer, name="Giò gà", code="24-07288-1-2025")
    update_product(product, code="24-07288-1-2025", name="Giò gà Yên Thế")
    assert Product.objects.get(pk=product.pk).code == "24-07288-1-2025"
    update_product(product, code="  ")
    fresh = Product.objects.get(pk=product.pk)
    assert (fresh.code, fresh.code_format, fresh.code_commune, fresh.code_sequence, fresh.code_year) == (
        "",
        "",
        "",
        None,
        None,
    )


def test_a_malformed_code_is_refused_with_the_expected_format(english, producer):
    with pytest.raises(ValidationError) as info:
        create_product(producer=producer, name="Giò gà", code="24-7288-1-2025")
    assert info.value.message_dict == {
        "code": [
            "Enter a product code as T-X-STT-YYYY (2-digit province code - 5-digit commune code - sequence number "
            "- evaluation year), e.g. 24-07288-1-2025, or a legacy code with a district code, "
            "e.g. 83-829-28780-3-2022."
        ]
    }
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        ("24-07288-001-2025", ("24-07288-1-2025", "current", "24", "", "07288", 1, 2025)),
        (" 24 – 07288 – 12 – 2026 ", ("24-07288-12-2026", "current", "24", "", "07288", 12, 2026)),
        ("24-215-07288-1-2022", ("24-215-07288-1-2022", "legacy", "24", "215", "07288", 1, 2022)),
    ],
)
def test_codes_are_stored_canonically_with_their_parts(producer, typed, parts):
    product = create_product(producer=producer, name="Giò gà", code=typed)
    fresh = Product.objects.get(pk=product.pk)
    assert (
        fresh.code,
        fresh.code_format,
        fresh.code_province,
        fresh.code_district,
        fresh.code_commune,
        fresh.code_sequence,
        fresh.code_year,
    ) == parts


@pytest.mark.parametrize("service", ["create", "update"])
def test_product_fields_that_are_not_editable_are_a_programming_error(producer, service):
    with pytest.raises(TypeError, match=r"^Not editable: \['current_stars'\]$"):
        if service == "create":
            create_product(producer=producer, name="Giò gà", current_stars=5)
        else:
            update_product(create_product(producer=producer, name="Giò gà"), current_stars=5)


# Classification ---------------------------------------------------------------------------------


def _category(basis: str, *, sheet: int | None = None, code: str | None = None) -> ProductCategory:
    if sheet is not None:
        return ProductCategory.objects.get(legal_basis__code=basis, sheet_number=sheet)
    return ProductCategory.objects.get(legal_basis__code=basis, code=code)


def _classifications(product) -> list[tuple]:
    return [
        (c.legal_basis.code, c.category.code, c.category.sheet_number)
        for c in ProductClassification.objects.filter(product=product).order_by("legal_basis__effective_from")
    ]


def test_create_product_with_a_category(producer):
    actor = UserFactory()
    meat = _category("26/2026/QĐ-TTg", sheet=2)

    product = create_product(producer=producer, name="Gà đồi Yên Thế", category=meat, actor=actor)

    assert _classifications(product) == [("26/2026/QĐ-TTg", "I.1.b", 2)]
    assert _events(product) == [
        ("products.product.classify", actor, {"legal_basis": "26/2026/QĐ-TTg", "category": "I.1.b", "previous": None}),
        ("products.product.create", actor, {}),
    ]


def test_classify_under_two_bases_and_replace_one(producer):
    product = create_product(producer=producer, name="Gà đồi Yên Thế")
    first = classify_product(product, category=_category("26/2026/QĐ-TTg", sheet=2))
    classify_product(product, category=_category("1048/QĐ-TTg", code="I"))
    assert _classifications(product) == [("1048/QĐ-TTg", "I", None), ("26/2026/QĐ-TTg", "I.1.b", 2)]

    again = classify_product(product, category=_category("26/2026/QĐ-TTg", sheet=8))

    assert again.pk == first.pk  # one row per product and basis, replaced
    assert _classifications(product) == [("1048/QĐ-TTg", "I", None), ("26/2026/QĐ-TTg", "I.3.d", 8)]
    assert _events(product)[0] == (
        "products.product.classify",
        None,
        {"legal_basis": "26/2026/QĐ-TTg", "category": "I.3.d", "previous": _category("26/2026/QĐ-TTg", sheet=2).pk},
    )


@pytest.mark.parametrize(
    ("basis", "code"), [("26/2026/QĐ-TTg", "I"), ("26/2026/QĐ-TTg", "I.1"), ("148/QĐ-TTg", "II.1")]
)
def test_a_heading_cannot_be_assigned(english, producer, basis, code):
    product = create_product(producer=producer, name="Gà đồi Yên Thế")
    heading = _category(basis, code=code)
    with pytest.raises(ValidationError) as info:
        classify_product(product, category=heading)
    assert info.value.message_dict == {"category": [f"“{heading.name}” is a heading; choose a product set under it."]}
    assert _classifications(product) == []


def test_create_product_with_a_heading_writes_nothing(producer):
    with pytest.raises(ValidationError):
        create_product(producer=producer, name="Gà đồi Yên Thế", category=_category("26/2026/QĐ-TTg", code="I"))
    assert not Product.objects.exists()


# Product codes ----------------------------------------------------------------------------------


def _counter(unit) -> int | None:
    counter = ProductCodeCounter.objects.filter(commune=unit).first()
    return counter.last_sequence if counter else None


def test_assign_product_code_numbers_the_products_of_a_commune(units, producer):
    neighbour = ProducerFactory(name="HTX Vải thiều Bố Hạ", address_unit=units.bo_ha)
    actor = UserFactory()
    first = create_product(producer=producer, name="Gà đồi")
    second = create_product(producer=producer, name="Giò gà")
    elsewhere = create_product(producer=neighbour, name="Vải thiều sấy")

    assign_product_code(first, year=2026, actor=actor)
    assign_product_code(second, year=2026)
    assign_product_code(elsewhere, year=2026)

    assert [Product.objects.get(pk=p.pk).code for p in (first, second, elsewhere)] == [
        "24-07288-1-2026",
        "24-07288-2-2026",
        "24-07294-1-2026",
    ]
    fresh = Product.objects.get(pk=first.pk)
    assert (fresh.code_format, fresh.code_commune, fresh.code_sequence, fresh.code_year) == (
        "current",
        "07288",
        1,
        2026,
    )
    assert (_counter(units.yen_the), _counter(units.bo_ha)) == (2, 1)
    assert _events(first)[0] == ("products.product.assign_code", actor, {"code": "24-07288-1-2026"})


def test_assign_product_code_uses_the_current_year_by_default(producer):
    product = create_product(producer=producer, name="Gà đồi")
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")), tick=False):
        assign_product_code(product)
    assert product.code == "24-07288-1-2027"


def test_assign_product_code_skips_a_code_taken_by_an_imported_record(units, producer):
    # A producer known only at district level cannot move the commune's counter, but its imported
    # record holds 24-07288-2-2026: the allocation must step over it.
    district_level = ProducerFactory(name="Hộ Yên Thế", address_unit=units.legacy_yen_the_district)
    create_product(producer=district_level, name="Mật ong", code="24-07288-2-2026")
    assert _counter(units.yen_the) is None
    products = [create_product(producer=producer, name=f"Sản phẩm {n}") for n in range(3)]

    for product in products:
        assign_product_code(product, year=2026)

    assert [p.code for p in products] == ["24-07288-1-2026", "24-07288-3-2026", "24-07288-4-2026"]
    assert _counter(units.yen_the) == 4


def test_a_typed_current_code_moves_the_counter_on(units, producer):
    create_product(producer=producer, name="Gà đồi", code="24-07288-007-2025")
    assert _counter(units.yen_the) == 7
    create_product(producer=producer, name="Giò gà", code="24-07288-3-2025")  # lower: the counter stays
    create_product(producer=producer, name="Gà hồ sơ cũ", code="24-215-07288-9-2022")  # legacy: not counted
    assert _counter(units.yen_the) == 7

    product = create_product(producer=producer, name="Chả gà", allocate_code=True, code_year=2026)

    assert product.code == "24-07288-8-2026"
    assert _counter(units.yen_the) == 8


def test_a_typed_code_of_another_commune_does_not_move_this_communes_counter(units, producer):
    create_product(producer=producer, name="Vải", code="24-07294-5-2025")
    assert (_counter(units.yen_the), _counter(units.bo_ha)) == (None, None)


def test_updating_to_a_current_code_moves_the_counter_on(units, producer):
    product = create_product(producer=producer, name="Gà đồi")
    update_product(product, code="24-07288-12-2025")
    assert _counter(units.yen_the) == 12


def test_create_product_allocates_a_code_only_when_it_has_none(units, producer):
    typed = create_product(producer=producer, name="Gà đồi", code="24-07288-4-2025", allocate_code=True)
    assert typed.code == "24-07288-4-2025"
    assert _counter(units.yen_the) == 4


def test_a_product_with_a_code_gets_no_new_one(english, producer):
    product = create_product(producer=producer, name="Gà đồi", code="24-07288-1-2025")
    with pytest.raises(ApplicationError) as info:
        assign_product_code(product, year=2026)
    assert info.value.message == "The product already has the code 24-07288-1-2025."


def test_no_code_without_todays_commune(english, units):
    # Thị xã Hồng Lĩnh became two wards: the producer has a province but no single commune.
    producer = ProducerFactory(name="Hộ Cam Hồng Lĩnh", address_unit=units.legacy_hong_linh_town)
    product = create_product(producer=producer, name="Cam bù Hồng Lĩnh")

    with pytest.raises(ApplicationError) as info:
        assign_product_code(product, year=2026)

    assert info.value.message == (
        "The producer's commune on today's map is not known, so no product code can be allocated."
    )
    assert Product.objects.get(pk=product.pk).code == ""
    assert not ProductCodeCounter.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_code_allocation_gives_distinct_consecutive_codes(reference_data, units):
    """Four officers allocating codes in the same commune at once (PostgreSQL row lock)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks (select_for_update is ignored) and serialises writers anyway")
    producers = [ProducerFactory(name=f"HTX số {n}", address_unit=units.yen_the) for n in range(4)]
    batches = [[create_product(producer=p, name=f"Sản phẩm {p.pk}-{n}") for n in range(5)] for p in producers]
    barrier = threading.Barrier(len(batches))
    failures: list[BaseException] = []

    def allocate(products):
        try:
            barrier.wait(timeout=30)
            for product in products:
                assign_product_code(product, year=2026)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    codes = sorted(Product.objects.exclude(code="").values_list("code_sequence", flat=True))
    assert codes == list(range(1, 21))
    assert sorted(Product.objects.values_list("code", flat=True)) == sorted(f"24-07288-{n}-2026" for n in range(1, 21))
    assert _counter(units.yen_the) == 20


# Star history -----------------------------------------------------------------------------------


def _vn(year, month, day):
    return dt.datetime(year, month, day, 12, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))


def test_record_star_appends_to_the_history_and_sets_the_current_stars(producer):
    product = create_product(producer=producer, name="Gà đồi Yên Thế")
    basis = LegalBasis.objects.get(code="148/QĐ-TTg")
    actor = UserFactory()

    with time_machine.travel(_vn(2026, 1, 1), tick=False):
        record = record_star(
            product,
            stars=4,
            recognised_on=dt.date(2025, 6, 10),
            valid_until=dt.date(2028, 6, 10),
            legal_basis=basis,
            score="78.50",
            decision_number=" 1520/QĐ-UBND ",
            decision_authority=" UBND tỉnh Bắc Giang ",
            certificate_number=" 24-0456 ",
            source="import",
            note="Nhập từ quyết định giấy",
            actor=actor,
        )

    fresh = StarRecord.objects.get(pk=record.pk)
    assert (
        fresh.stars,
        str(fresh.score),
        fresh.decision_number,
        fresh.decision_authority,
        fresh.certificate_number,
        fresh.source,
        fresh.legal_basis,
    ) == (4, "78.50", "1520/QĐ-UBND", "UBND tỉnh Bắc Giang", "24-0456", "import", basis)
    assert str(fresh) == "Gà đồi Yên Thế: 4★ (10/06/2025)"
    product = Product.objects.get(pk=product.pk)
    assert (product.current_stars, product.current_stars_valid_until) == (4, dt.date(2028, 6, 10))
    # (The event is dated in the travelled-to past, so it is not the newest: pick it by type.)
    assert [e for e in _events(product) if e[0] == "products.product.record_star"] == [
        ("products.product.record_star", actor, {"stars": 4, "record": record.pk})
    ]


def test_the_latest_recognition_decides_even_if_recorded_later(producer):
    product = create_product(producer=producer, name="Gà đồi Yên Thế")
    with time_machine.travel(_vn(2026, 1, 1), tick=False):
        record_star(product, stars=4, recognised_on=dt.date(2025, 6, 10), valid_until=dt.date(2028, 6, 10))
        record_star(product, stars=3, recognised_on=dt.date(2022, 12, 20), valid_until=dt.date(2025, 12, 20))
    assert Product.objects.get(pk=product.pk).current_stars == 4


def test_current_stars_lapse_when_the_certificate_expires(producer):
    product = create_product(producer=producer, name="Gà đồi Yên Thế")
    with time_machine.travel(_vn(2026, 1, 1), tick=False):
        record_star(product, stars=3, recognised_on=dt.date(2023, 3, 1), valid_until=dt.date(2026, 3, 1))
    assert Product.objects.get(pk=product.pk).current_stars == 3

    with time_machine.travel(_vn(2026, 3, 1), tick=False):  # the last valid day
        refresh_current_stars(product)
    assert Product.objects.get(pk=product.pk).current_stars == 3

    with time_machine.travel(_vn(2026, 3, 2), tick=False):
        refresh_current_stars(product)
    fresh = Product.objects.get(pk=product.pk)
    assert (fresh.current_stars, fresh.current_stars_valid_until) == (None, None)


def test_an_expired_latest_record_leaves_no_current_stars_even_if_an_older_one_was_longer(producer):
    product = create_product(producer=producer, name="Gà đồi Yên Thế")
    record_star(product, stars=5, recognised_on=dt.date(2020, 1, 1))  # no expiry recorded
    record_star(product, stars=3, recognised_on=dt.date(2021, 1, 1), valid_until=dt.date(2024, 1, 1))
    with time_machine.travel(_vn(2025, 1, 1), tick=False):
        refresh_current_stars(product)
    assert Product.objects.get(pk=product.pk).current_stars is None


def test_refresh_current_stars_on_a_given_day_and_without_history(producer):
    product = create_product(producer=producer, name="Gà đồi Yên Thế")
    assert refresh_current_stars(product, today=dt.date(2026, 1, 1)).current_stars is None
    record_star(product, stars=4, recognised_on=dt.date(2025, 6, 10), valid_until=dt.date(2028, 6, 10))
    assert refresh_current_stars(product, today=dt.date(2028, 6, 11)).current_stars is None
    assert refresh_current_stars(product, today=dt.date(2028, 6, 10)).current_stars == 4


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"stars": 6}, {"__all__": ["Stars must be between 1 and 5."]}),
        ({"stars": 0}, {"__all__": ["Stars must be between 1 and 5."]}),
        ({"valid_until": dt.date(2025, 6, 10)}, {"__all__": ["The expiry date must be after the recognition date."]}),
        ({"score": 100.5}, {"__all__": ["The score must be between 0 and 100."]}),
    ],
)
def test_bad_star_records_are_refused(english, producer, fields, errors):
    product = create_product(producer=producer, name="Gà đồi Yên Thế")
    values = {"stars": 4, "recognised_on": dt.date(2025, 6, 10), **fields}
    with pytest.raises(ValidationError) as info:
        record_star(product, **values)
    assert info.value.message_dict == errors
    assert not StarRecord.objects.exists()
    assert Product.objects.get(pk=product.pk).current_stars is None


# Photos -----------------------------------------------------------------------------------------


def _image(size=(1200, 800), image_format="PNG", name="anh-san-pham.png", color=(180, 40, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def _stored(name):
    storage = ProductPhoto._meta.get_field("image").storage
    with storage.open(name, "rb") as handle, Image.open(handle) as image:
        return image.format, image.size


def _photo_files(product) -> set[str]:
    """Files in the product's photo folder (SQLite reuses primary keys, so compare before and after)."""
    storage = ProductPhoto._meta.get_field("image").storage
    folder = f"products/{product.pk}/photos"
    return {f"{folder}/{name}" for name in storage.listdir(folder)[1]} if storage.exists(folder) else set()


def test_add_product_photo_stores_the_image_and_a_480px_thumbnail(producer):
    product = create_product(producer=producer, name="Gà đồi Yên Thế")
    actor = UserFactory()

    photo = add_product_photo(product, upload=_image(), caption="  Gà  đóng gói ", actor=actor)

    fresh = ProductPhoto.objects.get(pk=photo.pk)
    assert (fresh.caption, fresh.position, fresh.width, fresh.height) == ("Gà đóng gói", 1, 1200, 800)
    assert re.fullmatch(rf"products/{product.pk}/photos/[0-9a-f]{{32}}\.png", fresh.image.name)
    assert re.fullmatch(rf"products/{product.pk}/photos/[0-9a-f]{{32}}\.jpg", fresh.thumbnail.name)
    assert _stored(fresh.image.name) == ("PNG", (1200, 800))
    assert _stored(fresh.thumbnail.name) == ("JPEG", (480, 320))
    assert str(fresh) == "Gà đóng gói"
    assert _events(product)[0] == ("products.product.add_photo", actor, {"photo": photo.pk})


def test_photos_are_numbered_and_large_images_are_scaled_down(producer):
    product = create_product(producer=producer, name="Gà đồi Yên Thế")
    add_product_photo(product, upload=_image())
    photo = add_product_photo(product, upload=_image((3000, 1000), "JPEG", "lon.jpg"))

    assert (photo.position, photo.width, photo.height) == (2, 2400, 800)
    assert _stored(photo.image.name) == ("JPEG", (2400, 800))
    assert _stored(photo.thumbnail.name) == ("JPEG", (480, 160))
    assert str(photo) == "Gà đồi Yên Thế #2"


def test_a_small_image_keeps_its_size_and_a_webp_stays_webp(producer):
    product = create_product(producer=producer, name="Gà đồi Yên Thế")
    photo = add_product_photo(product, upload=_image((300, 200), "WEBP", "nho.webp"))
    assert _stored(photo.image.name) == ("WEBP", (300, 200))
    assert _stored(photo.thumbnail.name) == ("JPEG", (300, 200))


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("anh.png", b"%PDF-1.4 not an image", content_type="image/png"),
            "The file is not a readable image (JPEG, PNG or WebP).",
        ),
        (_image((10, 10), "GIF", "anh.gif"), "Images must be JPEG, PNG or WebP, not GIF."),
    ],
    ids=["pdf", "gif"],
)
def test_non_images_are_refused_and_nothing_is_stored(english, producer, upload, message):
    product = create_product(producer=producer, name="Gà đồi Yên Thế")
    before = _photo_files(product)
    with pytest.raises(ValidationError) as info:
        add_product_photo(product, upload=upload)
    assert info.value.message_dict == {"image": [message]}
    assert not ProductPhoto.objects.exists()
    assert _photo_files(product) == before


@override_settings(OCOP_MAX_IMAGE_MB=1)
def test_an_image_over_the_limit_is_refused_and_nothing_is_stored(english, producer):
    product = create_product(producer=producer, name="Gà đồi Yên Thế")
    upload = _image()
    upload = SimpleUploadedFile("lon.png", upload.read() + b"\0" * (1_572_864 - upload.size), "image/png")
    assert upload.size == 1_572_864
    before = _photo_files(product)

    with pytest.raises(ValidationError) as info:
        add_product_photo(product, upload=upload)

    assert info.value.message_dict == {"image": ["The image is 1.5\xa0MB; the limit is 1.0\xa0MB."]}
    assert not ProductPhoto.objects.exists()
    assert _photo_files(product) == before


def test_delete_product_photo_removes_both_files_after_commit(producer, django_capture_on_commit_callbacks):
    product = create_product(producer=producer, name="Gà đồi Yên Thế")
    photo = add_product_photo(product, upload=_image())
    pk, names = photo.pk, [photo.image.name, photo.thumbnail.name]
    actor = UserFactory()

    assert set(names) <= _photo_files(product)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        delete_product_photo(photo, actor=actor)
    assert set(names) <= _photo_files(product)  # not before the transaction commits
    for callback in callbacks:
        callback()

    assert not ProductPhoto.objects.filter(pk=pk).exists()
    assert not set(names) & _photo_files(product)
    assert names[0] != names[1]
    assert _events(product)[0] == ("products.product.delete_photo", actor, {"photo": pk})


# Taxonomy ---------------------------------------------------------------------------------------


def test_load_product_taxonomy_counts_and_is_idempotent():
    pks = set(ProductCategory.objects.values_list("pk", flat=True))
    ProductCategory.objects.filter(legal_basis__code="26/2026/QĐ-TTg", sheet_number=13).update(name="Sai tên")

    assert load_product_taxonomy() == {"26/2026/QĐ-TTg": 39, "148/QĐ-TTg": 39, "1048/QĐ-TTg": 6}

    assert set(ProductCategory.objects.values_list("pk", flat=True)) == pks
    assignable = {
        code: ProductCategory.objects.filter(legal_basis__code=code, is_assignable=True).count()
        for code in ("26/2026/QĐ-TTg", "148/QĐ-TTg", "1048/QĐ-TTg")
    }
    assert assignable == {"26/2026/QĐ-TTg": 26, "148/QĐ-TTg": 26, "1048/QĐ-TTg": 6}
    coffee = _category("26/2026/QĐ-TTg", sheet=13)
    assert (coffee.code, coffee.name, coffee.name_folded, coffee.level, coffee.parent.code, coffee.sector.code) == (
        "I.6",
        "Cà phê, ca cao",
        "ca phe, ca cao",
        "group",
        "I",
        "I",
    )
    assert sorted(
        ProductCategory.objects.filter(legal_basis__code="26/2026/QĐ-TTg", is_assignable=True).values_list(
            "sheet_number", flat=True
        )
    ) == list(range(1, 27))
    assert [c.name for c in ProductCategory.objects.filter(legal_basis__code="1048/QĐ-TTg")] == [
        "Thực phẩm",
        "Đồ uống",
        "Thảo dược",
        "Vải và may mặc",
        "Lưu niệm - nội thất - trang trí",
        "Dịch vụ du lịch nông thôn, bán hàng",
    ]
