"""Benchmarks reuse the test suite's reference-data fixtures (real maps, roles)."""

from tests.conftest import django_db_setup, units  # noqa: F401 - re-exported fixtures
