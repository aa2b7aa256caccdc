"""Kept so ``from dealweb.results import …`` still works: the module is :mod:`dealweb.network.results`.

It moved to the projection layer, the lowest layer whose results use it.
"""

from dealweb.network.results import Result, is_money, jsonable

__all__ = ["Result", "is_money", "jsonable"]
