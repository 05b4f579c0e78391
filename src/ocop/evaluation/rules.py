import rules

from ocop.accounts.enums import Capability
from ocop.accounts.rules import has_capability

rules.add_perm("evaluation.view_rubricversion", rules.always_allow)  # the law is public
rules.add_perm("evaluation.manage_rubrics", has_capability(Capability.MANAGE_REFERENCE_DATA))
