"""Format integer cents as a dollar string."""


def format_money(cents):
    if not isinstance(cents, int):
        raise TypeError("cents must be an int")
    sign = "-" if cents < 0 else ""
    dollars = abs(cents) // 100
    rest = abs(cents) % 100
    return f"{sign}${dollars:,}.{rest:02d}"
