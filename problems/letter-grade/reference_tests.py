import pytest

from target import letter_grade


@pytest.mark.parametrize("score, letter", [(100, "A"), (90, "A"), (89, "B"), (80, "B"),
                                           (79, "C"), (70, "C"), (69, "D"), (60, "D"),
                                           (59, "F"), (0, "F")])
def test_every_boundary(score, letter):
    assert letter_grade(score) == letter


@pytest.mark.parametrize("score", [-1, 101])
def test_outside_the_scale_is_refused(score):
    with pytest.raises(ValueError):
        letter_grade(score)
