import pytest

from ocop.core.context import change_context
from ocop.core.selectors import activities_for_object, changes_for_object
from ocop.core.services import log_action
from ocop.producers.services import create_producer, update_producer
from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def two_producers(units):
    first = create_producer(name="HTX Gà đồi Yên Thế", legal_form="cooperative", address_unit=units.yen_the)
    second = create_producer(name="HTX Thân Trường", legal_form="cooperative", address_unit=units.son_ha)
    update_producer(first, phone="0204 3876 123")
    update_producer(second, phone="0255 3861 111")
    update_producer(first, address="Thôn Hố Cát")
    return first, second


def test_changes_for_object_returns_only_that_object_newest_first(two_producers):
    first, second = two_producers

    changes = list(changes_for_object(first))

    assert [c.action for c in changes] == ["update", "update", "create"]
    assert [c.postchange_data["address"] for c in changes] == ["Thôn Hố Cát", "", ""]
    # Phone numbers are stored normalised (digits only).
    assert [c.postchange_data["phone"] for c in changes] == ["02043876123", "02043876123", ""]
    assert {c.changed_object_id for c in changes} == {str(first.pk)}
    assert [c.postchange_data["phone"] for c in changes_for_object(second)] == ["02553861111", ""]


def test_changes_for_object_loads_the_user(two_producers, django_assert_num_queries):
    first, _second = two_producers
    user = UserFactory(username="xa_yenthe")
    with change_context(user):
        update_producer(first, email="htx@yenthe.vn")

    with django_assert_num_queries(1):
        names = [c.user.username if c.user else None for c in changes_for_object(first)]
    assert names == ["xa_yenthe", None, None, None]


def test_changes_for_object_distinguishes_models_with_the_same_pk(two_producers):
    first, _second = two_producers
    user = UserFactory()
    assert {c.changed_object_type.model for c in changes_for_object(user)} == {"user"}
    assert all(c.changed_object_type.model == "producer" for c in changes_for_object(first))


def test_activities_for_object_returns_only_that_object_newest_first(two_producers):
    first, second = two_producers
    log_action(second, "producers.producer.note", data={"n": 1})

    assert [(a.action_type, a.data) for a in activities_for_object(first)] == [
        ("producers.producer.update", {"fields": ["address"]}),
        ("producers.producer.update", {"fields": ["phone"]}),
        ("producers.producer.create", {}),
    ]
    assert [(a.action_type, a.data) for a in activities_for_object(second)] == [
        ("producers.producer.note", {"n": 1}),
        ("producers.producer.update", {"fields": ["phone"]}),
        ("producers.producer.create", {}),
    ]


def test_activities_for_object_loads_the_actor(two_producers, django_assert_num_queries):
    first, _second = two_producers
    actor = UserFactory(username="tinh_bacninh")
    log_action(first, "producers.producer.verify", actor=actor)

    with django_assert_num_queries(1):
        names = [a.actor.username if a.actor else None for a in activities_for_object(first)]
    assert names == ["tinh_bacninh", None, None, None]


def test_selectors_are_empty_for_an_object_without_history(two_producers):
    user = UserFactory()
    assert list(activities_for_object(user)) == []
