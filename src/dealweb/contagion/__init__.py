"""Contagion: who loses how much, and who fails next, if a company cannot pay."""

__all__: list[str] = []
