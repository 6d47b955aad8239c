"""Each distinct item once, in the order of first appearance."""


def dedupe(items):
    result = []
    for item in items:
        if not result or result[-1] != item:
            result.append(item)
    return result
