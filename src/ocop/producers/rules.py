import rules

from ocop.accounts.enums import Capability
from ocop.accounts.rules import has_capability

rules.add_perm("producers.view_producer", has_capability(Capability.VIEW_REGISTRY))
rules.add_perm("producers.change_producer", has_capability(Capability.MANAGE_REGISTRY))
