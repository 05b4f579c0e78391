"""Helpers of the product page tests: taxonomy nodes, in-memory images and the permission cases."""

import io

from PIL import Image

from ocop.products.models import ProductCategory
from tests.factories.producers import ProducerFactory
from tests.utils import PermissionCase

BASIS_2026 = "26/2026/QĐ-TTg"
BASIS_148 = "148/QĐ-TTg"
BASIS_1048 = "1048/QĐ-TTg"


def category(basis_code: str, code: str) -> ProductCategory:
    """A node of the loaded taxonomy, e.g. ``category(BASIS_2026, "I.1.b")`` (sheet 2)."""
    return ProductCategory.objects.get(legal_basis__code=basis_code, code=code)


def image_bytes(image_format: str = "PNG", size=(800, 600), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, image_format)
    return buffer.getvalue()


def view_cases(units, product, *, list_view=False):
    """Who may see a product (or open a list page): 404 outside scope, 403 for a list held nowhere."""
    other_producer = ProducerFactory(name="HTX Khác", address_unit=units.bo_ha)
    hidden = 200 if list_view else 404
    return [
        PermissionCase("anonymous", None, None, 302, anonymous=True),
        PermissionCase("no role", None, None, 403 if list_view else 404),
        PermissionCase("commune officer, same commune", "commune-officer", units.yen_the, 200),
        PermissionCase("commune officer, other commune", "commune-officer", units.bo_ha, hidden),
        PermissionCase("province agency, same province", "province-agency", units.bac_ninh, 200),
        PermissionCase("province agency, other province", "province-agency", units.ha_tinh, hidden),
        PermissionCase("ministry office", "ministry-office", units.country, 200),
        PermissionCase("advisory member, same province", "advisory-member", units.bac_ninh, 200),
        PermissionCase("producer account, own", "producer", units.yen_the, 200, producer=product.producer),
        PermissionCase("producer account, other", "producer", units.bo_ha, hidden, producer=other_producer),
    ]


def change_cases(units, product, *, allowed=200):
    """Who may change a product: can_manage_registry in its scope; anything else answers 404."""
    other_producer = ProducerFactory(name="HTX Khác", address_unit=units.bo_ha)
    return [
        PermissionCase("anonymous", None, None, 302, anonymous=True),
        PermissionCase("no role", None, None, 404),
        PermissionCase("commune officer, same commune", "commune-officer", units.yen_the, allowed),
        PermissionCase("commune officer, other commune", "commune-officer", units.bo_ha, 404),
        PermissionCase("province agency, same province", "province-agency", units.bac_ninh, allowed),
        PermissionCase("province agency, other province", "province-agency", units.ha_tinh, 404),
        PermissionCase("ministry office (view only)", "ministry-office", units.country, 404),
        PermissionCase("advisory member (view only)", "advisory-member", units.bac_ninh, 404),
        PermissionCase("producer account, own", "producer", units.yen_the, allowed, producer=product.producer),
        PermissionCase("producer account, other", "producer", units.bo_ha, 404, producer=other_producer),
    ]
