"""Write services of the products app."""

import datetime as dt

from django.db import transaction

from ocop.core.services import log_action
from ocop.core.text import fold_vi
from ocop.geography.models import AdminUnit
from ocop.producers.models import Producer
from ocop.products.models import Product


@transaction.atomic
def create_product(
    *,
    producer: Producer,
    name: str,
    code: str = "",
    description: str = "",
    recorded_unit: AdminUnit | None = None,
    recorded_on: dt.date | None = None,
    actor=None,
) -> Product:
    """Create a product. Side effects: audit row and a ``products.product.create`` event."""
    product = Product(
        producer=producer,
        name=name.strip(),
        code=code.strip(),
        description=description,
        recorded_unit=recorded_unit,
        recorded_on=recorded_on,
    )
    product.name_folded = fold_vi(product.name)
    product.full_clean()
    product.save()
    log_action(product, "products.product.create", actor=actor)
    return product
