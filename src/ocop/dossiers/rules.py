"""Who may do what with a dossier (style.md §3.8): capabilities on the dossier's scope.

The state rules (which transition may follow which) live in ``enums.ALLOWED_TRANSITIONS``; these
predicates only say who may act. ``dossiers.view_dossier`` mirrors ``selectors.dossiers_for_user``:
the producer sees its dossiers from the first draft, the commune once submitted, the province once
forwarded.
"""

import rules

from ocop.accounts.enums import Capability
from ocop.accounts.rules import has_capability


@rules.predicate
def was_submitted(user, dossier) -> bool:
    return dossier is not None and dossier.submission_count > 0


@rules.predicate
def was_forwarded(user, dossier) -> bool:
    return dossier is not None and dossier.forwarded_at is not None


is_filer = has_capability(Capability.FILE_DOSSIERS)
is_commune_receiver = has_capability(Capability.RECEIVE_DOSSIERS)
is_commune_reviewer = has_capability(Capability.REVIEW_COMMUNE)
is_province_checker = has_capability(Capability.CHECK_PROVINCE_DOSSIERS)
is_round_manager = has_capability(Capability.MANAGE_ROUNDS)

can_view_dossier = (
    is_filer
    | ((is_commune_receiver | is_commune_reviewer) & was_submitted)
    | ((is_province_checker | is_round_manager) & was_forwarded)
)

rules.add_perm("dossiers.view_dossier", can_view_dossier)
# ``add_dossier`` is checked on the product (its scope is the producer's).
rules.add_perm("dossiers.add_dossier", is_filer)
rules.add_perm("dossiers.change_dossier", is_filer)
rules.add_perm("dossiers.submit_dossier", is_filer)
rules.add_perm("dossiers.withdraw_dossier", is_filer)
rules.add_perm("dossiers.receive_dossier", is_commune_receiver)
rules.add_perm("dossiers.review_dossier", is_commune_reviewer)
rules.add_perm("dossiers.check_dossier", is_province_checker)
# Lists: the commune inbox and the province intake (rows come from the scoped selector).
rules.add_perm("dossiers.view_commune_inbox", is_commune_receiver | is_commune_reviewer)
rules.add_perm("dossiers.view_province_inbox", is_province_checker)
