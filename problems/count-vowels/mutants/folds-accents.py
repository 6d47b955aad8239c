"""Count ASCII vowels."""

import unicodedata

VOWELS = set("aeiouAEIOU")


def count_vowels(text):
    return sum(1 for ch in unicodedata.normalize("NFD", text) if ch in VOWELS)
