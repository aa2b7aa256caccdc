"""Kept so ``from dealweb.profile import …`` still works: the module is :mod:`dealweb.network.profile`.

It moved to the projection layer: an entity's counted deals both ways, as the projection counts them.
"""

from dealweb.network.profile import Counterparty, EntityProfile, entity_profile

__all__ = ["Counterparty", "EntityProfile", "entity_profile"]
