import pytest
from django.core.exceptions import ValidationError

from ocop.legal.models import LegalBasis
from ocop.products.models import ProductCategory
from ocop.products.validators import validate_category_for_basis

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _basis(code):
    return LegalBasis.objects.get(code=code)


def test_a_product_set_of_the_basis_is_accepted():
    category = ProductCategory.objects.get(legal_basis__code="148/QĐ-TTg", sheet_number=4)
    assert validate_category_for_basis(category, _basis("148/QĐ-TTg")) is None
    assert validate_category_for_basis(None, _basis("148/QĐ-TTg")) is None


@pytest.mark.parametrize(
    ("category_basis", "code", "basis"),
    [
        ("1048/QĐ-TTg", "III", "26/2026/QĐ-TTg"),  # "Thảo dược" is a 1048 sector, not a 26/2026 set
        ("148/QĐ-TTg", "I.1.a", "26/2026/QĐ-TTg"),  # the same list, but another basis's row
    ],
)
def test_a_category_of_another_basis_is_refused(english, category_basis, code, basis):
    category = ProductCategory.objects.get(legal_basis__code=category_basis, code=code)
    with pytest.raises(ValidationError) as info:
        validate_category_for_basis(category, _basis(basis))
    assert info.value.message_dict == {"category": [f"“{category.name}” is not a product set under QĐ 26/2026."]}


def test_a_heading_is_refused(english):
    heading = ProductCategory.objects.get(legal_basis__code="26/2026/QĐ-TTg", code="II")
    with pytest.raises(ValidationError) as info:
        validate_category_for_basis(heading, _basis("26/2026/QĐ-TTg"))
    assert info.value.message_dict == {"category": ["“Sản phẩm đồ uống” is a heading; choose a product set under it."]}
