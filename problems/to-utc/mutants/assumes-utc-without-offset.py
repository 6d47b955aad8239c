"""Parse an ISO 8601 timestamp with an offset into an aware UTC datetime."""

import re
from datetime import datetime, timedelta, timezone

STAMP = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})"
                   r"(Z|[+-][0-9]{2}:[0-9]{2})?")


def to_utc(stamp):
    match = STAMP.fullmatch(stamp)
    if match is None:
        raise ValueError(f"not a timestamp with an offset: {stamp!r}")
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    offset = match.group(7)
    if offset in ("Z", None):
        zone = timezone.utc
    else:
        sign = -1 if offset[0] == "-" else 1
        hours, minutes = int(offset[1:3]), int(offset[4:6])
        zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
    local = datetime(year, month, day, hour, minute, second, tzinfo=zone)
    return local.astimezone(timezone.utc)
