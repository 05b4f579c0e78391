"""Criteria-sheet versions (load, create, activate, lock, discard, import) and self-assessments."""

import copy
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ocop.evaluation.engine import ScoringError
from ocop.evaluation.enums import RubricStatus
from ocop.evaluation.models import RubricKnockout, RubricNode, RubricOption, RubricVersion, SelfAssessment
from ocop.evaluation.rubric_io import RubricDataError, content_hash, dump_yaml
from ocop.evaluation.services import (
    activate_rubric_version,
    create_rubric_version,
    discard_rubric_draft,
    import_rubric_file,
    load_rubrics,
    save_self_assessment,
)
from ocop.legal.selectors import get_legal_basis
from ocop.products.models import ProductCategory
from ocop.products.services import classify_product
from tests.evaluation.views import BASIS_2026, active_version, answers_worth, max_answers
from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

NEW_LABEL = "Sản phẩm được trồng trên địa bàn cấp xã, tỷ lệ dưới 50% (sửa)"


def _options(data: dict, code: str) -> list[dict]:
    stack = list(data["parts"])
    while stack:
        node = stack.pop()
        if str(node["code"]) == code:
            return node["options"]
        stack.extend(node.get("children", []))
    raise AssertionError(code)


def _modified_sheet_1() -> dict:
    data = copy.deepcopy(active_version(1).data)
    _options(data, "1.1")[0]["label"] = NEW_LABEL
    return data


@pytest.fixture
def basis():
    return get_legal_basis(BASIS_2026)


@pytest.fixture
def draft(basis):
    return create_rubric_version(basis, _modified_sheet_1(), change_note="Sửa nhãn 1.1")


# ---------------------------------------------------------------------------------------------
# Loading and versions
# ---------------------------------------------------------------------------------------------


def test_reference_data_has_26_active_sheets_of_26_2026(basis):
    numbers = list(
        RubricVersion.objects.filter(legal_basis=basis, status=RubricStatus.ACTIVE)
        .order_by("sheet_number")
        .values_list("sheet_number", flat=True)
    )
    assert numbers == list(range(1, 27))


def test_load_rubrics_is_idempotent():
    count = RubricVersion.objects.count()
    assert load_rubrics() == {"created": 0, "unchanged": 26}
    assert RubricVersion.objects.count() == count


def test_create_rubric_version_makes_a_draft_v2_replacing_v1(basis, draft):
    v1 = active_version(1)
    assert (draft.version, draft.status, draft.replaces_id) == (2, RubricStatus.DRAFT, v1.pk)
    assert draft.category == ProductCategory.objects.get(legal_basis=basis, code="I.1.a")
    assert draft.content_hash == content_hash(draft.data) != v1.content_hash
    assert RubricNode.objects.filter(rubric=draft).count() == RubricNode.objects.filter(rubric=v1).count()
    assert RubricKnockout.objects.filter(rubric=draft).count() == RubricKnockout.objects.filter(rubric=v1).count()
    first = RubricOption.objects.get(node__rubric=draft, node__code="1.1", position=1)
    assert (first.label, first.points) == (NEW_LABEL, Decimal(1))
    # v1 is untouched and still in use until the draft is activated.
    v1.refresh_from_db()
    assert v1.status == RubricStatus.ACTIVE
    assert RubricOption.objects.get(node__rubric=v1, node__code="1.1", position=1).label != NEW_LABEL


def test_activate_retires_the_version_in_use(basis, draft):
    v1 = active_version(1)
    activate_rubric_version(draft)
    v1.refresh_from_db()
    draft.refresh_from_db()
    assert (v1.status, draft.status) == (RubricStatus.RETIRED, RubricStatus.ACTIVE)
    assert v1.retired_at is not None
    assert draft.activated_at is not None
    assert list(
        RubricVersion.objects.filter(legal_basis=basis, sheet_number=1, status=RubricStatus.ACTIVE).values_list(
            "version", flat=True
        )
    ) == [2]


def test_activating_a_version_that_is_not_a_draft_is_refused(draft):
    v1 = active_version(1)
    with pytest.raises(ValidationError) as error:
        activate_rubric_version(v1)
    assert error.value.code == "invalid_transition"
    activate_rubric_version(draft)
    v1.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        activate_rubric_version(v1)  # retired
    assert error.value.code == "invalid_transition"


