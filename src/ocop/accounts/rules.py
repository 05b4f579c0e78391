"""django-rules predicates built from capabilities (style.md §3.8).

``has_capability("can_view_registry")`` is true for an object when a membership covering the
object's ``scope`` carries that flag; without an object it asks whether the user holds the flag
anywhere (used for navigation and list pages, whose rows are then scoped by a selector).
"""

from functools import cache

import rules


@cache
def has_capability(capability: str) -> rules.Predicate:
    @rules.predicate(name=f"has_capability:{capability}")
    def predicate(user, obj=None) -> bool:
        # Layer 0 must not import selectors at module level (rules load before models are ready).
        from ocop.accounts.selectors import all_capabilities, capabilities_for_scope  # noqa: PLC0415

        if user is None or not getattr(user, "is_authenticated", False):
            return False
        if obj is None:
            return capability in all_capabilities(user)
        scope = getattr(obj, "scope", None)
        if scope is None:
            return False
        return capability in capabilities_for_scope(user, scope)

    return predicate


is_authenticated = rules.is_authenticated

# Global permissions (object = any model exposing ``scope``) -------------------------------------
rules.add_perm("core.view_audit", has_capability("can_view_audit"))
rules.add_perm("accounts.manage_users", has_capability("can_manage_users"))
rules.add_perm("geography.manage_reference_data", has_capability("can_manage_reference_data"))
