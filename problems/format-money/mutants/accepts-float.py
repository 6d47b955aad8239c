"""Format integer cents as a dollar string."""


def format_money(cents):
    if isinstance(cents, bool) or not isinstance(cents, (int, float)):
        raise TypeError("cents must be an int")
    sign = "-" if cents < 0 else ""
    dollars = int(abs(cents) // 100)
    rest = int(abs(cents) % 100)
    return f"{sign}${dollars:,}.{rest:02d}"