def test_an_active_version_cannot_be_edited():
    v1 = active_version(1)
    v1.data = _modified_sheet_1()
    v1.content_hash = content_hash(v1.data)
    with pytest.raises(ValidationError) as error:
        v1.save()
    assert error.value.code == "rubric_locked"
    assert RubricVersion.objects.get(pk=v1.pk).content_hash != v1.content_hash


def test_a_retired_version_cannot_be_edited(draft):
    v1 = active_version(1)
    activate_rubric_version(draft)
    v1 = RubricVersion.objects.get(pk=v1.pk)
    v1.data = copy.deepcopy(draft.data)
    v1.content_hash = content_hash(v1.data)
    with pytest.raises(ValidationError) as error:
        v1.save()
    assert error.value.code == "rubric_locked"


def test_rows_of_an_active_version_cannot_be_saved_or_deleted():
    option = RubricOption.objects.get(node__rubric=active_version(1), node__code="1.1", position=1)
    option.points = Decimal(2)
    with pytest.raises(ValidationError) as error:
        option.save()
    assert error.value.code == "rubric_locked"
    with pytest.raises(ValidationError):
        option.delete()
    node = RubricNode.objects.get(rubric=active_version(1), code="1.1")
    node.title = "Sửa"
    with pytest.raises(ValidationError):
        node.save()
    assert RubricOption.objects.get(pk=option.pk).points == Decimal(1)


def test_an_active_version_cannot_be_deleted():
    v1 = active_version(1)
    with pytest.raises(ValidationError) as error:
        v1.delete()
    assert error.value.code == "rubric_locked"
    with pytest.raises(ValidationError):
        discard_rubric_draft(v1)
    assert RubricVersion.objects.filter(pk=v1.pk).exists()


def test_a_draft_can_be_edited_and_its_rows_saved(draft):
    option = RubricOption.objects.get(node__rubric=draft, node__code="1.1", position=1)
    option.label = "Khác"
    option.save()
    draft.change_note = "Khác"
    draft.save()
    assert RubricOption.objects.get(pk=option.pk).label == "Khác"


def test_discarding_a_draft_deletes_it_and_its_rows(draft):
    pk = draft.pk
    discard_rubric_draft(draft)
    assert not RubricVersion.objects.filter(pk=pk).exists()
    assert not RubricNode.objects.filter(rubric_id=pk).exists()
    assert active_version(1).version == 1


def test_load_rubrics_puts_the_repository_sheet_back_over_a_different_version_in_use(draft):
    """A sheet in use that differs from the repository file becomes a new version from the file."""
    activate_rubric_version(draft)
    assert load_rubrics([BASIS_2026]) == {"created": 1, "unchanged": 25}
    v3 = active_version(1)
    assert (v3.version, v3.replaces_id) == (3, draft.pk)
    v1 = RubricVersion.objects.get(legal_basis__code=BASIS_2026, sheet_number=1, version=1)
    assert v3.content_hash == v1.content_hash


# ---------------------------------------------------------------------------------------------
# Import of a file
# ---------------------------------------------------------------------------------------------


def _import_problems(basis, content: bytes, filename: str = "sheet.yaml") -> list[str]:
    count = RubricVersion.objects.count()
    nodes = RubricNode.objects.count()
    with pytest.raises(RubricDataError) as error:
        import_rubric_file(basis, content, filename)
    assert RubricVersion.objects.count() == count, "nothing may be created on error"
    assert RubricNode.objects.count() == nodes
    return error.value.problems


def test_import_creates_a_draft_from_the_yaml_export(english, basis):
    content = dump_yaml(_modified_sheet_1()).encode()
    version = import_rubric_file(basis, content, "bo-tieu-chi-01-v1.yaml", change_note="Nhãn")
    assert (version.sheet_number, version.version, version.status) == (1, 2, RubricStatus.DRAFT)
    assert version.origin == "import"
    assert (version.imported_filename, version.change_note) == ("bo-tieu-chi-01-v1.yaml", "Nhãn")


def test_import_of_bad_yaml_is_refused(english, basis):
    problems = _import_problems(basis, b"parts: [\n  - code: A\n    title: 'unclosed\n")
    assert len(problems) == 1
    assert problems[0].startswith("The file is not valid YAML")


def test_import_of_a_pdf_is_refused(english, basis):
    assert _import_problems(basis, b"%PDF-1.7", "sheet.pdf") == ["Upload a .yaml or .xlsx file."]


