"""Test helpers: real units by code, users with roles, and the permission-matrix checker.

``assert_permission_matrix`` is the reusable role × unit × view helper (issue 2): later modules add
their pages and API endpoints to it. Each case names a role, where it is granted, and the status
the view must answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client

from ocop.accounts.models import Role, User
from ocop.accounts.services import grant_membership
from ocop.geography.models import AdminUnit
from ocop.geography.selectors import get_country, resolve_unit

CURRENT = dt.date(2026, 1, 1)
LEGACY = dt.date(2022, 1, 1)


class Units:
    """Named real units. Codes are official (QĐ 19/2025 for current units, QĐ 124/2004 legacy)."""

    def _get(self, level: str, code: str, day: dt.date = CURRENT) -> AdminUnit:
        unit = resolve_unit(level, code, on_date=day)
        assert unit is not None, f"{level} {code} missing on {day}"
        return unit

    @property
    def country(self) -> AdminUnit:
        return get_country()

    @property
    def bac_ninh(self) -> AdminUnit:
        return self._get("province", "24")

    @property
    def ha_tinh(self) -> AdminUnit:
        return self._get("province", "42")

    @property
    def quang_ngai(self) -> AdminUnit:
        return self._get("province", "51")

    @property
    def yen_the(self) -> AdminUnit:  # Xã Yên Thế, Bắc Ninh
        return self._get("commune", "07288")

    @property
    def bo_ha(self) -> AdminUnit:  # Xã Bố Hạ, Bắc Ninh
        return self._get("commune", "07294")

    @property
    def bac_hong_linh(self) -> AdminUnit:  # Phường Bắc Hồng Lĩnh, Hà Tĩnh
        return self._get("commune", "18115")

    @property
    def nam_hong_linh(self) -> AdminUnit:  # Phường Nam Hồng Lĩnh, Hà Tĩnh
        return self._get("commune", "18118")

    @property
    def son_ha(self) -> AdminUnit:  # Xã Sơn Hà, Quảng Ngãi
        return self._get("commune", "21289")

    @property
    def legacy_ha_tinh(self) -> AdminUnit:
        return self._get("province", "42", LEGACY)

    @property
    def legacy_bac_giang(self) -> AdminUnit:
        return self._get("province", "24", LEGACY)

    @property
    def legacy_hong_linh_town(self) -> AdminUnit:  # Thị xã Hồng Lĩnh
        return self._get("district", "437", LEGACY)

    @property
    def legacy_yen_the_district(self) -> AdminUnit:  # Huyện Yên Thế, Bắc Giang
        return self._get("district", "215", LEGACY)

    @property
    def legacy_thuan_loc(self) -> AdminUnit:  # Xã Thuận Lộc, TX Hồng Lĩnh → Phường Nam Hồng Lĩnh
        return self._get("commune", "18130", LEGACY)

    @property
    def legacy_phon_xuong(self) -> AdminUnit:  # TT Phồn Xương, H. Yên Thế → Xã Yên Thế
        return self._get("commune", "07288", LEGACY)


def make_user_with_role(
    role_slug: str | None,
    unit: AdminUnit | None = None,
    *,
    producer=None,
    username: str | None = None,
    password: str = "test-password-123",
    include_descendants: bool = True,
    **user_fields,
) -> User:
    """A user holding ``role_slug`` within ``unit`` (or no role at all when ``role_slug`` is None)."""
    from tests.factories.accounts import UserFactory

    user = (
        UserFactory(username=username, password=password, **user_fields)
        if username
        else UserFactory(password=password, **user_fields)
    )
    if role_slug:
        grant_membership(
            user,
            role=Role.objects.get(slug=role_slug),
            admin_unit=unit,
            producer=producer,
            include_descendants=include_descendants,
        )
    return user


@dataclass
class PermissionCase:
    """One row of a permission matrix: who (role + unit, or anonymous/no role) expects what."""

    label: str
    role: str | None
    unit: AdminUnit | None
    expected: int
    producer: object = None
    anonymous: bool = False
    extra: dict = field(default_factory=dict)


def client_for(case: PermissionCase) -> Client:
    client = Client()
    if case.anonymous:
        return client
    user = make_user_with_role(case.role, case.unit, producer=case.producer)
    client.force_login(user)
    return client


def assert_permission_matrix(url: str, cases: Iterable[PermissionCase], *, method: str = "get", data=None) -> None:
    """Request ``url`` as each case and compare the status codes; reports every mismatch at once.

    Anonymous users of a protected page are redirected to the login page (302).
    """
    failures = []
    for case in cases:
        client = client_for(case)
        response = getattr(client, method)(url, data or {})
        if response.status_code != case.expected:
            failures.append(f"{case.label}: expected {case.expected}, got {response.status_code}")
    assert not failures, f"{url}:\n  " + "\n  ".join(failures)


def close_streamed(response) -> None:
    """Close a streamed (file) response without closing the test's database connection.

    ``HttpResponse.close()`` sends ``request_finished``, whose ``close_old_connections`` receiver
    would end the test transaction's connection on PostgreSQL; Django's test client disconnects it
    the same way while it handles a request.
    """
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
