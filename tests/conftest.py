"""Fixtures shared across apps.

The reference data (both administrative maps and the roles) is loaded once per test database,
right after it is created, so every test sees the real 34/3,321 and 63/696/10,051 units. Tests run
inside transactions that roll back, so the reference data survives between tests.
"""

import os

import pytest
from django.utils import translation

from ocop.accounts.services import load_roles
from ocop.core.context import change_context
from ocop.evaluation.services import load_rubrics
from ocop.geography.models import AdminUnit
from ocop.geography.services import load_admin_units
from ocop.legal.services import load_legal_bases
from ocop.producers.services import load_producer_reference_data
from ocop.products.services import load_product_taxonomy

# Playwright's sync API runs an event loop in the test thread (stack.md gotcha 8).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def load_reference_data() -> None:
    """The loaders of ``ocop bootstrap`` (without demo data); each is idempotent."""
    with change_context(source="test-setup"):
        load_admin_units()
        load_roles()
        load_legal_bases()
        load_producer_reference_data()
        load_product_taxonomy()
        load_rubrics()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def reference_data():
    """For ``django_db(transaction=True)`` tests: make sure the reference data is there.

    A transactional test empties every table when it ends (Django's flush), reference data
    included. pytest-django runs transactional tests after all the others, so only a later
    transactional test can find the tables empty; this fixture loads the data again then.
    """
    if not AdminUnit.objects.exists():
        load_reference_data()


@pytest.fixture
def english():
    """Run the test in English, so messages can be compared with their msgids.

    Lazy messages (validators) are rendered when read, so the assertions must run inside the
    override too; Vietnamese translations change independently of the code.
    """
    with translation.override("en"):
        yield


@pytest.fixture
def units():
    """Frequently used real units, looked up by official code on the map in force."""
    from tests.utils import Units

    return Units()
