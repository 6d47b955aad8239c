"""Split cents into nearly equal whole-cent shares, extra cents to the last shares."""


def split_amount(cents, parts):
    if parts < 1:
        raise ValueError("parts must be at least 1")
    base, extra = divmod(cents, parts)
    return [base] * (parts - extra) + [base + 1] * extra
