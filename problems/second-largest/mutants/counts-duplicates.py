"""Second largest distinct value, in one pass."""

_NONE = float("-inf")


def second_largest(numbers):
    largest = second = _NONE
    for n in numbers:
        if n > largest:
            largest, second = n, largest
        elif n > second:
            second = n
    if second == _NONE:
        raise ValueError("need at least two distinct values")
    return second
