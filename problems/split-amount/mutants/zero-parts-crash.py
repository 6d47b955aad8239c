"""Split cents into nearly equal whole-cent shares, extra cents to the first shares."""


def split_amount(cents, parts):
    if parts < 0:
        raise ValueError("parts must be at least 1")
    base, extra = divmod(cents, parts)
    return [base + 1 if index < extra else base for index in range(parts)]
