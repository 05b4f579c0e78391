import pytest

from tests.factories.dossiers import make_world


@pytest.fixture
def world(units):
    return make_world(units)
