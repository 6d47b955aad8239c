"""Whether a text is a valid PIN: 4 or 6 ASCII digits."""


def is_valid_pin(text):
    text = text.strip()
    return len(text) in (4, 6) and text.isascii() and text.isdigit()
