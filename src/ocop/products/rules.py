import rules

from ocop.accounts.enums import Capability
from ocop.accounts.rules import has_capability

rules.add_perm("products.view_product", has_capability(Capability.VIEW_REGISTRY))
rules.add_perm("products.change_product", has_capability(Capability.MANAGE_REGISTRY))
