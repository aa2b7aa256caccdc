"""Circularity: how much of the money in a deal web goes round in circles.

Each measure is an array-level kernel plus a function that takes a
:class:`~dealweb.network.Network` and returns a typed result with ``.to_frame()``.
"""

__all__: list[str] = []
