"""Whether a text is a valid PIN: 4 or 6 ASCII digits."""


def is_valid_pin(text):
    return 4 <= len(text) <= 6 and text.isascii() and text.isdigit()
