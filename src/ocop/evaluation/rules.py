import rules

from ocop.accounts.enums import Capability
from ocop.accounts.rules import has_capability

rules.add_perm("evaluation.view_rubricversion", rules.is_authenticated)
rules.add_perm("evaluation.manage_rubrics", has_capability(Capability.MANAGE_REFERENCE_DATA))
