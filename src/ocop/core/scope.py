"""Where an object sits for permission purposes: its current province, commune and producer.

Domain models expose ``scope`` (a :class:`Scope`); ``accounts.selectors.capabilities_for_scope``
turns it into the user's capabilities for that object.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    province_id: int | None = None
    commune_id: int | None = None
    producer_id: int | None = None
