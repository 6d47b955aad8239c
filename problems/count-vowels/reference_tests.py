from target import count_vowels


def test_simple_word():
    assert count_vowels("banana") == 3


def test_uppercase_vowels_count():
    assert count_vowels("HELLO") == 2


def test_y_is_not_a_vowel():
    assert count_vowels("rhythm") == 0


def test_every_occurrence_counts():
    assert count_vowels("aaa") == 3


def test_leading_vowel_counts():
    assert count_vowels("apple") == 2


def test_accented_letters_are_not_vowels():
    assert count_vowels("Café") == 1
    assert count_vowels("éüå") == 0


def test_empty_string():
    assert count_vowels("") == 0
