"""Read a size such as "10KB" or "1.5 MiB" as a whole number of bytes."""

import re
from decimal import Decimal

UNITS = {"": 1, "B": 1, "KB": 1000, "MB": 1000 ** 2, "GB": 1000 ** 3,
         "KiB": 1024, "MiB": 1024 ** 2, "GiB": 1024 ** 3}
SIZE = re.compile(r"([0-9]+(?:\.[0-9]+)?) ?([A-Za-z]*)")


def parse_size(text):
    match = SIZE.fullmatch(text)
    if match is None or match.group(2) not in UNITS:
        raise ValueError(f"not a size: {text!r}")
    size = Decimal(match.group(1)) * UNITS[match.group(2)]
    if size != size.to_integral_value():
        raise ValueError(f"not a whole number of bytes: {text!r}")
    return int(size)
