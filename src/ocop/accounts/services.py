"""Write services of the accounts app: roles from data, users and memberships."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from ocop.accounts.enums import Capability
from ocop.accounts.models import Membership, Role, User
from ocop.accounts.selectors import clear_grants_cache
from ocop.core.services import log_action

ROLES_FILE = Path(__file__).resolve().parent / "data" / "roles.json"


@transaction.atomic
def load_roles(path: Path = ROLES_FILE) -> list[Role]:
    """Create or update the roles described in ``roles.json``. Idempotent.

    Every capability flag not listed for a role is switched off, so the file is the whole truth.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    known = set(Capability.values)
    roles = []
    for item in data["roles"]:
        unknown = set(item["capabilities"]) - known
        if unknown:
            raise ValueError(f"Unknown capabilities for role {item['slug']}: {sorted(unknown)}")
        defaults = {
            "name": item["name"],
            "kind": item["kind"],
            "description": item.get("description", ""),
            "allowed_levels": item.get("allowed_levels", []),
            **{capability: capability in item["capabilities"] for capability in known},
        }
        role = Role.objects.filter(slug=item["slug"]).first()
        if role is None:
            role = Role.objects.create(slug=item["slug"], **defaults)
        elif any(getattr(role, key) != value for key, value in defaults.items()):
            for key, value in defaults.items():
                setattr(role, key, value)
            role.save()
        roles.append(role)
    return roles


@transaction.atomic
def grant_membership(
    user: User, *, role: Role, admin_unit, producer=None, include_descendants: bool = True, actor=None
) -> Membership:
    """Grant ``role`` to ``user`` within ``admin_unit`` (validated: level, current map, producer link).

    Side effects: audit row and an ``accounts.membership.grant`` activity event on the user.
    """
    membership = Membership(
        user=user, role=role, admin_unit=admin_unit, producer=producer, include_descendants=include_descendants
    )
    membership.full_clean()
    membership.save()
    clear_grants_cache(user)
    log_action(
        user,
        "accounts.membership.grant",
        actor=actor,
        data={"role": role.slug, "unit": admin_unit.key, "producer": producer.pk if producer else None},
    )
    return membership


@transaction.atomic
def update_profile(user: User, *, actor=None, full_name: str, email: str = "", phone: str = "") -> User:
    """Update the user's own contact details. Side effects: audit row (automatic)."""
    user.full_name = full_name.strip()
    user.email = email.strip()
    user.phone = phone.strip()
    user.save(update_fields=["full_name", "email", "phone"])
    return user
