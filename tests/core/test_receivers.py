import uuid

import pytest
from django.contrib.auth.models import AnonymousUser, update_last_login
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder

from ocop.accounts.models import Membership, Role, User
from ocop.core.context import change_context
from ocop.core.models import ActivityLog, ObjectChange
from ocop.core.receivers import is_audited
from ocop.geography.models import AdminUnit
from ocop.producers.models import Producer
from ocop.producers.services import create_producer, update_producer
from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _json(value):
    return DjangoJSONEncoder().default(value) if value is not None else None


def _changes(obj) -> list[ObjectChange]:
    content_type = ContentType.objects.get_for_model(obj)
    return list(ObjectChange.objects.filter(changed_object_type=content_type, changed_object_id=str(obj.pk)))


def _producer_snapshot(producer: Producer) -> dict:
    producer.refresh_from_db()
    return {
        "id": producer.pk,
        "created_at": _json(producer.created_at),
        "updated_at": _json(producer.updated_at),
        "created_by_id": producer.created_by_id,
        "name": producer.name,
        "name_folded": producer.name_folded,
        "legal_form": producer.legal_form,
        "tax_code": producer.tax_code,
        "representative_name": producer.representative_name,
        "address": producer.address,
        "address_unit_id": producer.address_unit_id,
        "province_id": producer.province_id,
        "commune_id": producer.commune_id,
        "phone": producer.phone,
        "email": producer.email,
        "website": producer.website,
        "social_url": producer.social_url,
        "registration_number": producer.registration_number,
        "registration_issued_on": _json(producer.registration_issued_on),
        "registration_issuer": producer.registration_issuer,
        "established_on": _json(producer.established_on),
        "main_sector": producer.main_sector,
        "representative_position": producer.representative_position,
        "representative_gender": producer.representative_gender,
        "representative_ethnicity_id": producer.representative_ethnicity_id,
        "representative_has_disability": producer.representative_has_disability,
        "labour_total": producer.labour_total,
        "labour_local": producer.labour_local,
        "labour_insured": producer.labour_insured,
        "member_count": producer.member_count,
        "cooperative_rating": producer.cooperative_rating,
        "cooperative_rated_year": producer.cooperative_rated_year,
        "size_class": producer.size_class,
        "size_class_reason": producer.size_class_reason,
    }


@pytest.fixture
def officer():
    return User.objects.create_user(username="can_bo_xa", password="mat-khau-cu-2026")


def _create(units, **fields) -> Producer:
    return create_producer(
        name="HTX Gà đồi Yên Thế", legal_form="cooperative", address_unit=units.yen_the, tax_code="2400871238", **fields
    )


# Create ------------------------------------------------------------------------------------------


def test_create_writes_one_create_row_with_the_context(units, officer):
    request_id = uuid.uuid4()
    with change_context(officer, request_id=request_id, source="web"):
        producer = _create(units)

    [change] = _changes(producer)
    assert change.action == "create"
    assert change.user == officer
    assert change.user_name == "can_bo_xa"
    assert change.request_id == request_id
    assert change.source == "web"
    assert change.changed_object == producer
    assert change.object_repr == "HTX Gà đồi Yên Thế"
    assert change.prechange_data is None
    assert change.postchange_data == _producer_snapshot(producer)
    assert change.postchange_data["created_by_id"] == officer.pk
    assert change.postchange_data["province_id"] == units.bac_ninh.pk
    assert change.postchange_data["commune_id"] == units.yen_the.pk
    # Fields that are None before and after (e.g. labour figures left empty) are no change.
    assert change.diff == sorted(
        (key, None, value) for key, value in change.postchange_data.items() if value is not None
    )
    assert ("labour_total", None, None) not in change.diff
    assert ("representative_has_disability", None, False) in change.diff


def test_created_by_is_taken_from_the_context(units, officer):
    with change_context(officer):
        producer = _create(units)
    assert producer.created_by == officer


def test_created_by_is_empty_without_a_context_and_the_change_is_a_system_change(units):
    producer = _create(units)

    assert producer.created_by is None
    [change] = _changes(producer)
    assert (change.user, change.user_name, change.request_id, change.source) == (None, "", None, "system")


def test_explicit_created_by_is_kept(units, officer):
    other = UserFactory()
    with change_context(officer):
        producer = Producer(
            name="Hộ Lê Văn A",
            name_folded="ho le van a",
            legal_form="household",
            address_unit=units.son_ha,
            province=units.quang_ngai,
            commune=units.son_ha,
            created_by=other,
        )
        producer.save()
    assert producer.created_by == other


def test_anonymous_context_user_is_not_recorded_but_the_request_id_is(units):
    request_id = uuid.uuid4()
    with change_context(AnonymousUser(), request_id=request_id, source="web"):
        producer = _create(units)

    [change] = _changes(producer)
    assert (change.user, change.user_name, change.request_id, change.source) == (None, "", request_id, "web")
    assert producer.created_by is None


def test_context_without_request_id_gets_a_fresh_one(units):
    with change_context() as context:
        producer = _create(units)
    [change] = _changes(producer)
    assert isinstance(context.request_id, uuid.UUID)
    assert change.request_id == context.request_id
    assert change.source == "system"


# Update ------------------------------------------------------------------------------------------


