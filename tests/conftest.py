"""Fixtures shared across apps.

The reference data (both administrative maps and the roles) is loaded once per test database,
right after it is created, so every test sees the real 34/3,321 and 63/696/10,051 units. Tests run
inside transactions that roll back, so the reference data survives between tests.
"""

import os

import pytest

from ocop.accounts.services import load_roles
from ocop.core.context import change_context
from ocop.geography.services import load_admin_units
from ocop.legal.services import load_legal_bases
from ocop.producers.services import load_producer_reference_data
from ocop.products.services import load_product_taxonomy

# Playwright's sync API runs an event loop in the test thread (stack.md gotcha 8).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), change_context(source="test-setup"):
        load_admin_units()
        load_roles()
        load_legal_bases()
        load_producer_reference_data()
        load_product_taxonomy()


@pytest.fixture
def units():
    """Frequently used real units, looked up by official code on the map in force."""
    from tests.utils import Units

    return Units()
