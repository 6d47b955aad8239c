import random

import pytest

from helpers import ScriptedRandom
from target import roll


def test_each_die_is_rolled_from_one_to_its_faces():
    rng = ScriptedRandom([6, 1, 6])
    assert roll("3d6", rng) == 13
    assert rng.calls == [(1, 6)] * 3


def test_a_minus_modifier_is_subtracted():
    rng = ScriptedRandom([2])
    assert (roll("1d8-3", rng), rng.calls) == (-1, [(1, 8)])


def test_the_roll_comes_from_the_given_source(monkeypatch):
    monkeypatch.setattr(random, "randint", lambda a, b: pytest.fail("the global random was used"))
    seeded_once, seeded_again = random.Random(7), random.Random(7)
    assert roll("4d20+2", seeded_once) == roll("4d20+2", seeded_again)


def test_one_die_without_a_count():
    rng = ScriptedRandom([17])
    assert roll("d20", rng) == 17
    assert rng.calls == [(1, 20)]


@pytest.mark.parametrize("formula", ["", "0d6", "101d6", "2d1", "2d6+", "2 d6", "d"])
def test_anything_else_is_refused(formula):
    with pytest.raises(ValueError):
        roll(formula, ScriptedRandom([]))