def test_import_of_a_sheet_of_another_legal_basis_is_refused(english, basis):
    data = _modified_sheet_1()
    data["legal_basis"] = "148/QĐ-TTg"
    problems = _import_problems(basis, dump_yaml(data).encode())
    assert "The file is for 148/QĐ-TTg, not 26/2026/QĐ-TTg." in problems


def test_import_of_an_unknown_sheet_number_is_refused(english, basis):
    data = _modified_sheet_1()
    data["sheet_number"] = 99
    problems = _import_problems(basis, dump_yaml(data).encode())
    assert problems == ["QĐ 26/2026 has no product set with sheet number 99."]


def test_import_of_an_option_above_its_criterion_maximum_names_the_criterion(english, basis):
    data = _modified_sheet_1()
    _options(data, "1.1")[0]["points"] = 5
    problems = _import_problems(basis, dump_yaml(data).encode())
    assert "1.1, option 1: 5 points exceed the criterion maximum 3." in problems


# ---------------------------------------------------------------------------------------------
# Self-assessment
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def product(units, basis):
    product = ProductFactory(producer=ProducerFactory(address_unit=units.yen_the), name="Rau cải Yên Thế")
    classify_product(product, category=ProductCategory.objects.get(legal_basis=basis, code="I.1.a"))
    return product


def test_save_self_assessment_stores_answers_total_and_star(product):
    version = active_version(1)
    answers = answers_worth(version.to_sheet(), 72, star=4)
    assessment, result = save_self_assessment(product, version, answers)
    assessment.refresh_from_db()
    assert assessment.answers == answers
    assert (assessment.total, assessment.proposed_star, assessment.is_complete) == (Decimal(72), 4, True)
    assert sum(Decimal(value) for value in assessment.part_totals.values()) == Decimal(72)
    assert set(assessment.part_totals) == {"A", "B", "C"}
    assert result.proposed_star == 4

    # Saving again updates the same row.
    save_self_assessment(product, version, max_answers(version.to_sheet()))
    assert SelfAssessment.objects.filter(product=product).count() == 1
    assessment.refresh_from_db()
    assert (assessment.total, assessment.proposed_star) == (Decimal(100), 5)


def test_save_self_assessment_accepts_a_flat_list_of_options(product):
    version = active_version(1)
    answers = max_answers(version.to_sheet())
    assessment, _result = save_self_assessment(product, version, list(answers.values()))
    assert assessment.answers == answers


def test_an_option_of_another_sheet_is_refused_and_nothing_is_stored(product):
    version = active_version(1)
    own = {option.key for leaf in version.to_sheet().leaves() for option in leaf.options}
    foreign = next(
        option.key
        for number in range(2, 27)
        for leaf in active_version(number).to_sheet().leaves()
        for option in leaf.options
        if option.key not in own
    )
    answers = max_answers(version.to_sheet())
    code = foreign.split("#")[0]
    if code in answers:
        answers[code] = foreign
        with pytest.raises(ScoringError) as error:
            save_self_assessment(product, version, answers)
    else:
        with pytest.raises(ScoringError) as error:
            save_self_assessment(product, version, [*answers.values(), foreign])
    assert error.value.code in {"unknown_option", "unknown_criterion"}
    assert not SelfAssessment.objects.filter(product=product).exists()


def test_a_retired_version_cannot_take_a_self_assessment(product, draft):
    v1 = active_version(1)
    activate_rubric_version(draft)
    v1.refresh_from_db()
    with pytest.raises(ScoringError) as error:
        save_self_assessment(product, v1, max_answers(v1.to_sheet()))
    assert error.value.code == "rubric_not_active"
    assert not SelfAssessment.objects.filter(product=product).exists()


def test_a_draft_cannot_take_a_self_assessment(product, draft):
    with pytest.raises(ScoringError):
        save_self_assessment(product, draft, {})
    assert not SelfAssessment.objects.exists()


def test_a_self_assessment_on_the_sheet_of_another_product_set_is_refused(product, english):
    """Bad input: a sheet for the wrong product set (the product is classified in set 1)."""
    with pytest.raises(ScoringError) as caught:
        save_self_assessment(product, active_version(2), {})

    assert caught.value.code == "wrong_sheet"
    assert "Sheet 2" in caught.value.message
    assert not SelfAssessment.objects.filter(product=product).exists()
