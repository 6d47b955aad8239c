"""Count ASCII vowels."""

VOWELS = set("aeiouAEIOU")


def count_vowels(text):
    return len({ch for ch in text if ch in VOWELS})
