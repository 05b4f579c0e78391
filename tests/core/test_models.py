import pytest
from django.utils import translation

from ocop.core.enums import ChangeAction
from ocop.core.models import ActivityLog, BaseModel, LookupModel, ObjectChange
from ocop.producers.services import create_producer

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (None, None, []),
        ({"a": 1}, {"a": 1}, []),
        (None, {"a": 1, "b": None}, [("a", None, 1)]),
        ({"a": 1}, None, [("a", 1, None)]),
        (
            {"b": 2, "a": 1, "gone": "x"},
            {"a": 1, "b": 3, "new": [1, 2]},
            [("b", 2, 3), ("gone", "x", None), ("new", None, [1, 2])],
        ),
    ],
)
def test_object_change_diff(before, after, expected):
    assert ObjectChange(prechange_data=before, postchange_data=after).diff == expected


def test_str_of_the_audit_rows(units):
    producer = create_producer(name="HTX Gà đồi Yên Thế", legal_form="cooperative", address_unit=units.yen_the)
    change = ObjectChange.objects.get(changed_object_id=str(producer.pk), changed_object_type__model="producer")
    activity = ActivityLog.objects.get(object_id=str(producer.pk), action_type="producers.producer.create")
    with translation.override("en"):
        assert str(change) == "Created HTX Gà đồi Yên Thế"
    with translation.override("vi"):
        assert str(change) == f"{ChangeAction.CREATE.label} HTX Gà đồi Yên Thế"
    assert str(activity) == "producers.producer.create HTX Gà đồi Yên Thế"


@pytest.mark.parametrize(("action", "color"), [("create", "success"), ("update", "primary"), ("delete", "danger")])
def test_change_action_colors(action, color):
    assert ChangeAction(action).get_color() == color


def test_audit_rows_are_newest_first():
    assert ObjectChange._meta.ordering == ["-time", "-pk"]
    assert ActivityLog._meta.ordering == ["-timestamp", "-pk"]


def test_base_classes_are_abstract():
    assert BaseModel._meta.abstract is True
    assert LookupModel._meta.abstract is True
    assert BaseModel.audit_exclude == ()
    assert [f.name for f in LookupModel._meta.fields] == [
        "created_at",
        "updated_at",
        "created_by",
        "name",
        "slug",
        "is_active",
    ]


def test_lookup_model_str_is_its_name():
    class Named:
        name = "Hợp tác xã"

    assert LookupModel.__str__(Named()) == "Hợp tác xã"
