import rules

from ocop.accounts.enums import Capability, RoleKind


@rules.predicate
def can_import_registry(user) -> bool:
    """Staff who edit the registry somewhere (not producer accounts) may import spreadsheets."""
    from ocop.accounts.selectors import all_capabilities, grants_for  # noqa: PLC0415 - rules are layer 0

    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if Capability.MANAGE_REGISTRY not in all_capabilities(user):
        return False
    return any(
        grant.role_kind != RoleKind.PRODUCER and Capability.MANAGE_REGISTRY in grant.capabilities
        for grant in grants_for(user)
    )


@rules.predicate
def is_job_owner(user, job) -> bool:
    return job is not None and (user.is_superuser or job.created_by_id == user.pk)


rules.add_perm("imports.add_importjob", can_import_registry)
rules.add_perm("imports.view_importjob", can_import_registry & is_job_owner)
rules.add_perm("imports.change_importjob", can_import_registry & is_job_owner)
