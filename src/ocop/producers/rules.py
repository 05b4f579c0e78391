import rules

from ocop.accounts.enums import Capability, RoleKind
from ocop.accounts.rules import has_capability


@rules.predicate(name="manages_registry_in_a_unit")
def manages_registry_in_a_unit(user) -> bool:
    """The user may register new producers somewhere: a staff membership carrying ``can_manage_registry``.

    A producer account edits only its own producer (its membership is scoped to that producer),
    so it cannot create others. The unit a new producer is placed in is then checked by the form.
    """
    from ocop.accounts.selectors import grants_for  # noqa: PLC0415 - rules (layer 0) load before models are ready

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(
        grant.role_kind != RoleKind.PRODUCER and Capability.MANAGE_REGISTRY in grant.capabilities
        for grant in grants_for(user)
    )


rules.add_perm("producers.view_producer", has_capability(Capability.VIEW_REGISTRY))
rules.add_perm("producers.change_producer", has_capability(Capability.MANAGE_REGISTRY))
rules.add_perm("producers.add_producer", manages_registry_in_a_unit)