def test_update_writes_before_after_and_diff(units, officer):
    producer = _create(units)
    before = _producer_snapshot(producer)
    request_id = uuid.uuid4()

    with change_context(officer, request_id=request_id):
        update_producer(producer, phone="0204 3876 123", representative_name="Nguyễn Thị Hoa")

    newest, created = _changes(producer)
    assert created.action == "create"
    assert newest.action == "update"
    assert (newest.user, newest.request_id) == (officer, request_id)
    assert newest.prechange_data == before
    after = _producer_snapshot(producer)
    assert newest.postchange_data == after
    assert newest.diff == [
        ("phone", "", "02043876123"),  # stored normalised: digits only
        ("representative_name", "", "Nguyễn Thị Hoa"),
        ("updated_at", before["updated_at"], after["updated_at"]),
    ]


def test_update_of_the_unit_records_the_rederived_scope(units):
    producer = _create(units)
    update_producer(producer, address_unit=units.son_ha)

    [change, _created] = _changes(producer)
    assert [(field, old, new) for field, old, new in change.diff if field != "updated_at"] == [
        ("address_unit_id", units.yen_the.pk, units.son_ha.pk),
        ("commune_id", units.yen_the.pk, units.son_ha.pk),
        ("province_id", units.bac_ninh.pk, units.quang_ngai.pk),
    ]


def test_save_without_changes_writes_no_row(units):
    producer = _create(units)

    producer.save()
    update_producer(producer)
    Producer.objects.get(pk=producer.pk).save()

    assert [c.action for c in _changes(producer)] == ["create"]


def test_raw_save_is_not_audited(units):
    producer = _create(units)
    producer.phone = "0204 3876 123"

    producer.save_base(raw=True)

    assert [c.action for c in _changes(producer)] == ["create"]
    assert Producer.objects.get(pk=producer.pk).phone == "0204 3876 123"


def test_saving_an_object_whose_row_is_gone_records_a_create(units):
    producer = _create(units)
    pk = producer.pk
    Producer.objects.filter(pk=pk).delete()  # a bulk delete sends the signals too
    producer.pk, producer._state.adding = pk, False

    producer.save()

    content_type = ContentType.objects.get_for_model(Producer)
    rows = ObjectChange.objects.filter(changed_object_type=content_type, changed_object_id=str(pk))
    assert [(c.action, c.prechange_data is None) for c in rows] == [
        ("create", True),
        ("delete", False),
        ("create", True),
    ]


# Delete ------------------------------------------------------------------------------------------


def test_delete_writes_the_last_snapshot(units, officer):
    producer = _create(units)
    pk = producer.pk
    before = _producer_snapshot(producer)
    request_id = uuid.uuid4()

    with change_context(officer, request_id=request_id):
        producer.delete()

    content_type = ContentType.objects.get_for_model(Producer)
    deleted, created = ObjectChange.objects.filter(changed_object_type=content_type, changed_object_id=str(pk))
    assert created.action == "create"
    assert deleted.action == "delete"
    assert (deleted.user, deleted.request_id) == (officer, request_id)
    assert deleted.object_repr == "HTX Gà đồi Yên Thế"
    assert deleted.prechange_data == before
    assert deleted.postchange_data is None
    assert deleted.diff == sorted((key, value, None) for key, value in before.items() if value is not None)
    assert ("created_by_id", None, None) not in deleted.diff


# Users: secrets and ignored fields ---------------------------------------------------------------


def test_user_password_is_redacted(officer):
    [created] = _changes(officer)
    assert created.action == "create"
    assert created.postchange_data["password"] == "***"
    assert created.postchange_data["username"] == "can_bo_xa"
    assert officer.password not in str(created.postchange_data)


def test_password_change_is_recorded_without_storing_the_hash(officer):
    old_hash = officer.password
    officer.set_password("mat-khau-moi-2026")
    officer.save()

    newest, _created = _changes(officer)
    assert newest.action == "update"
    assert newest.diff == [("password", "***", "*** (changed)")]
    assert old_hash not in str(newest.prechange_data)
    assert officer.password not in str(newest.postchange_data)


def test_last_login_only_change_writes_no_row(officer):
    update_last_login(None, officer)

    assert User.objects.get(pk=officer.pk).last_login is not None
    assert [c.action for c in _changes(officer)] == ["create"]


def test_last_login_is_recorded_alongside_a_real_change(officer):
    update_last_login(None, officer)
    officer.full_name = "Hoàng Văn Nam"
    officer.save()

    newest, _created = _changes(officer)
    assert [field for field, _old, _new in newest.diff] == ["full_name"]


def test_user_save_with_unchanged_password_writes_no_row(officer):
    User.objects.get(pk=officer.pk).save()
    assert [c.action for c in _changes(officer)] == ["create"]


# Which models are audited ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        (Producer, True),
        (AdminUnit, True),
        (Role, True),
        (Membership, True),
        (User, True),
        (ObjectChange, False),
        (ActivityLog, False),
        (ContentType, False),
        ("producers.Producer", False),
    ],
)
def test_is_audited(sender, expected):
    assert is_audited(sender) is expected


def test_bulk_loaded_reference_data_is_not_audited():
    content_type = ContentType.objects.get_for_model(AdminUnit)
    assert not ObjectChange.objects.filter(changed_object_type=content_type).exists()


def test_object_repr_is_truncated_to_300_characters(units):
    user = UserFactory(full_name="Nguyễn " + "A" * 143)
    role = Role.objects.create(slug="long-role", name="Vai trò " + "R" * 142, kind="province_agency")
    membership = Membership.objects.create(user=user, role=role, admin_unit=units.bac_ninh)

    [change] = _changes(membership)
    assert len(str(membership)) == 150 + 3 + 150 + 3 + len("Thành phố Bắc Ninh")
    assert change.object_repr == str(membership)[:300]
