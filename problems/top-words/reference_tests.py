import pytest

from target import top_words


def test_most_frequent_first():
    assert top_words("a b b c c c", 2) == [("c", 3), ("b", 2)]


def test_ties_are_alphabetical():
    assert top_words("pear apple fig apple fig pear", 3) == [("apple", 2), ("fig", 2), ("pear", 2)]


def test_case_is_ignored():
    assert top_words("The THE the", 5) == [("the", 3)]


def test_non_ascii_letters_belong_to_words():
    assert top_words("café café cafe", 2) == [("café", 2), ("cafe", 1)]


def test_digits_are_not_words():
    assert top_words("x1 x2 42 42", 5) == [("x", 2)]


def test_last_word_is_counted():
    assert top_words("dog cat cat", 3) == [("cat", 2), ("dog", 1)]


def test_zero_n():
    assert top_words("a b c", 0) == []


def test_negative_n_raises():
    with pytest.raises(ValueError):
        top_words("a b c", -1)
