"""Semantic Versioning 2.0.0 precedence."""

import re

_NUM = r"(?:0|[1-9][0-9]*)"
_PRE_ID = r"(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
_BUILD_ID = r"[0-9A-Za-z-]+"
_SEMVER = re.compile(
    rf"({_NUM})\.({_NUM})\.({_NUM})"
    rf"(?:-({_PRE_ID}(?:\.{_PRE_ID})*))?"
)


def _parse(version):
    match = _SEMVER.fullmatch(version)
    if match is None:
        raise ValueError(f"invalid version: {version!r}")
    core = (int(match.group(1)), int(match.group(2)), int(match.group(3)))
    pre = match.group(4)
    return core, (pre.split(".") if pre else [])


def _compare_identifiers(x, y):
    x_num, y_num = x.isdigit(), y.isdigit()
    if x_num and y_num:
        return (int(x) > int(y)) - (int(x) < int(y))
    if x_num:
        return -1
    if y_num:
        return 1
    return (x > y) - (x < y)


def compare_versions(a, b):
    core_a, pre_a = _parse(a)
    core_b, pre_b = _parse(b)
    for x, y in zip(core_a, core_b):
        if x != y:
            return 1 if x > y else -1
    if not pre_a or not pre_b:
        return (len(pre_b) > 0) - (len(pre_a) > 0)
    for x, y in zip(pre_a, pre_b):
        result = _compare_identifiers(x, y)
        if result:
            return result
    return (len(pre_a) > len(pre_b)) - (len(pre_a) < len(pre_b))
