"""Roll dice written as NdS, NdS+K or NdS-K with a given random source."""

import re

FORMULA = re.compile(r"([0-9]*)d([0-9]+)(?:([+-])([0-9]+))?")


def roll(formula, rng):
    match = FORMULA.fullmatch(formula)
    if match is None:
        raise ValueError(f"not a dice formula: {formula!r}")
    count = int(match.group(1)) if match.group(1) else 1
    sides = int(match.group(2))
    if not 1 <= count <= 100 or sides < 2:
        raise ValueError(f"not a dice formula: {formula!r}")
    total = sum(rng.randint(1, sides) for _ in range(count))
    if match.group(3):
        modifier = int(match.group(4))
        total += modifier if match.group(3) == "+" else -modifier
    return total
