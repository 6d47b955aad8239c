"""Test doubles shipped with this problem.

    from helpers import ScriptedRandom

`ScriptedRandom([4, 1, 6])` is a random source whose `randint(a, b)` returns the next
scripted value (it raises AssertionError when that value is outside [a, b], or when the
script has run out); `.calls` records every `(a, b)` it was asked for.
(`random.Random(seed)` also makes rolls repeatable.)
"""


class ScriptedRandom:
    def __init__(self, values):
        self.values = list(values)
        self.calls = []

    def randint(self, a, b):
        self.calls.append((a, b))
        assert self.values, "the scripted values ran out"
        value = self.values.pop(0)
        assert a <= value <= b, f"scripted {value} is outside randint({a}, {b})"
        return value
