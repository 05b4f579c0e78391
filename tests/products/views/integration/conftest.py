"""Fixtures of the product page tests: a producer and a product in Xã Yên Thế (Bắc Ninh), legal bases."""

import pytest

from ocop.legal.selectors import get_legal_basis
from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory
from tests.products.views.integration.helpers import BASIS_148, BASIS_1048, BASIS_2026


@pytest.fixture
def producer(units):
    return ProducerFactory(name="HTX Gà đồi Yên Thế", address_unit=units.yen_the, tax_code="2400871238")


@pytest.fixture
def product(producer):
    return ProductFactory(producer=producer, name="Gà đồi Yên Thế đóng gói", code="24-07288-001-2025")


@pytest.fixture
def basis_2026():
    return get_legal_basis(BASIS_2026)


@pytest.fixture
def basis_148():
    return get_legal_basis(BASIS_148)


@pytest.fixture
def basis_1048():
    return get_legal_basis(BASIS_1048)
