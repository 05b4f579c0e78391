"""Read selectors of the accounts app: memberships, capabilities and scope filters.

Every list in the system starts from a ``*_for_user`` selector built on :func:`scope_q`; an object
outside the result answers 404 (style.md §3.8).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from ocop.accounts.enums import Capability, RoleKind
from ocop.accounts.models import Membership, Role, User
from ocop.core.scope import Scope
from ocop.geography.enums import UnitLevel

_CACHE_ATTR = "_ocop_grants"


@dataclass(frozen=True)
class Grant:
    """One active membership, flattened for fast checks."""

    role_kind: str
    role_name: str
    capabilities: frozenset[str]
    unit_id: int
    unit_level: str
    unit_name: str
    include_descendants: bool
    producer_id: int | None

    def covers(self, scope: Scope) -> bool:
        if self.role_kind == RoleKind.PRODUCER:
            return scope.producer_id is not None and scope.producer_id == self.producer_id
        if self.unit_level == UnitLevel.COUNTRY:
            return self.include_descendants or (scope.province_id is None and scope.commune_id is None)
        if self.unit_level == UnitLevel.PROVINCE:
            if scope.province_id != self.unit_id:
                return False
            return self.include_descendants or scope.commune_id is None
        if self.unit_level == UnitLevel.COMMUNE:
            return scope.commune_id == self.unit_id
        return False


def grants_for(user) -> list[Grant]:
    """The user's active memberships, loaded once per user object (i.e. once per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    grants = [
        Grant(
            role_kind=m.role.kind,
            role_name=m.role.name,
            capabilities=m.role.capabilities,
            unit_id=m.admin_unit_id,
            unit_level=m.admin_unit.level,
            unit_name=m.admin_unit.name,
            include_descendants=m.include_descendants,
            producer_id=m.producer_id,
        )
        for m in Membership.objects.filter(user=user, is_active=True).select_related("role", "admin_unit")
    ]
    setattr(user, _CACHE_ATTR, grants)
    return grants


def clear_grants_cache(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def all_capabilities(user) -> frozenset[str]:
    """Every capability the user holds somewhere (used for navigation and global actions)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return frozenset(c.value for c in Capability)
    result: set[str] = set()
    for grant in grants_for(user):
        result |= grant.capabilities
    return frozenset(result)


def capabilities_for_scope(user, scope: Scope) -> frozenset[str]:
    """The union of the capability flags of the memberships that cover ``scope``."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return frozenset(c.value for c in Capability)
    result: set[str] = set()
    for grant in grants_for(user):
        if grant.covers(scope):
            result |= grant.capabilities
    return frozenset(result)


def capabilities_for_unit(user, unit) -> frozenset[str]:
    """Capabilities of the user inside an administrative unit (a province or a commune)."""
    if unit.level == UnitLevel.COUNTRY:
        scope = Scope()
    elif unit.level == UnitLevel.PROVINCE:
        scope = Scope(province_id=unit.pk)
    else:
        scope = Scope(province_id=unit.province_id, commune_id=unit.pk)
    return capabilities_for_scope(user, scope)


def scope_q(
    user,
    capability: str,
    *,
    province_field: str | None = "province",
    commune_field: str | None = "commune",
    producer_field: str | None = None,
) -> Q:
    """A filter selecting the rows whose scope is covered by a membership with ``capability``.

    Returns a condition that matches nothing when the user holds the capability nowhere, and one
    that matches everything (and adds no SQL) for a national scope. The latter is not an empty
    ``Q()``: ``Q(pk=1) | Q()`` is ``Q(pk=1)``, which would drop the national scope in an OR.
    """
    nothing = Q(pk__in=[])
    everything = ~nothing
    if getattr(user, "is_superuser", False) and user.is_active:
        return everything
    condition = nothing
    for grant in grants_for(user):
        if capability not in grant.capabilities:
            continue
        if grant.role_kind == RoleKind.PRODUCER:
            if producer_field and grant.producer_id:
                condition |= Q(**{producer_field: grant.producer_id})
            continue
        if grant.unit_level == UnitLevel.COUNTRY and grant.include_descendants:
            return everything
        if grant.unit_level == UnitLevel.PROVINCE and province_field:
            part = Q(**{province_field: grant.unit_id})
            if not grant.include_descendants and commune_field:
                part &= Q(**{f"{commune_field}__isnull": True})
            condition |= part
        elif grant.unit_level == UnitLevel.COMMUNE and commune_field:
            condition |= Q(**{commune_field: grant.unit_id})
    return condition


def memberships_for_user(user) -> QuerySet[Membership]:
    """Memberships the user may see: their own, or all within units where they manage users."""
    own = Q(user=user)
    managed = scope_q(user, Capability.MANAGE_USERS, province_field="admin_unit__province", commune_field="admin_unit")
    return Membership.objects.filter(own | managed).select_related("user", "role", "admin_unit", "producer")


def users_for_user(user) -> QuerySet[User]:
    """User accounts visible to ``user``: themself, plus members of units where they manage users."""
    managed = scope_q(
        user,
        Capability.MANAGE_USERS,
        province_field="memberships__admin_unit__province",
        commune_field="memberships__admin_unit",
    )
    return User.objects.filter(Q(pk=user.pk) | managed).distinct()


def get_role(slug: str) -> Role:
    return Role.objects.get(slug=slug)


def primary_role_kind(user) -> str | None:
    """The most senior role kind the user holds, which picks their home page."""
    if getattr(user, "is_superuser", False):
        return RoleKind.SYSTEM_ADMIN
    order = list(RoleKind.values)
    kinds = {grant.role_kind for grant in grants_for(user)}
    for kind in order:
        if kind in kinds:
            return kind
    return None


def users_with_capability(capability: str, scope: Scope) -> list[User]:
    """Active users whose memberships cover ``scope`` with ``capability`` (the people to notify).

    Superusers are not included: they are not part of any workflow by virtue of the flag.
    """
    memberships = Membership.objects.filter(
        is_active=True, user__is_active=True, **{f"role__{capability}": True}
    ).select_related("user", "role", "admin_unit")
    users: dict[int, User] = {}
    for membership in memberships:
        grant = Grant(
            role_kind=membership.role.kind,
            role_name=membership.role.name,
            capabilities=membership.role.capabilities,
            unit_id=membership.admin_unit_id,
            unit_level=membership.admin_unit.level,
            unit_name=membership.admin_unit.name,
            include_descendants=membership.include_descendants,
            producer_id=membership.producer_id,
        )
        if grant.covers(scope):
            users.setdefault(membership.user_id, membership.user)
    return sorted(users.values(), key=lambda user: user.pk)
