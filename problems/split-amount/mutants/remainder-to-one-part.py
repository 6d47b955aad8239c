"""Split cents into nearly equal whole-cent shares, extra cents to the first shares."""


def split_amount(cents, parts):
    if parts < 1:
        raise ValueError("parts must be at least 1")
    base, extra = divmod(cents, parts)
    shares = [base] * parts
    shares[0] += extra
    return shares
