"""Parse textual booleans."""

_TRUE = "true yes on 1"
_FALSE = {"false", "no", "off", "0"}


def parse_bool(text):
    key = text.strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(f"not a boolean: {text!r}")
