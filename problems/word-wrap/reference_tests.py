import pytest
from hypothesis import given
from hypothesis import strategies as st

from target import wrap

words = st.lists(st.text(alphabet="abcxyzé日", min_size=1, max_size=6), max_size=12)
gaps = st.sampled_from([" ", "  ", "\t", "\n", " \n "])


@st.composite
def texts_and_widths(draw):
    """A text of words with assorted whitespace, and a width every word fits in."""
    chosen = draw(words)
    text = "".join(word + draw(gaps) for word in chosen)
    longest = max((len(word) for word in chosen), default=1)
    return text, draw(st.integers(min_value=longest, max_value=longest + 12))


@given(texts_and_widths())
def test_the_words_come_back_in_order(case):
    text, width = case
    assert " ".join(wrap(text, width)).split() == text.split()


@given(texts_and_widths())
def test_lines_fit_and_are_single_spaced(case):
    text, width = case
    for line in wrap(text, width):
        assert 0 < len(line) <= width
        assert line == " ".join(line.split())


@given(texts_and_widths())
def test_lines_are_filled_greedily(case):
    text, width = case
    lines = wrap(text, width)
    for line, following in zip(lines, lines[1:]):
        assert len(line) + 1 + len(following.split()[0]) > width


def test_a_line_may_fill_the_width_exactly():
    assert wrap("ab cd ef", 5) == ["ab cd", "ef"]


def test_a_long_word_first_gives_no_empty_line():
    lines = wrap("abcdefghij xy", 4)
    assert "" not in lines
    assert "".join(lines).replace(" ", "") == "abcdefghijxy"
    assert lines[-1].endswith("xy")


@pytest.mark.parametrize("width", [0, -3])
def test_width_below_one_is_refused(width):
    with pytest.raises(ValueError):
        wrap("a b", width)
