"""A fake clock for the meeting clock's tests: monotonic and wall time move only when told."""

from __future__ import annotations


class FakeClock:
    """Monotonic and wall clocks that move only when told to."""

    def __init__(self, mono: float = 1000.0, wall: float = 1_800_000_000.0) -> None:
        self.mono = mono
        self.wall = wall

    def monotonic(self) -> float:
        return self.mono

    def time(self) -> float:
        return self.wall

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall += seconds
